package io.pacq;

/** No installed backend accepts the device URI's scheme. */
public class UnknownDeviceException extends PacqException {
    private static final long serialVersionUID = 1L;

    public UnknownDeviceException(String message) {
        super(message);
    }

    public UnknownDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
