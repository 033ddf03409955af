package io.pacq;

/** A request, URI, shape or argument is invalid; nothing was sent to the device. */
public class InvalidRequestException extends PacqException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
