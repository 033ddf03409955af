package io.pacq;

/** The transport to the device failed: an I/O error, a lost connection, a missing device node. */
public class LinkException extends PacqException {
    private static final long serialVersionUID = 1L;

    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
