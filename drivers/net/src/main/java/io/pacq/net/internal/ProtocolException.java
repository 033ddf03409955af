package io.pacq.net.internal;

import io.pacq.proto.ErrorCode;

/**
 * The peer broke the protocol (bad frame, bad message, message out of order). Fatal for the
 * connection: the side that detects it sends one error frame and closes.
 */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    /** A violation with the error code the peer is told. */
    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** The code sent to the peer. */
    public ErrorCode code() {
        return code;
    }
}
