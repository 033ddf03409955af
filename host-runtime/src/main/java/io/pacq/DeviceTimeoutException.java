package io.pacq;

/**
 * A command missed its deadline. The device was reset to recover; the message says whether the
 * reset worked. Later commands may be submitted again.
 */
public class DeviceTimeoutException extends PacqException {
    private static final long serialVersionUID = 1L;

    public DeviceTimeoutException(String message) {
        super(message);
    }

    public DeviceTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
