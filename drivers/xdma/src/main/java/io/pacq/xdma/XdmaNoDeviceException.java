package io.pacq.xdma;

/**
 * The device node is missing (ENOENT) or has no device behind it (ENODEV, ENXIO): the XDMA
 * driver is not loaded, the card is not enumerated, or it dropped off the bus.
 */
public class XdmaNoDeviceException extends XdmaException {
    private static final long serialVersionUID = 1L;

    /** See {@link XdmaException#XdmaException(int, String, String)}. */
    public XdmaNoDeviceException(int errno, String node, String message) {
        super(errno, node, message);
    }
}
