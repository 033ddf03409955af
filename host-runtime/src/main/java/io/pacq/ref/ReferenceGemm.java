package io.pacq.ref;

import io.pacq.GemmMode;
import io.pacq.fp.Fp16;
import io.pacq.quant.QuantizedWeights;

/**
 * The numerics contract (version 1) written as plain loops: the oracle every other GEMM
 * implementation is tested against. Written for clarity, not speed. Stateless, thread-safe.
 *
 * <p>Every FP32 operation below is one IEEE 754 operation with round-to-nearest-even. Where the
 * contract writes {@code RN32(p + A*d)} the product is exact in FP32, so it is computed as the
 * fused multiply-add {@code Math.fma(A, d, p)}, which rounds once (the same value).
 * {@link GemmMode#KPACKED} has the numerics of {@link GemmMode#PACQ} (only the weight layout and
 * the dataflow differ).
 */
public final class ReferenceGemm {
    private ReferenceGemm() {}

    /**
     * Runs the contract's pseudo-code and returns acc for every output element, as FP32 values
     * (before the output encoding).
     *
     * @param a  activations, FP16 bits, [M][K] row-major
     * @param m  rows of A
     */
    public static float[] accumulate(GemmMode mode, short[] a, int m, QuantizedWeights w) {
        int k = w.k();
        int n = w.n();
        if (a.length != (long) m * k) {
            throw new IllegalArgumentException("A has " + a.length + " elements, expected M*K = " + (long) m * k);
        }
        float[] out = new float[m * n];
        for (int row = 0; row < m; row++) {
            for (int col = 0; col < n; col++) {
                out[row * n + col] = mode == GemmMode.DEQUANT ? dequant(a, row, col, w) : pacq(a, row, col, w);
            }
        }
        return out;
    }

    private static float pacq(short[] a, int row, int col, QuantizedWeights w) {
        int k = w.k();
        int g = w.groupSize();
        float acc = 0.0f;
        for (int group = 0; group < k / g; group++) {
            float p = 0.0f;
            for (int kk = group * g; kk < group * g + g; kk++) {
                float av = Fp16.toFloat(a[row * k + kk]);
                float d = w.d(kk, col);                       // |d| <= 255: exact
                p = Math.fma(av, d, p);                       // RN32(p + A*d), A*d exact
            }
            float s = Fp16.toFloat(w.scale(group * g, col));
            float scaled = p * s;                              // RN32(p * s)
            acc = acc + scaled;                                // RN32(acc + RN32(p * s))
        }
        return acc;
    }

    private static float dequant(short[] a, int row, int col, QuantizedWeights w) {
        int k = w.k();
        float acc = 0.0f;
        for (int kk = 0; kk < k; kk++) {
            float ds = w.d(kk, col) * Fp16.toFloat(w.scale(kk, col)); // exact in FP32 (8 + 11 bits)
            float wv = Fp16.toFloat(Fp16.fromFloat(ds));               // RN16(d * s)
            float av = Fp16.toFloat(a[row * k + kk]);
            acc = Math.fma(av, wv, acc);                               // RN32(acc + A*w), A*w exact
        }
        return acc;
    }

    /** The GEMM with FP16 output: RN16(acc), NaN written as 0x7E00. [M][N] row-major. */
    public static short[] gemmF16(GemmMode mode, short[] a, int m, QuantizedWeights w) {
        float[] acc = accumulate(mode, a, m, w);
        short[] out = new short[acc.length];
        for (int i = 0; i < acc.length; i++) {
            out[i] = Fp16.toOutput(acc[i]);
        }
        return out;
    }

    /** The GEMM with FP32 output: the bits of acc, NaN written as 0x7FC00000. [M][N] row-major. */
    public static int[] gemmF32(GemmMode mode, short[] a, int m, QuantizedWeights w) {
        float[] acc = accumulate(mode, a, m, w);
        int[] out = new int[acc.length];
        for (int i = 0; i < acc.length; i++) {
            out[i] = Fp16.toOutputF32(acc[i]);
        }
        return out;
    }

    /** FP64 evaluation of sum_k A[m][k] * d[k][n] * s[G][n] (the accuracy yardstick), [M][N]. */
    public static double[] exact(short[] a, int m, QuantizedWeights w) {
        int k = w.k();
        int n = w.n();
        double[] out = new double[m * n];
        for (int row = 0; row < m; row++) {
            for (int col = 0; col < n; col++) {
                double sum = 0;
                for (int kk = 0; kk < k; kk++) {
                    sum += Fp16.toFloat(a[row * k + kk]) * w.dequantized(kk, col);
                }
                out[row * n + col] = sum;
            }
        }
        return out;
    }
}
