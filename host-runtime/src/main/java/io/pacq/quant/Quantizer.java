package io.pacq.quant;

import io.pacq.fp.Fp16;

/**
 * Round-to-nearest group quantization of a float weight matrix W [K][N] (row-major, K = input
 * features, N = output features) into {@link QuantizedWeights}. Stateless, thread-safe.
 *
 * <p>Rules, for each group of g rows x gn columns (b = bits, Q = 2^b - 1):
 * <ul>
 *   <li><b>asymmetric</b>: lo = min(0, min w), hi = max(0, max w); s = RN16((hi - lo) / Q);
 *       z = clamp(rint(-lo / s), 0, Q). The range always contains 0, so 0 is exact.</li>
 *   <li><b>symmetric</b>: z = 2^(b-1); s = RN16(2 * max|w| / Q) (the GPTQ convention, d in
 *       [-2^(b-1), 2^(b-1) - 1]).</li>
 *   <li>q = clamp(rint(w / s) + z, 0, Q), with the FP16 scale s actually stored, so that
 *       |w - s (q - z)| &lt;= s / 2 except where clamping cuts the largest positive value.</li>
 *   <li>A group of zeros gets s = 1 and codes equal to z. A scale that would round to 0 (tiny
 *       weights) becomes the smallest FP16 subnormal; one that would overflow FP16 is an error.</li>
 *   <li>rint rounds half to even. NaN or infinite weights are rejected with the index of the
 *       first one.</li>
 * </ul>
 */
public final class Quantizer {
    private Quantizer() {}

    /**
     * Quantizes W.
     *
     * @param w    weights [K][N] row-major
     * @throws IllegalArgumentException for a bad shape, K % g != 0, non-finite weights, or a group
     *                                  whose scale does not fit FP16; the message names the place
     */
    public static QuantizedWeights quantize(float[] w, int k, int n, QuantSpec spec) {
        QuantSpec.checkShape(k, n, spec.bits(), spec.groupSize(), spec.groupCols());
        if (w.length != (long) k * n) {
            throw new IllegalArgumentException("weights have " + w.length + " elements, expected K*N = " + (long) k * n);
        }
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new IllegalArgumentException("weight [" + (i / n) + "][" + (i % n) + "] (flat index " + i
                        + ") is " + w[i] + "; weights must be finite");
            }
        }
        int bits = spec.bits();
        int qmax = (1 << bits) - 1;
        int g = spec.groupSize();
        int gn = spec.groupCols();
        int gRows = k / g;
        int gCols = (n + gn - 1) / gn;
        byte[] codes = new byte[k * n];
        short[] scales = new short[gRows * gCols];
        byte[] zeros = spec.symmetric() ? null : new byte[scales.length];
        for (int gr = 0; gr < gRows; gr++) {
            for (int gc = 0; gc < gCols; gc++) {
                int r0 = gr * g;
                int c0 = gc * gn;
                int c1 = Math.min(n, c0 + gn);
                float lo = 0f;
                float hi = 0f;
                for (int r = r0; r < r0 + g; r++) {
                    for (int c = c0; c < c1; c++) {
                        lo = Math.min(lo, w[r * n + c]);
                        hi = Math.max(hi, w[r * n + c]);
                    }
                }
                double range = spec.symmetric() ? 2.0 * Math.max(-(double) lo, hi) : (double) hi - lo;
                float s;
                if (range == 0) {
                    s = 1f;
                } else {
                    s = Fp16.toFloat(Fp16.fromFloat((float) (range / qmax)));
                    if (s == 0f) {
                        s = Fp16.toFloat((short) 1);
                    }
                    if (Float.isInfinite(s)) {
                        throw new IllegalArgumentException("group [" + gr + "][" + gc + "] (rows " + r0 + ".." + (r0 + g - 1)
                                + ", columns " + c0 + ".." + (c1 - 1) + ") needs scale " + range / qmax
                                + ", beyond FP16's 65504");
                    }
                }
                int z = spec.symmetric() ? 1 << (bits - 1) : (int) Math.max(0, Math.min(qmax, Math.rint(-lo / (double) s)));
                scales[gr * gCols + gc] = Fp16.fromFloat(s);
                if (zeros != null) {
                    zeros[gr * gCols + gc] = (byte) z;
                }
                for (int r = r0; r < r0 + g; r++) {
                    for (int c = c0; c < c1; c++) {
                        long q = (long) Math.rint(w[r * n + c] / (double) s) + z;
                        codes[r * n + c] = (byte) Math.max(0, Math.min(qmax, q));
                    }
                }
            }
        }
        return new QuantizedWeights(k, n, bits, g, gn, codes, scales, zeros);
    }
}
