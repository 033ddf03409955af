package io.pacq.net;

import io.pacq.PacqException;

/**
 * A remote device server refused or failed a request for a reason that has no more specific
 * {@link PacqException} type: authentication, a server limit, shutdown, a protocol violation.
 * {@link #code()} is the protocol's error code (pacq.v1.ErrorCode), e.g. "UNAUTHENTICATED",
 * "RESOURCE_EXHAUSTED", "TOO_MANY_CLIENTS", "SHUTTING_DOWN".
 */
public class RemoteException extends PacqException {
    private static final long serialVersionUID = 1L;
    private final String code;

    /** An error with the server's code. */
    public RemoteException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The protocol error code's name. */
    public String code() {
        return code;
    }
}
