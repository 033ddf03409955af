package io.pacq.testing;

import io.pacq.Fp16Matrix;
import io.pacq.fp.Fp16;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;

import java.util.SplittableRandom;

/**
 * Random GEMM operands for tests of every backend: quantized weights with random codes, scales
 * and zero points, and FP16 activations with optional edge values (signed zeros, subnormals,
 * max-finite, infinities, NaN). Deterministic for a seed.
 */
public final class RandomProblems {
    private RandomProblems() {}

    /** Random weights for a spec: codes uniform, scales in [2^-10, 2^-4] with random sign bit off. */
    public static QuantizedWeights weights(SplittableRandom rnd, int k, int n, QuantSpec spec) {
        int bits = spec.bits();
        byte[] codes = new byte[k * n];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) rnd.nextInt(1 << bits);
        }
        int gRows = k / spec.groupSize();
        int gCols = (n + spec.groupCols() - 1) / spec.groupCols();
        short[] scales = new short[gRows * gCols];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = Fp16.fromFloat((float) Math.scalb(1.0 + rnd.nextDouble(), -4 - rnd.nextInt(7)));
        }
        byte[] zeros = null;
        if (!spec.symmetric()) {
            zeros = new byte[scales.length];
            for (int i = 0; i < zeros.length; i++) {
                zeros[i] = (byte) rnd.nextInt(1 << bits);
            }
        }
        return new QuantizedWeights(k, n, bits, spec.groupSize(), spec.groupCols(), codes, scales, zeros);
    }

    /** Activations uniform in (-range, range), rounded to FP16. */
    public static Fp16Matrix activations(SplittableRandom rnd, int m, int k, float range) {
        float[] a = new float[m * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * range);
        }
        return Fp16Matrix.ofFloats(m, k, a);
    }

    /** Edge FP16 values of the contract's test list. */
    public static final short[] EDGE_VALUES = {
        (short) 0x0000, (short) 0x8000,           // +0, -0
        (short) 0x0001, (short) 0x8001,           // smallest subnormals
        (short) 0x03FF, (short) 0x0400,           // largest subnormal, smallest normal
        (short) 0x7BFF, (short) 0xFBFF,           // +-65504
        (short) 0x7C00, (short) 0xFC00,           // +-Inf
        (short) 0x7E00, (short) 0x7D01,           // quiet NaN, signalling-pattern NaN
        (short) 0x3C00, (short) 0xBC00            // +-1
    };

    /** Activations where each element is an edge value with probability p, else uniform. */
    public static Fp16Matrix activationsWithEdges(SplittableRandom rnd, int m, int k, float range, double p) {
        short[] bits = activations(rnd, m, k, range).toBits();
        for (int i = 0; i < bits.length; i++) {
            if (rnd.nextDouble() < p) {
                bits[i] = EDGE_VALUES[rnd.nextInt(EDGE_VALUES.length)];
            }
        }
        return Fp16Matrix.ofBits(m, k, bits);
    }

    /** Activations with finite edge values only (no Inf/NaN). */
    public static Fp16Matrix activationsWithFiniteEdges(SplittableRandom rnd, int m, int k, float range, double p) {
        short[] bits = activations(rnd, m, k, range).toBits();
        for (int i = 0; i < bits.length; i++) {
            if (rnd.nextDouble() < p) {
                short e;
                do {
                    e = EDGE_VALUES[rnd.nextInt(EDGE_VALUES.length)];
                } while (!Fp16.isFinite(e));
                bits[i] = e;
            }
        }
        return Fp16Matrix.ofBits(m, k, bits);
    }
}
