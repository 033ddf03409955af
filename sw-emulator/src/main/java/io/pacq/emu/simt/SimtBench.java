package io.pacq.emu.simt;

import io.pacq.CommandStats;
import io.pacq.GemmMode;
import io.pacq.abi.Abi;
import io.pacq.emu.DeviceMemory;
import io.pacq.emu.GemmCommand;
import io.pacq.emu.PlainGemmEngine;
import io.pacq.fp.Fp16;
import io.pacq.quant.KPackedWeights;
import io.pacq.quant.PackedWeights;
import io.pacq.quant.QuantizedWeights;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Benchmark of the cycle-level model: simulated cycles of the PACQ, DEQUANT and KPACKED (P(B)k)
 * kernels on the paper's shapes, and the simulator's speed in simulated cycles per second. Every
 * result is checked bit for bit against the functional engine of the same run.
 *
 * <pre>
 *   java -cp ... io.pacq.emu.simt.SimtBench [--quick] [cores=2 warps=4 ...]
 * </pre>
 *
 * Not thread-safe; one run at a time.
 */
public final class SimtBench {
    private SimtBench() {}

    /** One measured GEMM, with its shared-memory bank statistics. */
    public record Row(String shape, int bits, GemmMode mode, CommandStats stats, SmemStats smem, double seconds) {
        /** Simulated cycles per wall-clock second. */
        public double cyclesPerSecond() {
            return stats.cycles() / seconds;
        }
    }

    /** Command-line entry: prints the report to standard output. */
    public static void main(String[] args) {
        SimtConfig cfg = SimtConfig.DEFAULTS;
        boolean quick = false;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
                continue;
            }
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value or --quick, got " + a);
            }
            int v = Integer.parseInt(kv[1]);
            cfg = switch (kv[0]) {
                case "cores" -> cfg.withCores(v);
                case "warps" -> cfg.withWarps(v);
                case "mma" -> new SimtConfig(cfg.cores(), cfg.warps(), v, cfg.smemBytes(), cfg.dmemLatency(), cfg.dmemBytesPerCycle());
                case "smem" -> new SimtConfig(cfg.cores(), cfg.warps(), cfg.mmaUnits(), v, cfg.dmemLatency(), cfg.dmemBytesPerCycle());
                case "dmemlat" -> new SimtConfig(cfg.cores(), cfg.warps(), cfg.mmaUnits(), cfg.smemBytes(), v, cfg.dmemBytesPerCycle());
                case "dmembw" -> new SimtConfig(cfg.cores(), cfg.warps(), cfg.mmaUnits(), cfg.smemBytes(), cfg.dmemLatency(), v);
                default -> throw new IllegalArgumentException("unknown parameter " + kv[0]);
            };
        }
        run(System.out, cfg, quick);
    }

    /** Runs the default benchmark with the default machine. */
    public static void run(PrintStream out) {
        run(out, SimtConfig.DEFAULTS, false);
    }

    /**
     * Runs the benchmark and prints a table.
     *
     * @param quick only m16n16k16 and m16n1024k1024 (for a smoke run)
     */
    public static void run(PrintStream out, SimtConfig cfg, boolean quick) {
        out.println("PacQ SIMT cycle model benchmark");
        out.println("machine: " + cfg.describe() + "; matrix unit " + Abi.MMA_MULTIPLIERS + " multipliers, "
                + Abi.MMA_ADDERS + " adders; clock " + Abi.DEFAULT_CLOCK_KHZ / 1000 + " MHz (model)");
        int big = quick ? 1024 : 4096;
        int[][] shapes = {{16, 16, 16}, {16, big, big}};
        // the required case first, in a cold JVM: m16n4096k4096 INT4 PACQ must simulate in under 60 s
        Row cold = measure(cfg, 16, big, big, 4, 128, GemmMode.PACQ, 7);
        out.printf("cold run (first in this JVM, incl. JIT): m16n%dk%d INT4 PACQ, %d cycles in %.2f s%n", big, big,
                cold.stats().cycles(), cold.seconds());
        measure(cfg, 16, 1024, 1024, 2, 128, GemmMode.DEQUANT, 8);   // warm the remaining paths
        out.printf("%-16s %4s %-8s %12s %10s %8s %7s %8s %10s %12s %12s %10s %9s%n", "shape", "bits", "mode", "cycles",
                "instr", "vs PACQ", "unit %", "wall s", "Mcycles/s", "RF words", "DMEM bytes", "smem ops", "smem P>1");
        for (int[] sh : shapes) {
            for (int bits : new int[] {4, 2}) {
                int g = Math.min(128, sh[2]);
                long pacq = 0;
                for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT, GemmMode.KPACKED}) {
                    Row r = measure(cfg, sh[0], sh[1], sh[2], bits, g, mode, 7);
                    for (int rep = 1; rep < 3; rep++) {   // best of three wall times; cycles are deterministic
                        Row again = measure(cfg, sh[0], sh[1], sh[2], bits, g, mode, 7);
                        if (again.seconds() < r.seconds()) {
                            r = again;
                        }
                    }
                    if (mode == GemmMode.PACQ) {
                        pacq = r.stats().cycles();
                    }
                    CommandStats s = r.stats();
                    out.printf("%-16s %4s %-8s %12d %10d %8.2f %7.1f %8.2f %10.2f %12d %12d %10d %9d%n",
                            "m" + sh[0] + "n" + sh[1] + "k" + sh[2], "INT" + bits, mode, s.cycles(), s.instructions(),
                            (double) s.cycles() / pacq, 100.0 * unitBound(cfg, sh[0], sh[1], sh[2], bits, mode) / s.cycles(),
                            r.seconds(), r.cyclesPerSecond() / 1e6, s.rfReads() + s.rfWrites(),
                            s.dmemReadBytes() + s.dmemWriteBytes(), r.smem().loads() + r.smem().stores(),
                            r.smem().multiPass());
                }
            }
        }
        out.println("vs PACQ: cycles of the mode / cycles of PACQ on the same shape and bits (DEQUANT and KPACKED"
                + " are the baselines); unit %: the matrix units' busy time if perfectly spread over the cores, as a"
                + " share of the cycles; Mcycles/s: simulated machine cycles per wall-clock second (warm JVM, best of 3);"
                + " smem ops: shared-memory instructions; smem P>1: those that take more than one pass of the 32 banks"
                + " and replay, docs/simt.md 6.2 (SmemStats); g = min(128, K), group_cols 1, asymmetric, FP16 output.");
    }

    /** Cycles the matrix units need for a GEMM if every unit were busy all the time (docs/simt.md 5). */
    static long unitBound(SimtConfig cfg, int m, int n, int k, int bits, GemmMode mode) {
        int cpw = 16 / bits;
        long strips = PackedWeights.strips(n, bits);
        long blocks = (long) ((m + 15) / 16) * strips * (k / 16);
        long busy = switch (mode) {
            case PACQ -> 4096L / Abi.MMA_MULTIPLIERS * Math.max(1, cpw / 4);
            case KPACKED -> 4096L * cpw / Abi.MMA_MULTIPLIERS;
            case DEQUANT -> 4096L / Abi.MMA_MULTIPLIERS * cpw;   // cpw HMMAs per strip block
        };
        return blocks * busy / ((long) cfg.cores() * cfg.mmaUnits());
    }

    /**
     * Runs one GEMM on the cycle model, checks it against the functional engine bit for bit, and
     * returns its counters and wall time.
     */
    public static Row measure(SimtConfig cfg, int m, int n, int k, int bits, int g, GemmMode mode, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        QuantizedWeights w = randomWeights(rnd, k, n, bits, g);
        short[] a = new short[m * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = Fp16.fromFloat((float) (rnd.nextDouble() * 4 - 2));
        }
        PackedWeights pw = PackedWeights.pack(w);
        byte[] wbytes = mode == GemmMode.KPACKED ? KPackedWeights.pack(w).weights() : pw.weights();
        long mem = 64L << 20;
        long need = 4L * (a.length * 2L + wbytes.length + pw.scales().length + pw.zeros().length + 4L * m * n) + (8 << 20);
        while (mem < need) {
            mem *= 2;
        }
        DeviceMemory dm = new DeviceMemory(mem);
        long addrA = 1 << 20;
        long addrW = align(addrA + a.length * 2L);
        long addrS = align(addrW + wbytes.length);
        long addrZ = align(addrS + pw.scales().length);
        long addrC = align(addrZ + pw.zeros().length);
        long addrC2 = align(addrC + 2L * m * n);
        byte[] ab = new byte[a.length * 2];
        for (int i = 0; i < a.length; i++) {
            ab[2 * i] = (byte) a[i];
            ab[2 * i + 1] = (byte) (a[i] >> 8);
        }
        dm.write(addrA, ab, 0, ab.length);
        dm.write(addrW, wbytes, 0, wbytes.length);
        dm.write(addrS, pw.scales(), 0, pw.scales().length);
        dm.write(addrZ, pw.zeros(), 0, pw.zeros().length);
        GemmCommand cmd = new GemmCommand(0, mode, bits, false, false, m, n, k, g, 1, addrA, addrW, addrS, addrZ, addrC);
        SimtEngine engine = new SimtEngine(cfg);
        long t0 = System.nanoTime();
        CommandStats st = engine.run(cmd, dm, () -> false);
        double sec = (System.nanoTime() - t0) / 1e9;
        GemmCommand ref = new GemmCommand(0, mode, bits, false, false, m, n, k, g, 1, addrA, addrW, addrS, addrZ, addrC2);
        new PlainGemmEngine(Runtime.getRuntime().availableProcessors()).run(ref, dm, () -> false);
        byte[] got = new byte[2 * m * n];
        byte[] want = new byte[2 * m * n];
        dm.read(addrC, got, 0, got.length);
        dm.read(addrC2, want, 0, want.length);
        if (!Arrays.equals(got, want)) {
            throw new IllegalStateException("cycle model result differs from the functional engine: " + mode + " INT"
                    + bits + " m" + m + "n" + n + "k" + k);
        }
        return new Row("m" + m + "n" + n + "k" + k, bits, mode, st, engine.smemStats(), sec);
    }

    private static long align(long x) {
        return (x + 4095) & ~4095L;
    }

    private static QuantizedWeights randomWeights(SplittableRandom rnd, int k, int n, int bits, int g) {
        byte[] codes = new byte[k * n];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) rnd.nextInt(1 << bits);
        }
        short[] scales = new short[(k / g) * n];
        byte[] zeros = new byte[scales.length];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = Fp16.fromFloat((float) Math.scalb(1.0 + rnd.nextDouble(), -6 - rnd.nextInt(4)));
            zeros[i] = (byte) rnd.nextInt(1 << bits);
        }
        return new QuantizedWeights(k, n, bits, g, 1, codes, scales, zeros);
    }
}
