package io.pacq;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a device is and can do: its capability block (ABI registers CAP_*) and identity.
 * Immutable.
 *
 * @param uri          the URI it was opened with
 * @param description  human-readable, e.g. "PacQ emulator (functional engine, 2 threads)"
 * @param model        what implements it (ABI Model: "EMU_FUNCTIONAL", "RTL_SIM", ...)
 * @param abiMajor     ABI major version
 * @param abiMinor     ABI minor version
 * @param cores        SIMT cores
 * @param warps        warps per core
 * @param lanes        threads per warp
 * @param bits         supported weight widths
 * @param modes        supported GEMM modes
 * @param memoryBytes  device memory, bytes
 * @param clockKhz     core clock in kHz, 0 when not a clocked model
 * @param smemBytes    shared memory per core, bytes
 * @param mmaUnits     matrix units per core
 */
public record DeviceInfo(String uri, String description, String model, int abiMajor, int abiMinor, int cores,
                         int warps, int lanes, Set<Integer> bits, Set<GemmMode> modes, long memoryBytes,
                         int clockKhz, int smemBytes, int mmaUnits) {

    public DeviceInfo {
        bits = Set.copyOf(bits);
        modes = modes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(modes));
    }

    /** True when b-bit weights are supported. */
    public boolean supportsBits(int b) {
        return bits.contains(b);
    }

    /** True when the mode is supported. */
    public boolean supports(GemmMode m) {
        return modes.contains(m);
    }
}
