package io.pacq.energy;

import java.util.Locale;

/**
 * The events the energy model charges, each with its energy per event and where that number
 * comes from. This enum is the <b>one place</b> every energy constant of the project lives;
 * docs/reproduce.md lists the same table (a test keeps the two in step).
 *
 * <p>All energies are dynamic energies at 45 nm, 0.9 V, in picojoules, built from two published
 * sources:
 * <ul>
 *   <li><b>[H14]</b> M. Horowitz, "Computing's energy problem (and what we can do about it)",
 *       ISSCC 2014, paper 1.1: energy per operation at 45 nm, 0.9 V, e.g. 16-bit FP multiply
 *       1.1 pJ, 32-bit FP multiply 3.7 pJ, 32-bit FP add 0.9 pJ, a 64-bit read of an 8 KB /
 *       32 KB / 1 MB SRAM 10 / 20 / 100 pJ, a 64-bit DRAM access 1.3-2.6 nJ.</li>
 *   <li><b>[P25]</b> R. Yin, Y. Li, P. Panda, "PacQ: A SIMT Microarchitecture for Efficient
 *       Dataflow in Hyper-asymmetric GEMMs", DAC 2025 (arXiv 2502.18627): the parallel FP-INT
 *       multiplier has 3.38x (INT4) and 6.75x (INT2) the throughput per watt of an FP16
 *       multiplier.</li>
 * </ul>
 * Scaling rule for memories (ours, stated in docs/reproduce.md): SRAM access energy grows with
 * the square root of capacity (the rule [H14]'s own 8 KB / 32 KB / 1 MB points follow: x4
 * capacity gives x2 energy, x32 gives x5) and linearly with the width read.
 *
 * <p>Immutable, thread-safe.
 */
public enum EnergyEvent {
    /** One 32-bit register-file read or write (counters RF_READS, RF_WRITES). */
    RF_WORD(Sources.sram(Sources.RF_LANE_BYTES, 32), "pJ per 32-bit word",
            "[H14] 8 KB SRAM, 64-bit read, 10 pJ; scaled to one lane's 2 KiB register slice "
                    + "(4 warps x 128 registers x 4 B) by sqrt(capacity) and to 32 bits"),
    /** One byte of shared memory read or written (counter SMEM_BYTES). */
    SMEM_BYTE(Sources.sram(Sources.SMEM_BYTES, 64) / 8, "pJ per byte",
            "[H14] 32 KB SRAM, 64-bit read, 20 pJ; scaled to the 64 KiB shared memory by sqrt(capacity), "
                    + "divided by 8 bytes (one monolithic array, not banked)"),
    /** One byte of device memory (DRAM) read or written (DMEM_READ_BYTES, DMEM_WRITE_BYTES). */
    DMEM_BYTE(Sources.H14_DRAM_64B_PJ / 8, "pJ per byte",
            "[H14] DRAM, 64-bit access, 1.3 nJ (the low end of 1.3-2.6 nJ), divided by 8 bytes"),
    /** Fetching one warp instruction (counter INSTRUCTIONS); decode and scheduling not included. */
    INSTRUCTION(Sources.sram(Sources.PROGRAM_BYTES, 64), "pJ per warp instruction",
            "[H14] SRAM 64-bit read, scaled by sqrt(capacity) to the 96 KiB program memory "
                    + "(8192 ROM + 4096 RAM words of 8 B)"),
    /** One FP16 x FP16 product: HMMA products, lane HMUL2 products. */
    FP16_MUL(Sources.H14_FP16_MUL_PJ, "pJ per product", "[H14] 16-bit FP multiply, 1.1 pJ"),
    /** One FP32 multiply on the lanes (FMUL, FFMA, FMAC). */
    FP32_MUL(Sources.H14_FP32_MUL_PJ, "pJ per product", "[H14] 32-bit FP multiply, 3.7 pJ"),
    /** One FP32 add: a matrix-unit accumulation (every HMMA/PMMA/KMMA product) or a lane FADD/FFMA/FMAC. */
    FP32_ADD(Sources.H14_FP32_ADD_PJ, "pJ per add", "[H14] 32-bit FP add, 0.9 pJ"),
    /**
     * One operation of the parallel FP-INT multiplier: one FP16 activation times one packed
     * 16-bit word of codes (4 INT4, 8 INT2 or 2 INT8 products), or one KMMA product.
     */
    PACQ_MUL(Sources.H14_FP16_MUL_PJ * Sources.pacqPowerRatio(), "pJ per multiplier operation",
            "[P25] throughput/W 3.38x (INT4, 4 products) and 6.75x (INT2, 8 products) vs an FP16 multiplier "
                    + "at the same clock: power ratio 4/3.38 = 1.183, 8/6.75 = 1.185 (mean 1.184), times [H14]'s "
                    + "FP16 multiply; INT8 assumed equal (every width fills the 16 partial-product rows of 11 bits)");

    private final double picojoules;
    private final String unit;
    private final String source;

    EnergyEvent(double picojoules, String unit, String source) {
        this.picojoules = picojoules;
        this.unit = unit;
        this.source = source;
    }

    /** Energy per event, picojoules. */
    public double picojoules() {
        return picojoules;
    }

    /** What one event is, e.g. "pJ per byte". */
    public String unit() {
        return unit;
    }

    /** The published figure and the scaling that give {@link #picojoules()}. */
    public String source() {
        return source;
    }

    /** The value as docs/reproduce.md prints it: three significant digits. */
    public String formatted() {
        return String.format(Locale.ROOT, "%.3g", picojoules);
    }

    /** The published figures and machine sizes the events are derived from. */
    static final class Sources {
        private Sources() {}

        /** [H14]: 64-bit read of an 8 KB SRAM (cache), pJ. */
        static final double H14_SRAM_8KB_64B_PJ = 10.0;
        /** [H14]: 64-bit DRAM access, pJ (low end of 1.3-2.6 nJ). */
        static final double H14_DRAM_64B_PJ = 1300.0;
        /** [H14]: 64-bit DRAM access, pJ, high end of the range (sensitivity only). */
        static final double H14_DRAM_64B_HIGH_PJ = 2600.0;
        /** [H14]: 16-bit FP multiply, pJ. */
        static final double H14_FP16_MUL_PJ = 1.1;
        /** [H14]: 32-bit FP multiply, pJ. */
        static final double H14_FP32_MUL_PJ = 3.7;
        /** [H14]: 32-bit FP add, pJ. */
        static final double H14_FP32_ADD_PJ = 0.9;
        /** [P25]: multiplier throughput per watt vs FP16, INT4 (4 products per operation). */
        static final double P25_TPW_INT4 = 3.38;
        /** [P25]: multiplier throughput per watt vs FP16, INT2 (8 products per operation). */
        static final double P25_TPW_INT2 = 6.75;

        /** One lane's register slice on the default machine: 4 warps x 128 registers x 4 bytes. */
        static final int RF_LANE_BYTES = 4 * 128 * 4;
        /** Shared memory per core on the default machine (ABI DEFAULT_SMEM_BYTES). */
        static final int SMEM_BYTES = io.pacq.abi.Abi.DEFAULT_SMEM_BYTES;
        /** One bank of the shared memory if it were cut into 32 banks (sensitivity only). */
        static final int SMEM_BANK_BYTES = io.pacq.abi.Abi.DEFAULT_SMEM_BYTES / 32;
        /** Program memory: ROM + RAM words of 8 bytes. */
        static final int PROGRAM_BYTES = (io.pacq.abi.Abi.PROG_ROM_WORDS + io.pacq.abi.Abi.PROG_RAM_WORDS) * 8;

        /** SRAM access energy for a read of {@code bits} from an array of {@code bytes}, pJ (sqrt-capacity rule). */
        static double sram(int bytes, int bits) {
            return H14_SRAM_8KB_64B_PJ * Math.sqrt(bytes / 8192.0) * bits / 64.0;
        }

        /** Power of the parallel FP-INT multiplier relative to an FP16 multiplier, from [P25]'s two figures. */
        static double pacqPowerRatio() {
            return (4 / P25_TPW_INT4 + 8 / P25_TPW_INT2) / 2;
        }
    }
}
