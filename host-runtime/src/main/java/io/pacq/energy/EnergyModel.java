package io.pacq.energy;

import io.pacq.CommandStats;
import io.pacq.GemmMode;
import io.pacq.abi.Abi;
import io.pacq.quant.PackedWeights;

import java.util.EnumMap;
import java.util.Map;

/**
 * Energy of one GEMM command from the activity counters of its completion record
 * ({@link CommandStats}): every counter times the energy of its event ({@link EnergyEvent}),
 * plus an optional static energy per cycle. Energy-delay product = energy x cycles / clock.
 *
 * <p>What the counters cannot tell apart is derived from the command (docs/reproduce.md,
 * "Multiplier kinds"): {@code MUL_OPS} and {@code ADD_OPS} sum matrix-unit products and lane
 * operations. The matrix-unit products of a GEMM are fixed by its shape and the built-in kernels
 * (one 16 x 16·cpw x 16 block per matrix instruction over the padded tile grid,
 * {@link Workload#matrixProducts()}); the rest are lane operations, FP32 ({@code FMAC}) in PACQ and
 * KPACKED, FP16 ({@code HMUL2}) in DEQUANT. The model checks the counters against that split and
 * refuses counter sets that do not fit it.
 *
 * <pre>
 *   E = RF_WORD   x (RF_READS + RF_WRITES)        + SMEM_BYTE x SMEM_BYTES
 *     + DMEM_BYTE x (DMEM_READ + DMEM_WRITE bytes) + INSTRUCTION x INSTRUCTIONS
 *     + matrix multiplies  (PACQ: PACQ_MUL x products/cpw; KPACKED: PACQ_MUL x products; DEQUANT: FP16_MUL x products)
 *     + FP32_ADD x products                        (every matrix product is accumulated in FP32)
 *     + lane multiplies    (MUL_OPS - products) x (FP32_MUL, or FP16_MUL in DEQUANT)
 *     + FP32_ADD x (ADD_OPS - products)
 *     + static pJ/cycle x CYCLES
 * </pre>
 *
 * Immutable, thread-safe.
 */
public final class EnergyModel {
    private final Map<EnergyEvent, Double> energy;
    private final double staticPjPerCycle;

    private EnergyModel(Map<EnergyEvent, Double> energy, double staticPjPerCycle) {
        this.energy = energy;
        this.staticPjPerCycle = staticPjPerCycle;
    }

    /** The published energies of {@link EnergyEvent}, no static energy. */
    public static EnergyModel standard() {
        Map<EnergyEvent, Double> e = new EnumMap<>(EnergyEvent.class);
        for (EnergyEvent ev : EnergyEvent.values()) {
            e.put(ev, ev.picojoules());
        }
        return new EnergyModel(e, 0);
    }

    /**
     * A copy with one event's energy replaced (sensitivity studies).
     *
     * @param picojoules energy per event, finite and &gt;= 0
     */
    public EnergyModel with(EnergyEvent event, double picojoules) {
        if (!(picojoules >= 0) || Double.isInfinite(picojoules)) {
            throw new IllegalArgumentException("energy of " + event + " must be finite and >= 0 pJ, got " + picojoules);
        }
        Map<EnergyEvent, Double> e = new EnumMap<>(energy);
        e.put(event, picojoules);
        return new EnergyModel(e, staticPjPerCycle);
    }

    /**
     * A copy with a static (leakage and clock) energy per machine cycle.
     *
     * @param picojoules pJ per cycle for the whole machine, finite and &gt;= 0
     */
    public EnergyModel withStaticPerCycle(double picojoules) {
        if (!(picojoules >= 0) || Double.isInfinite(picojoules)) {
            throw new IllegalArgumentException("static energy must be finite and >= 0 pJ per cycle, got " + picojoules);
        }
        return new EnergyModel(energy, picojoules);
    }

    /**
     * The alternative assumptions docs/reproduce.md discusses, each a copy of {@code base} with
     * one energy changed, by description (iteration order fixed).
     */
    public static Map<String, EnergyModel> sensitivityVariants(EnergyModel base) {
        Map<String, EnergyModel> v = new java.util.LinkedHashMap<>();
        v.put("chip only (no device-memory energy)", base.with(EnergyEvent.DMEM_BYTE, 0));
        v.put("DRAM at [H14]'s high end, 2.6 nJ per 64 bits",
                base.with(EnergyEvent.DMEM_BYTE, EnergyEvent.Sources.H14_DRAM_64B_HIGH_PJ / 8));
        v.put("shared memory as 32 banks of 2 KiB, 32 bits per access",
                base.with(EnergyEvent.SMEM_BYTE, EnergyEvent.Sources.sram(EnergyEvent.Sources.SMEM_BANK_BYTES, 32) / 4));
        return v;
    }

    /** Energy of one event in this model, pJ. */
    public double energy(EnergyEvent event) {
        return energy.get(event);
    }

    /** Static energy per cycle, pJ. */
    public double staticPerCycle() {
        return staticPjPerCycle;
    }

    /**
     * What a GEMM command computed, as far as the energy model needs it.
     *
     * @param mode  the command's mode
     * @param m     rows of A
     * @param n     output columns
     * @param k     reduction length
     * @param bits  weight bits (2, 4 or 8)
     */
    public record Workload(GemmMode mode, int m, int n, int k, int bits) {
        public Workload {
            if (mode == null) {
                throw new IllegalArgumentException("mode is null");
            }
            if (bits != 2 && bits != 4 && bits != 8) {
                throw new IllegalArgumentException("bits must be 2, 4 or 8, got " + bits);
            }
            if (m < 1 || n < 1 || k < 16 || k % 16 != 0) {
                throw new IllegalArgumentException("shape m" + m + "n" + n + "k" + k
                        + " is not a GEMM command (M, N >= 1, K a positive multiple of 16)");
            }
        }

        /** Codes per 16-bit word, 16 / bits. */
        public int codesPerWord() {
            return PackedWeights.colsPerWord(bits);
        }

        /**
         * Products the matrix units compute for this command with the built-in kernels: the tile
         * grid pads M to 16 rows and N to whole strips, and every k16 step of a (tile row, strip)
         * is one PMMA/KMMA or cpw HMMAs, 4096·cpw products either way (docs/simt.md 9, 11).
         */
        public long matrixProducts() {
            long rows = (long) ((m + Abi.GEMM_TILE_M - 1) / Abi.GEMM_TILE_M) * Abi.GEMM_TILE_M;
            long cols = (long) PackedWeights.strips(n, bits) * PackedWeights.stripCols(bits);
            return rows * cols * k;
        }
    }

    /**
     * Energy of a command from its counters.
     *
     * @throws IllegalArgumentException when the counters report no cycles (a device without a
     *                                  cycle model) or do not fit the workload's split of
     *                                  MUL_OPS/ADD_OPS (the message names the counter)
     */
    public EnergyBreakdown estimate(Workload w, CommandStats s) {
        if (s.cycles() <= 0) {
            throw new IllegalArgumentException("the completion record has no cycle count: the device does not model "
                    + "time (use a cycle-level device such as emu:?model=cycle)");
        }
        long products = w.matrixProducts();
        long laneMul = s.mulOps() - products;
        long laneAdd = s.addOps() - products;
        if (laneMul < 0 || laneAdd < 0) {
            throw new IllegalArgumentException("counters do not fit a " + w.mode() + " GEMM m" + w.m() + "n" + w.n() + "k"
                    + w.k() + " INT" + w.bits() + ": MUL_OPS " + s.mulOps() + " and ADD_OPS " + s.addOps()
                    + " must each be at least its " + products + " matrix-unit products");
        }
        double mmaMul = switch (w.mode()) {
            case PACQ -> products / w.codesPerWord() * energy(EnergyEvent.PACQ_MUL);
            case KPACKED -> products * energy(EnergyEvent.PACQ_MUL);
            case DEQUANT -> products * energy(EnergyEvent.FP16_MUL);
        };
        double laneMulPj = laneMul * energy(w.mode() == GemmMode.DEQUANT ? EnergyEvent.FP16_MUL : EnergyEvent.FP32_MUL);
        return new EnergyBreakdown(
                (double) (s.rfReads() + s.rfWrites()) * energy(EnergyEvent.RF_WORD),
                (double) s.smemBytes() * energy(EnergyEvent.SMEM_BYTE),
                (double) (s.dmemReadBytes() + s.dmemWriteBytes()) * energy(EnergyEvent.DMEM_BYTE),
                (double) s.instructions() * energy(EnergyEvent.INSTRUCTION),
                mmaMul,
                products * energy(EnergyEvent.FP32_ADD),
                laneMulPj,
                laneAdd * energy(EnergyEvent.FP32_ADD),
                s.cycles() * staticPjPerCycle,
                s.cycles());
    }
}
