package io.pacq;

/**
 * The device does not run this kind of command at all (for example a kernel launch on the
 * functional emulator, which has no SIMT machine). Nothing ran; the device stays usable.
 */
public class UnsupportedCommandException extends IncompatibleDeviceException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCommandException(String message) {
        super(message);
    }

    public UnsupportedCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
