package io.pacq.repro;

import io.pacq.fp.Fp16;
import io.pacq.quant.QuantizedWeights;

/**
 * <b>The PacQ paper's FP16 datapath as drawn — not the arithmetic of any PacQ device.</b> The
 * device computes the numerics contract (docs/numerics.md: exact products, FP32 accumulation);
 * this class exists only so that {@code pacq reproduce} can show, for contrast, what the paper's
 * datapath would return on the same inputs. Simulated bit by bit. INT4, symmetric weights only
 * (the paper's offset-binary code {@code c = B + 8}, signed weight {@code B} in [-8, 7]).
 *
 * <p>Our reading of the paper's parallel FP-INT multiplier (docs/reproduce.md, "The paper's
 * datapath"): the 4-bit code is dropped into the low mantissa bits of an FP16 number with
 * exponent 10, which is {@code 1024 + c = B + 1032}. The product with an FP16 activation of
 * significand {@code sig} (11 bits with the hidden one) and biased exponent {@code e} is
 *
 * <pre>
 *   sig x (1024 + c) = (sig &lt;&lt; 10) + sig x c          sig x c: the 11 x 4-bit sub-multiplier
 *
 *   as drawn:  t = (sig x c) mod 2^14                  the 14-bit intermediate: its carry out is lost
 *              p = (sig &lt;&lt; 10) + t
 *              r = p / 2^10 rounded to nearest even     the 11-bit product significand
 *              result = sign | (e + 10) &lt;&lt; 10 | (r mod 2^10)
 *                                                       exponent fixed at e + 10: no normalization, so a
 *                                                       carry into bit 11 of r is lost; e + 10 &gt;= 31 is Inf
 * </pre>
 *
 * The products are accumulated in FP16 per quantization group, k ascending; the group's
 * activations are summed in FP16 too; then {@code q = RN16(P - RN16(1032 · ΣA))} (= Σ A·B),
 * {@code acc = RN16(acc + RN16(q · s))} over the groups. {@link Multiplier#IEEE_FP16} runs the same
 * algorithm with a correctly rounded product {@code RN16(A · (1024 + c))}, which separates the
 * multiplier's defects from the algorithm's FP16 cancellation and overflow.
 *
 * <p>Zero, subnormal, infinite and NaN activations are outside the drawn datapath; both
 * multipliers return the correctly rounded IEEE product for them. Stateless, thread-safe.
 */
public final class PaperDatapath {
    private PaperDatapath() {}

    /** The paper's bias: the weight operand is {@code B + OFFSET}, corrected by {@code OFFSET · ΣA}. */
    public static final int OFFSET = 1032;
    /** Width of the sub-multiplier's intermediate in the drawn datapath, bits. */
    public static final int INTERMEDIATE_BITS = 14;

    /** Which FP-INT multiplier the emulated datapath uses. */
    public enum Multiplier {
        /** The paper's multiplier as drawn: 14-bit intermediate, no normalization. */
        AS_DRAWN,
        /** A correctly rounded FP16 product {@code RN16(A · (B + 1032))} (the paper's algorithm, a sound multiplier). */
        IEEE_FP16
    }

    /**
     * The product of an FP16 activation and the weight operand {@code 1024 + code}, as drawn.
     *
     * @param a    activation, FP16 bits
     * @param code INT4 code 0 .. 15 (signed weight code - 8)
     * @return the product, FP16 bits
     */
    public static short productAsDrawn(short a, int code) {
        checkCode(code);
        int sign = a & 0x8000;
        int e = (a >>> 10) & 0x1F;
        if (e == 0 || e == 0x1F) {
            return productIeee(a, code);
        }
        int sig = 0x400 | (a & 0x3FF);
        int t = (sig * code) & ((1 << INTERMEDIATE_BITS) - 1);
        int p = (sig << 10) + t;
        int r = p >>> 10;
        int rem = p & 0x3FF;
        if (rem > 0x200 || (rem == 0x200 && (r & 1) != 0)) {
            r++;
        }
        int eOut = e + 10;
        if (eOut >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        return (short) (sign | eOut << 10 | (r & 0x3FF));
    }

    /** The correctly rounded product {@code RN16(A · (1024 + code))}, FP16 bits (NaN canonical). */
    public static short productIeee(short a, int code) {
        checkCode(code);
        return rn16((double) Fp16.toFloat(a) * (1024 + code));
    }

    /** The product by the chosen multiplier. */
    public static short product(Multiplier m, short a, int code) {
        return m == Multiplier.AS_DRAWN ? productAsDrawn(a, code) : productIeee(a, code);
    }

    /**
     * The whole GEMM on the paper's FP16 datapath: C = A x W with FP16 outputs (NaN written as
     * 0x7E00), [M][N] row-major.
     *
     * @param a activations, FP16 bits, [M][K] row-major
     * @param w INT4 weights, symmetric (zero point 8)
     * @throws IllegalArgumentException for other widths, asymmetric weights or a wrong A size
     */
    public static short[] gemm(Multiplier mult, short[] a, int m, QuantizedWeights w) {
        if (w.bits() != 4 || !w.symmetric()) {
            throw new IllegalArgumentException("the paper's B + 1032 datapath takes symmetric INT4 weights (code = B + 8); got INT"
                    + w.bits() + (w.symmetric() ? "" : ", asymmetric"));
        }
        int k = w.k();
        int n = w.n();
        int g = w.groupSize();
        if (a.length != (long) m * k) {
            throw new IllegalArgumentException("A has " + a.length + " elements, expected M*K = " + (long) m * k);
        }
        byte[] codes = w.codes();
        short[] prod = new short[k * 16];
        short[] corr = new short[k / g];
        short[] out = new short[m * n];
        for (int row = 0; row < m; row++) {
            for (int kk = 0; kk < k; kk++) {
                for (int c = 0; c < 16; c++) {
                    prod[kk * 16 + c] = product(mult, a[row * k + kk], c);
                }
            }
            for (int grp = 0; grp < k / g; grp++) {
                short sa = 0;
                for (int kk = grp * g; kk < grp * g + g; kk++) {
                    sa = add(sa, a[row * k + kk]);
                }
                corr[grp] = rn16(OFFSET * (double) Fp16.toFloat(sa));
            }
            for (int col = 0; col < n; col++) {
                short acc = 0;
                for (int grp = 0; grp < k / g; grp++) {
                    short p = 0;
                    for (int kk = grp * g; kk < grp * g + g; kk++) {
                        p = add(p, prod[kk * 16 + (codes[kk * n + col] & 0xF)]);
                    }
                    short q = rn16((double) Fp16.toFloat(p) - Fp16.toFloat(corr[grp]));
                    short scaled = rn16((double) Fp16.toFloat(q) * Fp16.toFloat(w.scale(grp * g, col)));
                    acc = add(acc, scaled);
                }
                out[row * n + col] = acc;
            }
        }
        return out;
    }

    /**
     * How often the drawn multiplier goes wrong, counted over every normal FP16 significand
     * (1024 values, the sign and exponent do not matter) times every code (16).
     *
     * @param pairs         significand-code pairs examined (16384)
     * @param carryLost     pairs whose {@code sig x c} needs more than 14 bits
     * @param unnormalized  pairs whose correctly rounded product needs the normalization the
     *                      drawn datapath omits (significand rounds to 2^11 or more)
     */
    public record Defects(long pairs, long carryLost, long unnormalized) {
        /** Share of pairs that lose the carry, 0 .. 1. */
        public double carryLostRate() {
            return (double) carryLost / pairs;
        }

        /** Share of pairs that need normalization, 0 .. 1. */
        public double unnormalizedRate() {
            return (double) unnormalized / pairs;
        }
    }

    /** Counts the drawn multiplier's defects over all significand-code pairs. */
    public static Defects defects() {
        long pairs = 0;
        long carry = 0;
        long norm = 0;
        for (int sig = 0x400; sig < 0x800; sig++) {
            for (int c = 0; c < 16; c++) {
                pairs++;
                if (sig * c >= 1 << INTERMEDIATE_BITS) {
                    carry++;
                }
                long exact = (long) sig * (1024 + c);
                long r = exact >>> 10;
                long rem = exact & 0x3FF;
                if (rem > 0x200 || (rem == 0x200 && (r & 1) != 0)) {
                    r++;
                }
                if (r >= 0x800) {
                    norm++;
                }
            }
        }
        return new Defects(pairs, carry, norm);
    }

    /** FP16 addition, {@code RN16(x + y)} (the exact sum of two FP16 values fits a double). */
    static short add(short x, short y) {
        return rn16((double) Fp16.toFloat(x) + Fp16.toFloat(y));
    }

    /**
     * Rounds a double to the nearest FP16, ties to even, overflow to ±Inf, subnormals kept, NaN
     * as 0x7E00. Rounds once (a double-to-float-to-half chain could round twice).
     */
    static short rn16(double x) {
        if (Double.isNaN(x)) {
            return Fp16.CANONICAL_NAN;
        }
        int sign = Double.doubleToRawLongBits(x) < 0 ? 0x8000 : 0;
        double ax = Math.abs(x);
        if (ax >= 65520.0) {                    // 65504 + half an ulp: ties go to the even 65536, i.e. Inf
            return (short) (sign | 0x7C00);
        }
        int exp = Math.max(Math.getExponent(ax), -14);
        double ulp = Math.scalb(1.0, exp - 10);
        double r = Math.rint(ax / ulp) * ulp;   // exact scaling by a power of two, one rounding
        return (short) (sign | (Fp16.fromFloat((float) r) & 0x7FFF));
    }

    private static void checkCode(int code) {
        if (code < 0 || code > 15) {
            throw new IllegalArgumentException("INT4 code must be 0 .. 15, got " + code);
        }
    }
}
