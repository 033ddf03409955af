package io.pacq;

/** The device answered, but its ABI version or capabilities do not fit this host or request. */
public class IncompatibleDeviceException extends PacqException {
    private static final long serialVersionUID = 1L;

    public IncompatibleDeviceException(String message) {
        super(message);
    }

    public IncompatibleDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
