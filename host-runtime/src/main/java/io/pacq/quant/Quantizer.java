package io.pacq.quant;

import io.pacq.fp.Fp16;

/**
 * Round-to-nearest group quantization of a float weight matrix W [K][N] (row-major, K = input
 * features, N = output features) into {@link QuantizedWeights}. Stateless, thread-safe.
 *
 * <p>Rules, for each group of g rows x gn columns (b = bits, Q = 2^b - 1; all arithmetic exact
 * unless a rounding is named):
 * <ul>
 *   <li><b>asymmetric</b>: lo = min(0, min w), hi = max(0, max w), R = hi - lo;
 *       z = rint(-lo / s), which lies in [0, Q].</li>
 *   <li><b>symmetric</b>: R = 2 max|w|, z = 2^(b-1) (the GPTQ convention: d in
 *       [-2^(b-1), 2^(b-1) - 1]).</li>
 *   <li>s = RU16(R / Q): the smallest FP16 value with s * Q &gt;= R (the range rounded up, so the
 *       whole group fits the codes).</li>
 *   <li>q = clamp(rint(w / s) + z, 0, Q), with the FP16 scale s actually stored.</li>
 *   <li>A group of zeros gets s = 1 (and z = 0 when asymmetric). A scale beyond FP16's 65504 is
 *       an error. Tiny weights get the smallest subnormal scale 2^-24 at least.</li>
 *   <li>rint rounds half to even. NaN or infinite weights are rejected with the index of the
 *       first one.</li>
 * </ul>
 *
 * <p>Consequence (proved in docs/formats.md, tested in QuantizerTest): every weight is
 * reconstructed within half a step, |w - s (q - z)| &lt;= s / 2, with no exception. The clamp binds
 * only at the top code, where rint rounds a value at exactly Q + 1/2 - z steps up (error s / 2
 * either way), and 0 is always reconstructed exactly.
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
                short sBits = scaleFor(lo, hi, spec.symmetric(), qmax);
                if (!Fp16.isFinite(sBits)) {
                    double range = spec.symmetric() ? 2.0 * Math.max(-(double) lo, hi) : (double) hi - lo;
                    throw new IllegalArgumentException("group [" + gr + "][" + gc + "] (rows " + r0 + ".." + (r0 + g - 1)
                            + ", columns " + c0 + ".." + (c1 - 1) + ") spans " + range + ", which needs scale "
                            + range / qmax + ", beyond FP16's 65504");
                }
                float s = Fp16.toFloat(sBits);
                int z = spec.symmetric() ? 1 << (bits - 1) : (int) Math.max(0, Math.min(qmax, Math.rint(-lo / (double) s)));
                scales[gr * gCols + gc] = sBits;
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

    /**
     * The scale bits of a group: 1.0 for an all-zero group, else the smallest FP16 s with
     * s * qmax &gt;= R exactly (R = hi - lo, or 2 max|w| when symmetric); +Inf when none is finite.
     */
    static short scaleFor(float lo, float hi, boolean symmetric, int qmax) {
        double r;
        double rErr;   // R = r + rErr exactly
        if (symmetric) {
            r = 2.0 * Math.max(-(double) lo, hi);    // exact
            rErr = 0;
        } else {
            double a = hi;
            double b = -(double) lo;
            r = a + b;                               // may round when the exponents are far apart
            double bb = r - a;                       // TwoSum: the exact rounding error of a + b
            rErr = (a - (r - bb)) + (b - bb);
        }
        if (r == 0) {
            return ONE;
        }
        double t = r / qmax;
        short sb = Fp16.fromFloat((float) t);
        if (Fp16.toFloat(sb) < t) {
            sb++;                                    // positive FP16 bits are ordered: next value up
        }
        // t itself was rounded; step up until s * qmax >= R holds exactly (s * qmax is exact: 11 + 8 bits)
        while (Fp16.isFinite(sb)) {
            double sq = (double) Fp16.toFloat(sb) * qmax;
            if (sq > r || (sq == r && rErr <= 0)) {
                break;
            }
            sb++;
        }
        return sb;
    }

    private static final short ONE = 0x3C00;
}
