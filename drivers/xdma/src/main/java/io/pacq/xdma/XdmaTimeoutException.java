package io.pacq.xdma;

/**
 * The XDMA driver gave up on a DMA transfer (ETIMEDOUT, or ERESTARTSYS = 512, which the driver
 * returns when a transfer is still pending after its {@code h2c_timeout_ms}/{@code c2h_timeout_ms}
 * and which reaches user space as errno 512). The card's DMA path is stuck; it may need a reset.
 */
public class XdmaTimeoutException extends XdmaException {
    private static final long serialVersionUID = 1L;

    /** See {@link XdmaException#XdmaException(int, String, String)}. */
    public XdmaTimeoutException(int errno, String node, String message) {
        super(errno, node, message);
    }
}
