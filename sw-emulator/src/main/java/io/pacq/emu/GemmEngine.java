package io.pacq.emu;

import io.pacq.CommandStats;

import java.util.function.BooleanSupplier;

/**
 * Computes one GEMM command from device memory into device memory, bit-exact to the numerics
 * contract. Implementations are thread-safe and may use several threads internally.
 */
public interface GemmEngine {
    /**
     * Runs a validated command whose operand ranges are inside memory.
     *
     * @param aborted polled now and then; when it returns true the engine may stop early (the
     *                output is then unspecified)
     * @return the counters for the completion record
     */
    CommandStats run(GemmCommand cmd, DeviceMemory mem, BooleanSupplier aborted);

    /** Short name for device descriptions, e.g. "plain" or "vector". */
    String name();

    /** Releases the engine's worker threads. Idempotent; the engine must not be used afterwards. */
    default void close() {}
}
