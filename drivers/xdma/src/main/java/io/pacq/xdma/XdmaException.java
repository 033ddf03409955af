package io.pacq.xdma;

import io.pacq.LinkException;

/**
 * A call on an XDMA device node failed. The message names the operation, the node, the errno by
 * name and number, and what to do about it; {@link #errno()} is the raw value (0 when the failure
 * was not an errno, e.g. a short transfer). Subclasses single out the failures a program may
 * want to handle: {@link XdmaNoDeviceException}, {@link XdmaPermissionException},
 * {@link XdmaTimeoutException}.
 */
public class XdmaException extends LinkException {
    private static final long serialVersionUID = 1L;
    private final int errno;
    private final String node;

    /**
     * @param errno   the errno, or 0 when there is none
     * @param node    the device node (path) the call was made on
     * @param message the full message
     */
    public XdmaException(int errno, String node, String message) {
        super(message);
        this.errno = errno;
        this.node = node;
    }

    /** The errno reported by the call, or 0 when the failure was not an errno. */
    public int errno() {
        return errno;
    }

    /** Symbolic name of {@link #errno()}, e.g. "ENOENT" or "ERESTARTSYS"; "none" for 0. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The device node (path) the failing call was made on. */
    public String node() {
        return node;
    }
}
