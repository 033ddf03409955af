package io.pacq;

/** The device or handle was used after close(). */
public class DeviceClosedException extends PacqException {
    private static final long serialVersionUID = 1L;

    public DeviceClosedException(String message) {
        super(message);
    }

    public DeviceClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
