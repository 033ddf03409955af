package io.pacq;

/** A device was closed while weight handles were still open; they were freed and are listed in the message. */
public class ResourceLeakException extends PacqException {
    private static final long serialVersionUID = 1L;

    public ResourceLeakException(String message) {
        super(message);
    }

    public ResourceLeakException(String message, Throwable cause) {
        super(message, cause);
    }
}
