package io.pacq.emu.simt;

import io.pacq.abi.Abi;

/**
 * Parameters of the SIMT machine (docs/simt.md, section 1). Immutable.
 *
 * @param cores             SIMT cores, 1 .. SIMT_MAX_CORES
 * @param warps             warps per core, 1 .. SIMT_MAX_WARPS
 * @param mmaUnits          matrix units per core, 1 .. 4
 * @param smemBytes         shared memory per core in bytes: 16 KiB .. 256 KiB, a multiple of 16 KiB
 * @param dmemLatency       device-memory latency in cycles, 1 .. 1000
 * @param dmemBytesPerCycle device-memory bandwidth in bytes per cycle: 8, 16, 32 or 64
 */
public record SimtConfig(int cores, int warps, int mmaUnits, int smemBytes, int dmemLatency, int dmemBytesPerCycle) {

    /** The documented defaults (ABI DEFAULT_*). */
    public static final SimtConfig DEFAULTS = new SimtConfig(Abi.DEFAULT_CORES, Abi.DEFAULT_WARPS,
            Abi.DEFAULT_MMA_UNITS, Abi.DEFAULT_SMEM_BYTES, Abi.DEFAULT_DMEM_LATENCY, Abi.DEFAULT_DMEM_BYTES_PER_CYCLE);

    /** @throws IllegalArgumentException naming the parameter and its range */
    public SimtConfig {
        check("cores", cores, 1, Abi.SIMT_MAX_CORES);
        check("warps", warps, 1, Abi.SIMT_MAX_WARPS);
        check("mma", mmaUnits, 1, 4);
        check("smem", smemBytes, 16 << 10, 256 << 10);
        if (smemBytes % (16 << 10) != 0) {
            throw new IllegalArgumentException("smem must be a multiple of 16 KiB, got " + smemBytes);
        }
        check("dmemlat", dmemLatency, 1, 1000);
        if (dmemBytesPerCycle != 8 && dmemBytesPerCycle != 16 && dmemBytesPerCycle != 32 && dmemBytesPerCycle != 64) {
            throw new IllegalArgumentException("dmembw must be 8, 16, 32 or 64 bytes per cycle, got " + dmemBytesPerCycle);
        }
    }

    private static void check(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be " + lo + " .. " + hi + ", got " + v);
        }
    }

    /** Cycles one 64-byte transaction occupies the device-memory channel. */
    public int channelCyclesPerTx() {
        return Abi.DMEM_TX_BYTES / dmemBytesPerCycle;
    }

    /** One-line description, e.g. for {@code pacq info}. */
    public String describe() {
        return cores + " cores x " + warps + " warps x " + Abi.SIMT_LANES + " lanes, " + mmaUnits + " matrix unit"
                + (mmaUnits == 1 ? "" : "s") + "/core, " + (smemBytes >> 10) + " KiB smem/core, device memory "
                + dmemBytesPerCycle + " B/cycle " + dmemLatency + " cycles latency";
    }

    /** With another core count. */
    public SimtConfig withCores(int c) {
        return new SimtConfig(c, warps, mmaUnits, smemBytes, dmemLatency, dmemBytesPerCycle);
    }

    /** With another warp count. */
    public SimtConfig withWarps(int w) {
        return new SimtConfig(cores, w, mmaUnits, smemBytes, dmemLatency, dmemBytesPerCycle);
    }
}
