package io.pacq;

import io.pacq.abi.Abi;

/**
 * The device ran a command and reported a failure status (ABI {@code Status}), or aborted it.
 * {@link #status()} is the ABI status code and {@link #info()} its detail (address, pc).
 */
public class DeviceException extends PacqException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final long info;

    public DeviceException(int status, long info, String message) {
        super(message + " [device status " + Abi.Status.name(status) + ", info 0x" + Long.toHexString(info) + "]");
        this.status = status;
        this.info = info;
    }

    public DeviceException(int status, long info, String message, Throwable cause) {
        super(message + " [device status " + Abi.Status.name(status) + ", info 0x" + Long.toHexString(info) + "]",
                cause);
        this.status = status;
        this.info = info;
    }

    /** ABI status code. */
    public int status() {
        return status;
    }

    /** Status detail: a faulting address or program counter. */
    public long info() {
        return info;
    }
}
