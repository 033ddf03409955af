package io.pacq.repro;

import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.DeviceInfo;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.abi.Abi;
import io.pacq.energy.EnergyBreakdown;
import io.pacq.energy.EnergyModel;
import io.pacq.fp.Fp16;
import io.pacq.quant.PackedWeights;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.quant.Quantizer;
import io.pacq.ref.ReferenceGemm;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The PacQ paper's evaluation (DAC 2025, arXiv 2502.18627; summarized in docs/reproduce.md) run
 * on a device that reports cycles, normally the cycle-level model {@code emu:?model=cycle}: the
 * paper's workloads in PACQ, DEQUANT and KPACKED (P(B)k) mode, every result checked bit for bit
 * against {@link ReferenceGemm}, energy from the counters ({@link EnergyModel}), accuracy against
 * FP64, and the paper's FP16 datapath ({@link PaperDatapath}) on the same inputs for contrast.
 *
 * <p>Workloads: seeded Gaussian weights (sigma 0.02, LLM-like) quantized round-to-nearest,
 * symmetric (the paper's offset-binary codes), groups of min(128, K) along K; standard normal FP16
 * activations; M = 16; FP16 output. Not thread-safe; one run at a time per device.
 */
public final class Reproduction {
    private Reproduction() {}

    // The paper's published figures (docs/reproduce.md, "What the paper reports").
    static final double PAPER_SPEEDUP_PBK_INT4 = 1.98;
    static final double PAPER_SPEEDUP_PBK_INT2 = 1.99;
    static final double PAPER_RF_CHANGE_INT4 = -36.8;
    static final double PAPER_RF_CHANGE_INT2 = -54.3;
    static final double PAPER_EDP_CHANGE_INT4 = -70.4;
    static final double PAPER_EDP_CHANGE_INT2 = -81.4;
    /** Dot-product unit: FP16 baseline 11 cycles for 8 outputs; PacQ 19 for 32 (INT4), 35 for 64 (INT2). */
    static final double PAPER_DPU_BASE = 8.0 / 11, PAPER_DPU_INT4 = 32.0 / 19, PAPER_DPU_INT2 = 64.0 / 35;

    /** Weight standard deviation of the generated layers. */
    private static final double WEIGHT_SIGMA = 0.02;
    private static final int GROUP = 128;

    /**
     * What to run.
     *
     * @param quick   m16n1024k1024 in place of m16n4096k4096 (a smoke run of a few seconds)
     * @param seed    seed of the weights and activations
     * @param energy  the energy model
     */
    public record Options(boolean quick, long seed, EnergyModel energy) {
        public Options {
            if (energy == null) {
                throw new IllegalArgumentException("energy model is null");
            }
        }

        /** Full run, seed 1, the standard energy model. */
        public static Options defaults() {
            return new Options(false, 1, EnergyModel.standard());
        }
    }

    /** Receives progress: a step finished. */
    @FunctionalInterface
    public interface Listener {
        /** Step {@code done} of {@code total} finished; {@code label} says what runs next or ran. */
        void step(String label, int done, int total);
    }

    /**
     * One GEMM command on the device.
     *
     * @param shape     e.g. "m16n4096k4096"
     * @param bits      weight bits
     * @param group     group size along K
     * @param mode      GEMM mode
     * @param stats     the completion record's counters
     * @param energy    the energy model's breakdown
     * @param bitExact  the output equals ReferenceGemm's bits
     * @param relRms    relative RMS error of the FP16 output against FP64
     * @param seconds   wall-clock time of the command (simulation time), seconds
     */
    public record Run(String shape, int bits, int group, GemmMode mode, CommandStats stats, EnergyBreakdown energy,
                      boolean bitExact, double relRms, double seconds) {}

    /**
     * One row of the comparison with the paper.
     *
     * @param id     stable key (JSON)
     * @param claim  what is compared
     * @param paper  the paper's figure, NaN when it reports none
     * @param ours   our figure, NaN when it could not be measured on this device
     * @param unit   "x" (ratio), "%" (change or share), "ratio"
     * @param shape  workload and what is divided by what
     */
    public record Claim(String id, String claim, double paper, double ours, String unit, String shape) {
        /** A figure in this row's unit; "—" for NaN. */
        public String format(double v) {
            if (Double.isNaN(v)) {
                return "—";
            }
            if (Double.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            return switch (unit) {
                case "x" -> String.format(Locale.ROOT, Math.abs(v) < 100 ? "%.2fx" : "%.3gx", v);
                case "%" -> String.format(Locale.ROOT, "%+.1f %%", v);
                case "share" -> String.format(Locale.ROOT, "%.2f %%", v);
                default -> String.format(Locale.ROOT, "%.3g", v);
            };
        }
    }

    /**
     * Accuracy of one datapath on one workload against FP64.
     *
     * @param shape      workload
     * @param bits       weight bits
     * @param group      group size along K
     * @param datapath   "PACQ (device)", "DEQUANT (device)", "paper FP16, as drawn", "paper FP16, IEEE multiplier"
     * @param relRms     sqrt(Σ (c − exact)² / Σ exact²) over all outputs; +Inf when any is not finite
     * @param nonFinite  outputs that are Inf or NaN
     * @param outputs    outputs in all
     * @param vsDequant  relRms / relRms of DEQUANT on the same inputs
     */
    public record Accuracy(String shape, int bits, int group, String datapath, double relRms, long nonFinite,
                           long outputs, double vsDequant) {}

    /**
     * EDP change of PACQ vs DEQUANT on the large layer under another energy assumption.
     *
     * @param assumption  what differs from the standard model
     * @param int4        EDP change, %, INT4
     * @param int2        EDP change, %, INT2
     */
    public record Sensitivity(String assumption, double int4, double int2) {}

    /**
     * Everything a run measured.
     *
     * @param device       the device
     * @param quick        whether the quick shapes were used
     * @param bigShape     the large layer's shape ("m16n4096k4096" or the quick one)
     * @param runs         every GEMM command, in run order
     * @param claims       the comparison with the paper
     * @param accuracy     accuracy rows
     * @param sensitivity  EDP under other energy assumptions
     * @param defects      the paper's drawn multiplier's defect counts
     * @param notes        where our machine differs from the paper's, one paragraph each
     */
    public record Report(DeviceInfo device, boolean quick, String bigShape, List<Run> runs, List<Claim> claims,
                         List<Accuracy> accuracy, List<Sensitivity> sensitivity, PaperDatapath.Defects defects,
                         List<String> notes) {
        /** True when every device output equalled the reference bits. */
        public boolean allBitExact() {
            return runs.stream().allMatch(Run::bitExact);
        }
    }

    /** One generated workload. */
    private record Problem(String shape, int m, int n, int k, int bits, int group, QuantizedWeights w, Fp16Matrix a,
                           double[] exact) {}

    /**
     * Runs the reproduction on an open device.
     *
     * @throws IllegalArgumentException when the device reports no clock or no cycles, or lacks
     *                                  PACQ or DEQUANT mode or INT4/INT2 weights
     */
    public static Report run(Device dev, Options o, Listener listener) {
        DeviceInfo info = dev.info();
        if (info.clockKhz() <= 0) {
            throw new IllegalArgumentException("device " + info.uri() + " (" + info.description() + ") reports no clock: "
                    + "pacq reproduce needs a device that models time, such as emu:?model=cycle");
        }
        for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT}) {
            if (!info.supports(mode)) {
                throw new IllegalArgumentException("device " + info.uri() + " does not support " + mode + " mode");
            }
        }
        for (int b : new int[] {4, 2}) {
            if (!info.supportsBits(b)) {
                throw new IllegalArgumentException("device " + info.uri() + " does not support INT" + b + " weights");
            }
        }
        boolean kpacked = info.supports(GemmMode.KPACKED);
        Set<GemmMode> modes = kpacked ? EnumSet.of(GemmMode.PACQ, GemmMode.DEQUANT, GemmMode.KPACKED)
                : EnumSet.of(GemmMode.PACQ, GemmMode.DEQUANT);
        int big = o.quick() ? 1024 : 4096;
        String bigShape = shape(16, big, big);
        String smallShape = shape(16, 16, 16);
        int total = 2 * 2 * modes.size() + 3 * 2 + 5 * 2;
        int[] done = {0};
        Listener step = (label, d, t) -> listener.step(label, ++done[0], total);

        List<Run> runs = new ArrayList<>();
        List<Accuracy> acc = new ArrayList<>();
        Map<String, Run> byKey = new LinkedHashMap<>();
        for (int bits : new int[] {4, 2}) {
            for (int[] sh : new int[][] {{16, 16, 16}, {16, big, big}}) {
                Problem p = problem(o.seed(), sh[0], sh[1], sh[2], bits, Math.min(GROUP, sh[2]));
                Map<GemmMode, Run> r = runModes(dev, p, modes, o.energy(), step);
                runs.addAll(r.values());
                r.forEach((mode, run) -> byKey.put(key(p.shape(), bits, mode), run));
                addDeviceAccuracy(acc, p, r);
                if (bits == 4) {
                    addPaperAccuracy(acc, p, r.get(GemmMode.DEQUANT).relRms(), step);
                }
            }
        }
        // accuracy at K = 256 (groups of 128 and one group) and at the large K with one group per column
        int[][] extra = {{16, big, 256, GROUP}, {16, big, 256, 256}, {16, big, big, big}};
        for (int[] e : extra) {
            Problem p = problem(o.seed(), e[0], e[1], e[2], 4, e[3]);
            Map<GemmMode, Run> r = runModes(dev, p, EnumSet.of(GemmMode.PACQ, GemmMode.DEQUANT), o.energy(), step);
            runs.addAll(r.values());
            addDeviceAccuracy(acc, p, r);
            addPaperAccuracy(acc, p, r.get(GemmMode.DEQUANT).relRms(), step);
        }

        PaperDatapath.Defects defects = PaperDatapath.defects();
        List<Claim> claims = claims(info, byKey, acc, defects, smallShape, bigShape, kpacked, big);
        List<Sensitivity> sens = new ArrayList<>();
        for (Map.Entry<String, EnergyModel> v : EnergyModel.sensitivityVariants(o.energy()).entrySet()) {
            sens.add(new Sensitivity(v.getKey(), edpChange(v.getValue(), byKey, bigShape, 4, info.clockKhz()),
                    edpChange(v.getValue(), byKey, bigShape, 2, info.clockKhz())));
        }
        return new Report(info, o.quick(), bigShape, List.copyOf(runs), claims, List.copyOf(acc), List.copyOf(sens),
                defects, notes(byKey, smallShape, kpacked));
    }

    private static List<Claim> claims(DeviceInfo info, Map<String, Run> r, List<Accuracy> acc,
                                      PaperDatapath.Defects defects, String small, String big, boolean kpacked,
                                      int bigK) {
        int clk = info.clockKhz();
        List<Claim> c = new ArrayList<>();
        double nan = Double.NaN;
        for (int bits : new int[] {4, 2}) {
            double paper = bits == 4 ? PAPER_SPEEDUP_PBK_INT4 : PAPER_SPEEDUP_PBK_INT2;
            c.add(new Claim("speedup_vs_pbk_" + small + "_int" + bits, "speedup vs P(B)k (K-packed flow)", paper,
                    kpacked ? ratio(r, small, bits, GemmMode.KPACKED, GemmMode.PACQ) : nan, "x",
                    small + " INT" + bits + ": cycles KPACKED / PACQ"));
        }
        for (int bits : new int[] {4, 2}) {
            c.add(new Claim("speedup_vs_pbk_large_int" + bits, "speedup vs P(B)k, large layer", nan,
                    kpacked ? ratio(r, big, bits, GemmMode.KPACKED, GemmMode.PACQ) : nan, "x",
                    big + " INT" + bits + ": cycles KPACKED / PACQ"));
        }
        for (int bits : new int[] {4, 2}) {
            c.add(new Claim("speedup_vs_dequant_large_int" + bits, "speedup vs DEQUANT (dequantize flow)", nan,
                    ratio(r, big, bits, GemmMode.DEQUANT, GemmMode.PACQ), "x",
                    big + " INT" + bits + ": cycles DEQUANT / PACQ"));
        }
        for (int bits : new int[] {4, 2}) {
            double paper = bits == 4 ? PAPER_RF_CHANGE_INT4 : PAPER_RF_CHANGE_INT2;
            c.add(new Claim("rf_vs_pbk_" + small + "_int" + bits, "register-file accesses vs P(B)k", paper,
                    kpacked ? change(rf(r, small, bits, GemmMode.PACQ), rf(r, small, bits, GemmMode.KPACKED)) : nan, "%",
                    small + " INT" + bits + ": RF reads+writes, PACQ vs KPACKED"));
        }
        for (int bits : new int[] {4, 2}) {
            c.add(new Claim("rf_vs_dequant_large_int" + bits, "register-file accesses vs DEQUANT", nan,
                    change(rf(r, big, bits, GemmMode.PACQ), rf(r, big, bits, GemmMode.DEQUANT)), "%",
                    big + " INT" + bits + ": RF reads+writes, PACQ vs DEQUANT"));
        }
        for (int bits : new int[] {4, 2}) {
            double paper = bits == 4 ? PAPER_EDP_CHANGE_INT4 : PAPER_EDP_CHANGE_INT2;
            c.add(new Claim("edp_vs_dequant_large_int" + bits, "EDP vs the dequantize flow", paper,
                    change(run(r, big, bits, GemmMode.PACQ).energy().edp(clk), run(r, big, bits, GemmMode.DEQUANT).energy().edp(clk)),
                    "%", big + " INT" + bits + ": energy x cycles, PACQ vs DEQUANT"));
        }
        for (int bits : new int[] {4, 2}) {
            c.add(new Claim("energy_vs_dequant_large_int" + bits, "energy vs the dequantize flow", nan,
                    change(run(r, big, bits, GemmMode.PACQ).energy().total(), run(r, big, bits, GemmMode.DEQUANT).energy().total()),
                    "%", big + " INT" + bits + ": energy model, PACQ vs DEQUANT"));
        }
        for (int bits : new int[] {4, 2}) {
            double paper = (bits == 4 ? PAPER_DPU_INT4 : PAPER_DPU_INT2) / PAPER_DPU_BASE;
            c.add(new Claim("mma_throughput_int" + bits, "matrix-unit products per cycle vs the FP16 unit", paper,
                    mmaThroughputRatio(bits), "x",
                    "machine definition (docs/simt.md 5): PMMA vs HMMA products per busy cycle"));
        }
        Accuracy pacqBig = find(acc, big, 4, Math.min(GROUP, bigK), "PACQ (device)");
        c.add(new Claim("accuracy_pacq_vs_dequant_large_int4", "accuracy: PACQ error / DEQUANT error vs FP64", nan,
                pacqBig.vsDequant(), "ratio", big + " INT4 g" + Math.min(GROUP, bigK) + ", FP16 output, rel. RMS"));
        Accuracy paper256 = find(acc, shape(16, bigK, 256), 4, 256, "paper FP16, as drawn");
        c.add(new Claim("accuracy_paper_datapath_k256", "paper's FP16 datapath: error / DEQUANT error", nan,
                paper256.vsDequant(), "x", paper256.shape() + " INT4 one group per column, as drawn"));
        Accuracy paperBig = find(acc, big, 4, bigK, "paper FP16, as drawn");
        c.add(new Claim("nonfinite_paper_datapath_large", "paper's FP16 datapath: outputs Inf/NaN", nan,
                100.0 * paperBig.nonFinite() / paperBig.outputs(), "share",
                big + " INT4 one group per column, as drawn (ours: 0)"));
        c.add(new Claim("paper_multiplier_carry_lost", "drawn multiplier: carry out of the 14-bit intermediate lost", nan,
                100.0 * defects.carryLostRate(), "share", "all normal FP16 significands x 16 codes"));
        c.add(new Claim("paper_multiplier_unnormalized", "drawn multiplier: products needing the omitted normalization",
                nan, 100.0 * defects.unnormalizedRate(), "share", "all normal FP16 significands x 16 codes"));
        return List.copyOf(c);
    }

    private static List<String> notes(Map<String, Run> r, String small, boolean kpacked) {
        List<String> n = new ArrayList<>();
        Run p4 = run(r, small, 4, GemmMode.PACQ);
        long useful = 16L * 16 * 16;
        n.add("Small shape: on this machine " + small + " is dominated by fixed costs (prologue, A staging through "
                + "shared memory, output): PACQ INT4 takes " + p4.stats().cycles() + " cycles, of which its one PMMA keeps "
                + "the matrix unit busy " + (long) pmmaBusy(4) + ". A warp computes a whole strip of "
                + PackedWeights.stripCols(4) + " (INT4) or " + PackedWeights.stripCols(2) + " (INT2) columns, so the "
                + "matrix units compute " + PackedWeights.stripCols(4) / 16 + "x / " + PackedWeights.stripCols(2) / 16
                + "x the " + useful + " useful products. The paper times one warp-level m16n16k16 on Volta-model octets:"
                + " its ~2x is a statement about the unit, ours includes the whole command.");
        if (kpacked) {
            n.add("P(B)k: our KMMA reads A and B from registers once per instruction, exactly like PMMA; it is slower "
                    + "(one product per multiplier per cycle) but moves the same register words. The paper's P(B)k "
                    + "fetches each activation once per code of a K-packed word, which is where its register-file "
                    + "savings come from. Against DEQUANT, which unpacks and dequantizes on the lanes, PACQ halves the"
                    + " register-file traffic.");
        }
        n.add("Energy: completion-record counters x per-event energies at 45 nm (Horowitz, ISSCC 2014) and the"
                + " paper's own multiplier throughput/W for the FP-INT multiplier; the paper synthesized its units at"
                + " 32 nm and used CACTI. Device memory (DRAM) is included and is most of the energy. Our EDP change"
                + " is a larger speedup than the paper's (our DEQUANT is bound by its FP16 matrix unit) times a smaller"
                + " energy saving: a similar EDP figure does not mean the same mix. No static energy unless"
                + " a static energy per cycle is given (it would favour PACQ, which takes fewer cycles).");
        n.add("Multiplier kinds: MUL_OPS/ADD_OPS do not say which unit did the work; the matrix-unit share is"
                + " derived from the shape and mode (the built-in kernels), the rest is lane FP32 (PACQ, KPACKED) or"
                + " lane FP16 (DEQUANT). Counters MMA_OPS and HMUL_OPS in the ABI would remove that derivation.");
        n.add("Accuracy: the device computes exact products and FP32 sums (numerics.md); the paper's FP16 datapath is"
                + " emulated bit by bit from our reading of its figure (docs/reproduce.md), INT4 only.");
        return List.copyOf(n);
    }

    /** Quantizes a seeded Gaussian layer and draws standard normal activations. */
    private static Problem problem(long seed, int m, int n, int k, int bits, int group) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + ((long) n << 40) + ((long) k << 16) + bits);
        float[] w = new float[k * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * WEIGHT_SIGMA);
        }
        float[] a = new float[m * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        QuantizedWeights qw = Quantizer.quantize(w, k, n, new QuantSpec(bits, group, 1, true));
        Fp16Matrix am = Fp16Matrix.ofFloats(m, k, a);
        return new Problem(shape(m, n, k), m, n, k, bits, group, qw, am, ReferenceGemm.exact(am.bitsView(), m, qw));
    }

    private static Map<GemmMode, Run> runModes(Device dev, Problem p, Set<GemmMode> modes, EnergyModel energy,
                                               Listener step) {
        Map<GemmMode, Run> out = new LinkedHashMap<>();
        short[] refPacq = null;
        short[] refDequant = null;
        try (WeightHandle h = dev.upload(p.w(), modes)) {
            for (GemmMode mode : modes) {
                long t0 = System.nanoTime();
                GemmResult res = dev.gemm(GemmRequest.of(h, p.a()).withMode(mode));
                double sec = (System.nanoTime() - t0) / 1e9;
                short[] ref;
                if (mode == GemmMode.DEQUANT) {
                    refDequant = refDequant != null ? refDequant : ReferenceGemm.gemmF16(mode, p.a().bitsView(), p.m(), p.w());
                    ref = refDequant;
                } else {   // KPACKED has the numerics of PACQ
                    refPacq = refPacq != null ? refPacq : ReferenceGemm.gemmF16(GemmMode.PACQ, p.a().bitsView(), p.m(), p.w());
                    ref = refPacq;
                }
                short[] got = res.f16Bits();
                EnergyBreakdown e = energy.estimate(new EnergyModel.Workload(mode, p.m(), p.n(), p.k(), p.bits()),
                        res.stats());
                out.put(mode, new Run(p.shape(), p.bits(), p.group(), mode, res.stats(), e,
                        java.util.Arrays.equals(got, ref), relRms(got, p.exact()), sec));
                step.step(p.shape() + " INT" + p.bits() + " g" + p.group() + " " + mode, 0, 0);
            }
        }
        return out;
    }

    private static void addDeviceAccuracy(List<Accuracy> acc, Problem p, Map<GemmMode, Run> r) {
        double deq = r.get(GemmMode.DEQUANT).relRms();
        for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT}) {
            Run run = r.get(mode);
            acc.add(new Accuracy(p.shape(), p.bits(), p.group(), mode + " (device)", run.relRms(), 0,
                    (long) p.m() * p.n(), run.relRms() / deq));
        }
    }

    private static void addPaperAccuracy(List<Accuracy> acc, Problem p, double dequantRelRms, Listener step) {
        for (PaperDatapath.Multiplier mult : PaperDatapath.Multiplier.values()) {
            short[] c = PaperDatapath.gemm(mult, p.a().bitsView(), p.m(), p.w());
            long nonFinite = 0;
            for (short v : c) {
                if (!Fp16.isFinite(v)) {
                    nonFinite++;
                }
            }
            double e = relRms(c, p.exact());
            acc.add(new Accuracy(p.shape(), p.bits(), p.group(),
                    mult == PaperDatapath.Multiplier.AS_DRAWN ? "paper FP16, as drawn" : "paper FP16, IEEE multiplier",
                    e, nonFinite, c.length, e / dequantRelRms));
            step.step(p.shape() + " INT4 g" + p.group() + " paper datapath " + mult, 0, 0);
        }
    }

    /** sqrt(Σ (c − exact)² / Σ exact²); +Inf when an output is not finite. */
    static double relRms(short[] c, double[] exact) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < c.length; i++) {
            double e = Fp16.toFloat(c[i]) - exact[i];
            num += e * e;
            den += exact[i] * exact[i];
        }
        if (Double.isNaN(num)) {
            return Double.POSITIVE_INFINITY;
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    /**
     * Products per busy cycle of one matrix unit, PMMA over HMMA, from the machine's definition
     * (docs/simt.md 5): a PMMA is 4096 (activation, word) pairs on MMA_MULTIPLIERS multipliers and
     * 4096·cpw accumulations on MMA_ADDERS adders; an HMMA is 4096 products on MMA_MULTIPLIERS.
     */
    static double mmaThroughputRatio(int bits) {
        int cpw = PackedWeights.colsPerWord(bits);
        double hmmaBusy = 4096.0 / Abi.MMA_MULTIPLIERS;
        return (4096.0 * cpw / pmmaBusy(bits)) / (4096.0 / hmmaBusy);
    }

    /** Busy cycles of one PMMA (docs/simt.md 5): pairs over multipliers, or accumulations over adders. */
    static double pmmaBusy(int bits) {
        return Math.max(4096.0 / Abi.MMA_MULTIPLIERS, 4096.0 * PackedWeights.colsPerWord(bits) / Abi.MMA_ADDERS);
    }

    private static double edpChange(EnergyModel model, Map<String, Run> r, String big, int bits, int clk) {
        Run p = run(r, big, bits, GemmMode.PACQ);
        Run d = run(r, big, bits, GemmMode.DEQUANT);
        double ep = model.estimate(new EnergyModel.Workload(GemmMode.PACQ, 16, dim(big, 'n'), dim(big, 'k'), bits), p.stats()).edp(clk);
        double ed = model.estimate(new EnergyModel.Workload(GemmMode.DEQUANT, 16, dim(big, 'n'), dim(big, 'k'), bits), d.stats()).edp(clk);
        return change(ep, ed);
    }

    private static int dim(String shape, char c) {
        int i = shape.indexOf(c);
        int j = i + 1;
        while (j < shape.length() && Character.isDigit(shape.charAt(j))) {
            j++;
        }
        return Integer.parseInt(shape.substring(i + 1, j));
    }

    private static Accuracy find(List<Accuracy> acc, String shape, int bits, int group, String datapath) {
        return acc.stream().filter(a -> a.shape().equals(shape) && a.bits() == bits && a.group() == group
                && a.datapath().equals(datapath)).findFirst().orElseThrow();
    }

    private static double ratio(Map<String, Run> r, String shape, int bits, GemmMode num, GemmMode den) {
        return (double) run(r, shape, bits, num).stats().cycles() / run(r, shape, bits, den).stats().cycles();
    }

    private static long rf(Map<String, Run> r, String shape, int bits, GemmMode mode) {
        CommandStats s = run(r, shape, bits, mode).stats();
        return s.rfReads() + s.rfWrites();
    }

    /** Change of a over b, percent. */
    static double change(double a, double b) {
        return 100.0 * (a - b) / b;
    }

    private static Run run(Map<String, Run> r, String shape, int bits, GemmMode mode) {
        Run x = r.get(key(shape, bits, mode));
        if (x == null) {
            throw new IllegalStateException("no run " + key(shape, bits, mode));
        }
        return x;
    }

    private static String key(String shape, int bits, GemmMode mode) {
        return shape + "/INT" + bits + "/" + mode;
    }

    static String shape(int m, int n, int k) {
        return "m" + m + "n" + n + "k" + k;
    }
}
