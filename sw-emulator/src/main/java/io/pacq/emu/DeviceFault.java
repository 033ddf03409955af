package io.pacq.emu;

import io.pacq.CommandStats;

/**
 * A command failed on the device with a status of the ABI (for example a kernel's
 * ILLEGAL_INSTRUCTION or ADDRESS_FAULT): the command processor writes it to the completion record.
 */
public final class DeviceFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final long info;
    private final transient CommandStats stats;

    /**
     * @param status an ABI Status value
     * @param info   the ERR_INFO value
     * @param stats  counters up to the failure (not normative)
     */
    public DeviceFault(int status, long info, CommandStats stats, String message) {
        super(message);
        this.status = status;
        this.info = info;
        this.stats = stats;
    }

    /** ABI Status. */
    public int status() {
        return status;
    }

    /** ERR_INFO. */
    public long info() {
        return info;
    }

    /** Counters up to the failure. */
    public CommandStats stats() {
        return stats == null ? CommandStats.NONE : stats;
    }
}
