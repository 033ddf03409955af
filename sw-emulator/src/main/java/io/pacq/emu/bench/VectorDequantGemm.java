package io.pacq.emu.bench;

import io.pacq.quant.PackedWeights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The baseline on the Vector API, written to be as fast as the recipe allows: the
 * dequantization decodes whole strip rows with vector shifts and masks and writes FP32 weights in
 * the strip's lane order (the GEMM does not care about column order; C is put back in order at
 * the end); the GEMM multiplies register blocks of 8 rows x 2 vectors (4 x 4 for the remaining rows) with
 * FMAs over panels of columns, each panel's weights reused by every row block. Loaded reflectively by
 * {@link GemmBenchmark} (compiled with the incubator module).
 */
final class VectorDequantGemm implements DequantGemm {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I = F.vectorBitSize() == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
    static final VectorSpecies<Short> S = F.vectorBitSize() == 512 ? ShortVector.SPECIES_256 : ShortVector.SPECIES_128;
    static final int L = F.length();

    private final BaselineWeights w;
    private final ForkJoinPool pool;
    private final int np;
    private final int cpw;
    /** Scales and zeros per group row in lane order. */
    private final float[] sp;
    private final float[] zp;
    /** Padded column of each position (lane order). */
    private final int[] colAt;
    /** The dequantized weights, [K][np] in lane order: allocated once, rewritten every call. */
    private final float[] wf;

    VectorDequantGemm(BaselineWeights w, ForkJoinPool pool) {
        this.w = w;
        this.pool = pool;
        this.np = w.paddedCols();
        this.cpw = PackedWeights.colsPerWord(w.bits);
        this.colAt = new int[np];
        for (int pos = 0; pos < np; pos++) {
            int s = pos / w.stripCols;
            int p = pos % w.stripCols;
            int v = p / L;
            int i = p % L;
            int h = v / cpw;
            int j = v % cpw;
            colAt[pos] = s * w.stripCols + cpw * (L * h + i) + j;
        }
        int groups = w.k / w.groupSize;
        this.sp = new float[groups * np];
        this.zp = new float[groups * np];
        for (int g = 0; g < groups; g++) {
            for (int pos = 0; pos < np; pos++) {
                sp[g * np + pos] = w.scales[g * np + colAt[pos]];
                zp[g * np + pos] = w.zeros[g * np + colAt[pos]];
            }
        }
        this.wf = new float[w.k * np];
    }

    @Override
    public String describe() {
        return "Vector API, " + F.vectorBitSize() + "-bit (FP32 weights, 8x2 and 4x4 register blocks)";
    }

    @Override
    public float[] run(float[] a, int m) {
        int k = w.k;
        pool.submit(() -> IntStream.range(0, w.strips).parallel().forEach(this::dequantizeStrip)).join();
        float[] out = new float[m * np];
        int panels = np / (4 * L);
        pool.submit(() -> IntStream.range(0, panels).parallel().forEach(p -> {
            int c0 = p * 4 * L;
            int r = 0;
            for (; r + 8 <= m; r += 8) {          // 8 rows x 2 vectors: the panel streams twice, not 4 times
                block8x2(a, r * k, k, c0, out, r * np);
                block8x2(a, r * k, k, c0 + 2 * L, out, r * np);
            }
            for (; r + 4 <= m; r += 4) {
                block4(a, r * k, k, c0, out, r * np);
            }
            for (; r < m; r++) {
                block1(a, r * k, k, c0, out, r * np);
            }
        })).join();
        float[] c = new float[m * w.n];
        for (int r = 0; r < m; r++) {
            for (int pos = 0; pos < np; pos++) {
                int col = colAt[pos];
                if (col < w.n) {
                    c[r * w.n + col] = out[r * np + pos];
                }
            }
        }
        return c;
    }

    private void dequantizeStrip(int s) {
        int bits = w.bits;
        int mask = (1 << bits) - 1;
        int h16 = 16 / L;
        for (int kk = 0; kk < w.k; kk++) {
            int g = (kk / w.groupSize) * np + s * w.stripCols;
            int dst = kk * np + s * w.stripCols;
            for (int h = 0; h < h16; h++) {
                IntVector wi = (IntVector) ShortVector.fromArray(S, w.words, (s * w.k + kk) * 16 + h * L)
                        .convertShape(VectorOperators.S2I, I, 0);
                for (int j = 0; j < cpw; j++) {
                    int v = (h * cpw + j) * L;
                    FloatVector q = (FloatVector) wi.lanewise(VectorOperators.LSHR, j * bits).and(mask)
                            .convert(VectorOperators.I2F, 0);
                    q.sub(FloatVector.fromArray(F, zp, g + v)).mul(FloatVector.fromArray(F, sp, g + v))
                            .intoArray(wf, dst + v);
                }
            }
        }
    }

    private void block4(float[] a, int ai, int k, int c0, float[] out, int oi) {
        int a1 = ai + k;
        int a2 = ai + 2 * k;
        int a3 = ai + 3 * k;
        FloatVector p00 = FloatVector.zero(F), p01 = p00, p02 = p00, p03 = p00;
        FloatVector p10 = p00, p11 = p00, p12 = p00, p13 = p00;
        FloatVector p20 = p00, p21 = p00, p22 = p00, p23 = p00;
        FloatVector p30 = p00, p31 = p00, p32 = p00, p33 = p00;
        for (int t = 0; t < k; t++) {
            int wo = t * np + c0;
            FloatVector w0 = FloatVector.fromArray(F, wf, wo);
            FloatVector w1 = FloatVector.fromArray(F, wf, wo + L);
            FloatVector w2 = FloatVector.fromArray(F, wf, wo + 2 * L);
            FloatVector w3 = FloatVector.fromArray(F, wf, wo + 3 * L);
            FloatVector b = FloatVector.broadcast(F, a[ai + t]);
            p00 = b.fma(w0, p00);
            p01 = b.fma(w1, p01);
            p02 = b.fma(w2, p02);
            p03 = b.fma(w3, p03);
            b = FloatVector.broadcast(F, a[a1 + t]);
            p10 = b.fma(w0, p10);
            p11 = b.fma(w1, p11);
            p12 = b.fma(w2, p12);
            p13 = b.fma(w3, p13);
            b = FloatVector.broadcast(F, a[a2 + t]);
            p20 = b.fma(w0, p20);
            p21 = b.fma(w1, p21);
            p22 = b.fma(w2, p22);
            p23 = b.fma(w3, p23);
            b = FloatVector.broadcast(F, a[a3 + t]);
            p30 = b.fma(w0, p30);
            p31 = b.fma(w1, p31);
            p32 = b.fma(w2, p32);
            p33 = b.fma(w3, p33);
        }
        int o = oi + c0;
        p00.intoArray(out, o);
        p01.intoArray(out, o + L);
        p02.intoArray(out, o + 2 * L);
        p03.intoArray(out, o + 3 * L);
        o += np;
        p10.intoArray(out, o);
        p11.intoArray(out, o + L);
        p12.intoArray(out, o + 2 * L);
        p13.intoArray(out, o + 3 * L);
        o += np;
        p20.intoArray(out, o);
        p21.intoArray(out, o + L);
        p22.intoArray(out, o + 2 * L);
        p23.intoArray(out, o + 3 * L);
        o += np;
        p30.intoArray(out, o);
        p31.intoArray(out, o + L);
        p32.intoArray(out, o + 2 * L);
        p33.intoArray(out, o + 3 * L);
    }

    private void block8x2(float[] a, int ai, int k, int c0, float[] out, int oi) {
        FloatVector p00 = FloatVector.zero(F), p01 = p00;
        FloatVector p10 = FloatVector.zero(F), p11 = p10;
        FloatVector p20 = FloatVector.zero(F), p21 = p20;
        FloatVector p30 = FloatVector.zero(F), p31 = p30;
        FloatVector p40 = FloatVector.zero(F), p41 = p40;
        FloatVector p50 = FloatVector.zero(F), p51 = p50;
        FloatVector p60 = FloatVector.zero(F), p61 = p60;
        FloatVector p70 = FloatVector.zero(F), p71 = p70;
        for (int t = 0; t < k; t++) {
            int wo = t * np + c0;
            FloatVector w0 = FloatVector.fromArray(F, wf, wo);
            FloatVector w1 = FloatVector.fromArray(F, wf, wo + L);
            FloatVector b;
            b = FloatVector.broadcast(F, a[ai + 0 * k + t]);
            p00 = b.fma(w0, p00);
            p01 = b.fma(w1, p01);
            b = FloatVector.broadcast(F, a[ai + 1 * k + t]);
            p10 = b.fma(w0, p10);
            p11 = b.fma(w1, p11);
            b = FloatVector.broadcast(F, a[ai + 2 * k + t]);
            p20 = b.fma(w0, p20);
            p21 = b.fma(w1, p21);
            b = FloatVector.broadcast(F, a[ai + 3 * k + t]);
            p30 = b.fma(w0, p30);
            p31 = b.fma(w1, p31);
            b = FloatVector.broadcast(F, a[ai + 4 * k + t]);
            p40 = b.fma(w0, p40);
            p41 = b.fma(w1, p41);
            b = FloatVector.broadcast(F, a[ai + 5 * k + t]);
            p50 = b.fma(w0, p50);
            p51 = b.fma(w1, p51);
            b = FloatVector.broadcast(F, a[ai + 6 * k + t]);
            p60 = b.fma(w0, p60);
            p61 = b.fma(w1, p61);
            b = FloatVector.broadcast(F, a[ai + 7 * k + t]);
            p70 = b.fma(w0, p70);
            p71 = b.fma(w1, p71);
        }
        p00.intoArray(out, oi + 0 * np + c0);
        p01.intoArray(out, oi + 0 * np + c0 + L);
        p10.intoArray(out, oi + 1 * np + c0);
        p11.intoArray(out, oi + 1 * np + c0 + L);
        p20.intoArray(out, oi + 2 * np + c0);
        p21.intoArray(out, oi + 2 * np + c0 + L);
        p30.intoArray(out, oi + 3 * np + c0);
        p31.intoArray(out, oi + 3 * np + c0 + L);
        p40.intoArray(out, oi + 4 * np + c0);
        p41.intoArray(out, oi + 4 * np + c0 + L);
        p50.intoArray(out, oi + 5 * np + c0);
        p51.intoArray(out, oi + 5 * np + c0 + L);
        p60.intoArray(out, oi + 6 * np + c0);
        p61.intoArray(out, oi + 6 * np + c0 + L);
        p70.intoArray(out, oi + 7 * np + c0);
        p71.intoArray(out, oi + 7 * np + c0 + L);
    }

    private void block1(float[] a, int ai, int k, int c0, float[] out, int oi) {
        FloatVector p0 = FloatVector.zero(F), p1 = p0, p2 = p0, p3 = p0;
        for (int t = 0; t < k; t++) {
            int wo = t * np + c0;
            FloatVector b = FloatVector.broadcast(F, a[ai + t]);
            p0 = b.fma(FloatVector.fromArray(F, wf, wo), p0);
            p1 = b.fma(FloatVector.fromArray(F, wf, wo + L), p1);
            p2 = b.fma(FloatVector.fromArray(F, wf, wo + 2 * L), p2);
            p3 = b.fma(FloatVector.fromArray(F, wf, wo + 3 * L), p3);
        }
        int o = oi + c0;
        p0.intoArray(out, o);
        p1.intoArray(out, o + L);
        p2.intoArray(out, o + 2 * L);
        p3.intoArray(out, o + 3 * L);
    }

    /**
     * This machine's FP32 FMA throughput on {@code threads} threads, in GFLOP/s: each thread runs
     * 12 independent chains of vector FMAs (enough to cover the FMA latency on current cores).
     */
    static double peakGflops(ForkJoinPool pool, int threads, long nanos) {
        long iters = 1 << 16;
        for (int i = 0; i < 200; i++) { // until compiled: the first rounds are interpreted
            fmaChains(256, i);
        }
        double best = 0;
        long end = System.nanoTime() + nanos;
        int rounds = 0;
        while (rounds++ < 5 || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            double sink = pool.submit(() -> IntStream.range(0, threads).parallel()
                    .mapToDouble(t -> fmaChains(iters, t)).sum()).join();
            long dt = System.nanoTime() - t0;
            if (sink == 42.4242) {
                System.out.print("");
            }
            best = Math.max(best, threads * iters * 12.0 * 2 * L / dt);
        }
        return best;
    }

    private static double fmaChains(long iters, int seed) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector c = FloatVector.broadcast(F, 1e-7f);
        FloatVector x0 = FloatVector.broadcast(F, seed + 1f), x1 = x0.add(1), x2 = x0.add(2), x3 = x0.add(3);
        FloatVector x4 = x0.add(4), x5 = x0.add(5), x6 = x0.add(6), x7 = x0.add(7);
        FloatVector x8 = x0.add(8), x9 = x0.add(9), x10 = x0.add(10), x11 = x0.add(11);
        for (long i = 0; i < iters; i++) {
            x0 = x0.fma(m, c);
            x1 = x1.fma(m, c);
            x2 = x2.fma(m, c);
            x3 = x3.fma(m, c);
            x4 = x4.fma(m, c);
            x5 = x5.fma(m, c);
            x6 = x6.fma(m, c);
            x7 = x7.fma(m, c);
            x8 = x8.fma(m, c);
            x9 = x9.fma(m, c);
            x10 = x10.fma(m, c);
            x11 = x11.fma(m, c);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(VectorOperators.ADD);
    }
}
