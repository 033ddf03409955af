package io.pacq;

/**
 * A member of a {@link DevicePool} failed; {@link #member()} and {@link #memberUri()} say which,
 * {@link #getCause()} is the member's own exception. The pool never skips a failed member.
 */
public class DevicePoolException extends PacqException {
    private static final long serialVersionUID = 1L;
    private final int member;
    private final String memberUri;

    public DevicePoolException(int member, String memberUri, String message, Throwable cause) {
        super(message, cause);
        this.member = member;
        this.memberUri = memberUri;
    }

    /** Index of the failed member in the pool. */
    public int member() {
        return member;
    }

    /** URI of the failed member. */
    public String memberUri() {
        return memberUri;
    }
}
