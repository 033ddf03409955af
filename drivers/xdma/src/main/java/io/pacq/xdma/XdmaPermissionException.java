package io.pacq.xdma;

/** The device node exists but this user may not open or map it (EACCES, EPERM). */
public class XdmaPermissionException extends XdmaException {
    private static final long serialVersionUID = 1L;

    /** See {@link XdmaException#XdmaException(int, String, String)}. */
    public XdmaPermissionException(int errno, String node, String message) {
        super(errno, node, message);
    }
}
