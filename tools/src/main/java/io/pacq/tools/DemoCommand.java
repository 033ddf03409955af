package io.pacq.tools;

import io.pacq.Device;
import io.pacq.DeviceInfo;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.quant.Quantizer;
import io.pacq.ref.ReferenceGemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code pacq demo}: seeded random weights and activations, quantized, run in both modes on a
 * device, checked bit for bit against the reference and for accuracy against FP64.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Quantize random weights, run the GEMM in PACQ and DEQUANT modes on a device (emu: by default), "
                + "check it bit for bit against the reference and report the error against FP64.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptionsMixin device;

    @Option(names = "-m", defaultValue = "16", description = "Rows of A (batch), default ${DEFAULT-VALUE}.")
    int m;

    @Option(names = "-n", defaultValue = "4096", description = "Output features N, default ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "-k", defaultValue = "4096", description = "Input features K, default ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--bits", defaultValue = "4", description = "Weight bits: 2, 4 or 8 (default ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--group", defaultValue = "128", description = "Group size along K (default ${DEFAULT-VALUE}).")
    int group;

    @Option(names = "--group-cols", defaultValue = "1", description = "Columns per group (2-D groups), default 1.")
    int groupCols;

    @Option(names = "--symmetric", description = "Symmetric quantization (no zero points).")
    boolean symmetric;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        QuantSpec qs = new QuantSpec(bits, group, groupCols, symmetric);
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] w = new float[k * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (gaussian(rnd) * 0.02);          // LLM-like weight scale
        }
        float[] a = new float[m * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) gaussian(rnd);
        }
        QuantizedWeights qw = Quantizer.quantize(w, k, n, qs);
        Fp16Matrix act = Fp16Matrix.ofFloats(m, k, a);
        boolean allExact = true;
        try (Device dev = device.open()) {
            DeviceInfo info = dev.info();
            out.printf("PacQ demo, device %s (%s)%n", info.uri(), info.description());
            out.printf("  C[%d x %d] = A[%d x %d] (FP16) x W[%d x %d] (%s)%n", m, n, m, k, k, n, describe(qs));
            try (WeightHandle h = dev.upload(qw)) {
                out.printf("  weights on device: %s (FP16 weights would take %s)%n%n", mib(h.deviceBytes()),
                        mib(2L * k * n));
                double[] exact = ReferenceGemm.exact(act.bitsView(), m, qw);
                out.printf(Locale.ROOT, "  %-8s %12s %10s  %-28s %s%n", "mode", "time", "GFLOP/s",
                        "bit-exact vs reference", "rel. RMS error vs FP64");
                for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT}) {
                    GemmRequest req = GemmRequest.of(h, act).withMode(mode);
                    // the first calls compile the engine's kernels: keep the best of several runs
                    GemmResult r = null;
                    long best = Long.MAX_VALUE;
                    long start = System.nanoTime();
                    for (int i = 0; i < 50 && (i < 4 || System.nanoTime() - start < 2_000_000_000L); i++) {
                        long t0 = System.nanoTime();
                        r = dev.gemm(req);
                        best = Math.min(best, System.nanoTime() - t0);
                    }
                    short[] ref = ReferenceGemm.gemmF16(mode, act.bitsView(), m, qw);
                    short[] got = r.f16Bits();
                    int mismatches = 0;
                    for (int i = 0; i < ref.length; i++) {
                        if (ref[i] != got[i]) {
                            mismatches++;
                        }
                    }
                    allExact &= mismatches == 0;
                    double gflops = 2.0 * m * n * k / best;
                    out.printf(Locale.ROOT, "  %-8s %9.3f ms %10.1f  %-28s %.3e%n", mode, best / 1e6, gflops,
                            mismatches == 0 ? "yes (" + ref.length + " elements)" : "NO: " + mismatches + " differ",
                            relRms(r.toFloats(), exact));
                }
            }
        }
        out.println();
        out.println(allExact ? "  every output is bit-identical to the reference implementation of the numerics contract."
                : "  MISMATCH against the reference: this is a bug, please report it.");
        return allExact ? 0 : 1;
    }

    static String describe(QuantSpec qs) {
        return "INT" + qs.bits() + ", groups of " + qs.groupSize() + (qs.groupCols() > 1 ? " x " + qs.groupCols() : "")
                + ", " + (qs.symmetric() ? "symmetric" : "asymmetric");
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
    }

    /** sqrt(sum (got - exact)^2 / sum exact^2). */
    static double relRms(float[] got, double[] exact) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < got.length; i++) {
            double e = got[i] - exact[i];
            num += e * e;
            den += exact[i] * exact[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    /** Standard normal sample (Box-Muller), deterministic for the generator. */
    static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
