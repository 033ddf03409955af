package io.pacq.emu;

import io.pacq.CommandStats;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * An engine that can run LAUNCH commands (a SIMT program over a grid of tiles). Implementations
 * are thread-safe.
 */
public interface LaunchEngine {
    /**
     * Runs the LAUNCH descriptor {@code desc} (128 bytes, little-endian, opcode LAUNCH).
     *
     * @param aborted polled now and then; true stops the command
     * @return the counters for the completion record
     * @throws DeviceFault on a device error (status and ERR_INFO for the completion record)
     */
    CommandStats launch(ByteBuffer desc, DeviceMemory mem, BooleanSupplier aborted);
}
