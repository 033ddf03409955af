package io.pacq;

/** Base of every exception the PacQ runtime throws. */
public class PacqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PacqException(String message) {
        super(message);
    }

    public PacqException(String message, Throwable cause) {
        super(message, cause);
    }
}
