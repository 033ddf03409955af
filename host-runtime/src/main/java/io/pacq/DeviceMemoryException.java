package io.pacq;

/** Device memory is exhausted (or an allocation is larger than the device). */
public class DeviceMemoryException extends PacqException {
    private static final long serialVersionUID = 1L;

    public DeviceMemoryException(String message) {
        super(message);
    }

    public DeviceMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
