package io.pacq.emu.bench;

import io.pacq.quant.PackedWeights;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The baseline in scalar Java (loops the JIT may auto-vectorize), used when the Vector API is
 * absent. Parallel over strips for the dequantization and over column panels for the GEMM.
 */
final class ScalarDequantGemm implements DequantGemm {
    private final BaselineWeights w;
    private final ForkJoinPool pool;
    private final float[] wf;

    ScalarDequantGemm(BaselineWeights w, ForkJoinPool pool) {
        this.w = w;
        this.pool = pool;
        this.wf = new float[w.k * w.paddedCols()];
    }

    @Override
    public String describe() {
        return "scalar Java (auto-vectorized loops)";
    }

    @Override
    public float[] run(float[] a, int m) {
        int np = w.paddedCols();
        int cpw = PackedWeights.colsPerWord(w.bits);
        int mask = (1 << w.bits) - 1;
        pool.submit(() -> IntStream.range(0, w.strips).parallel().forEach(s -> {
            for (int kk = 0; kk < w.k; kk++) {
                int gBase = (kk / w.groupSize) * np;
                for (int col = 0; col < w.stripCols; col++) {
                    int word = w.words[(s * w.k + kk) * 16 + col / cpw];
                    int q = (word >>> ((col % cpw) * w.bits)) & mask;
                    int c = s * w.stripCols + col;
                    wf[kk * np + c] = (q - w.zeros[gBase + c]) * w.scales[gBase + c];
                }
            }
        })).join();
        float[] out = new float[m * np];
        int panel = 256;
        pool.submit(() -> IntStream.range(0, (np + panel - 1) / panel).parallel().forEach(p -> {
            int c0 = p * panel;
            int c1 = Math.min(np, c0 + panel);
            for (int r = 0; r < m; r++) {
                for (int kk = 0; kk < w.k; kk++) {
                    float av = a[r * w.k + kk];
                    int wo = kk * np;
                    int oo = r * np;
                    for (int c = c0; c < c1; c++) {
                        out[oo + c] = Math.fma(av, wf[wo + c], out[oo + c]);
                    }
                }
            }
        })).join();
        float[] c = new float[m * w.n];
        for (int r = 0; r < m; r++) {
            System.arraycopy(out, r * np, c, r * w.n, w.n);
        }
        return c;
    }

    /** FP32 FMA throughput of scalar code on {@code threads} threads, GFLOP/s (12 chains each). */
    static double peakGflops(ForkJoinPool pool, int threads, long nanos) {
        long iters = 1 << 20;
        double best = 0;
        long end = System.nanoTime() + nanos;
        int rounds = 0;
        while (rounds++ < 5 || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            double sink = pool.submit(() -> IntStream.range(0, threads).parallel().mapToDouble(t -> {
                float m = 0.999999f;
                float c = 1e-7f;
                float x0 = t, x1 = t + 1, x2 = t + 2, x3 = t + 3, x4 = t + 4, x5 = t + 5;
                float x6 = t + 6, x7 = t + 7, x8 = t + 8, x9 = t + 9, x10 = t + 10, x11 = t + 11;
                for (long i = 0; i < iters; i++) {
                    x0 = Math.fma(x0, m, c);
                    x1 = Math.fma(x1, m, c);
                    x2 = Math.fma(x2, m, c);
                    x3 = Math.fma(x3, m, c);
                    x4 = Math.fma(x4, m, c);
                    x5 = Math.fma(x5, m, c);
                    x6 = Math.fma(x6, m, c);
                    x7 = Math.fma(x7, m, c);
                    x8 = Math.fma(x8, m, c);
                    x9 = Math.fma(x9, m, c);
                    x10 = Math.fma(x10, m, c);
                    x11 = Math.fma(x11, m, c);
                }
                return x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11;
            }).sum()).join();
            long dt = System.nanoTime() - t0;
            if (sink == 42.4242) {
                System.out.print("");
            }
            best = Math.max(best, threads * iters * 12.0 * 2 / dt);
        }
        return best;
    }
}
