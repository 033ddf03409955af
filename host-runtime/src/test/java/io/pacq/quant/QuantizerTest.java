package io.pacq.quant;

import io.pacq.fp.Fp16;
import io.pacq.testing.ExactFloat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The quantizer against its documented rules (Quantizer's class comment), checked with exact
 * arithmetic: the scale is the smallest FP16 covering the group's range, the zero point and codes
 * are round-to-nearest-even, and every weight is reconstructed within half a step.
 */
class QuantizerTest {

    private static BigDecimal exact(float f) { return ExactFloat.of(f).value(); }

    private static BigDecimal exact(short fp16) { return ExactFloat.ofFp16(fp16).value(); }

    private static final BigDecimal HALF = new BigDecimal("0.5");

    /**
     * Checks every documented rule on every group; returns the largest |w - s(q - z)| / s seen.
     */
    static double checkRules(float[] w, int k, int n, QuantSpec spec, QuantizedWeights qw) {
        int b = spec.bits();
        int qmax = (1 << b) - 1;
        BigDecimal bigQ = BigDecimal.valueOf(qmax);
        assertEquals(spec.symmetric(), qw.symmetric());
        double worst = 0;
        int g = spec.groupSize();
        int gn = spec.groupCols();
        for (int gr = 0; gr < k / g; gr++) {
            for (int c0 = 0; c0 < n; c0 += gn) {
                int c1 = Math.min(n, c0 + gn);
                String group = "group rows " + gr * g + ".., columns " + c0 + ".." + (c1 - 1) + " of " + qw;
                BigDecimal lo = BigDecimal.ZERO;
                BigDecimal hi = BigDecimal.ZERO;
                for (int r = gr * g; r < gr * g + g; r++) {
                    for (int c = c0; c < c1; c++) {
                        lo = lo.min(exact(w[r * n + c]));
                        hi = hi.max(exact(w[r * n + c]));
                    }
                }
                BigDecimal range = spec.symmetric() ? lo.negate().max(hi).multiply(BigDecimal.TWO) : hi.subtract(lo);
                short sBits = qw.scale(gr * g, c0);
                int z = qw.zero(gr * g, c0);
                for (int c = c0; c < c1; c++) {
                    assertEquals(sBits, qw.scale(gr * g, c), "one scale per group: " + group);
                    assertEquals(z, qw.zero(gr * g, c), "one zero per group: " + group);
                }
                BigDecimal s = exact(sBits);
                if (range.signum() == 0) {
                    assertEquals((short) 0x3C00, sBits, "all-zero group has s = 1: " + group);
                    assertEquals(spec.symmetric() ? 1 << (b - 1) : 0, z, group);
                } else {
                    // s = RU16(R / Q): s * Q >= R, and the FP16 value just below s does not cover R
                    assertTrue(sBits > 0 && Fp16.isFinite(sBits), group);
                    assertTrue(s.multiply(bigQ).compareTo(range) >= 0, "s*Q >= R: " + group);
                    if (sBits > 1) {
                        assertTrue(exact((short) (sBits - 1)).multiply(bigQ).compareTo(range) < 0,
                                "s is the smallest FP16 covering R: " + group);
                    }
                    if (spec.symmetric()) {
                        assertEquals(1 << (b - 1), z, group);
                    } else {
                        // z = rint(-lo / s): |z*s + lo| <= s/2, ties to even
                        BigDecimal dz = BigDecimal.valueOf(z).multiply(s).add(lo).abs();
                        int cmp = dz.compareTo(s.multiply(HALF));
                        assertTrue(cmp < 0 || (cmp == 0 && z % 2 == 0), "z = rint(-lo/s): " + group);
                    }
                }
                BigDecimal halfStep = s.multiply(HALF);
                for (int r = gr * g; r < gr * g + g; r++) {
                    for (int c = c0; c < c1; c++) {
                        int q = qw.code(r, c);
                        assertTrue(q >= 0 && q <= qmax);
                        BigDecimal wv = exact(w[r * n + c]);
                        BigDecimal err = wv.subtract(s.multiply(BigDecimal.valueOf(q - z)));
                        int cmp = err.abs().compareTo(halfStep);
                        String at = "w[" + r + "][" + c + "] = " + w[r * n + c] + ", q = " + q + ", z = " + z + ", s = "
                                + s + " in " + group;
                        // the bound: |w - s(q - z)| <= s/2, for every weight
                        assertTrue(cmp <= 0, "reconstruction error beyond s/2: " + at);
                        // round half to even, except where the clamp at Q takes the place of Q + 1
                        if (cmp == 0) {
                            assertTrue((q - z) % 2 == 0 || (q == qmax && err.signum() > 0), "tie to even: " + at);
                        }
                        if (wv.signum() == 0) {
                            assertEquals(z, q, "zero is exact: " + at);
                        }
                        worst = Math.max(worst, err.abs().doubleValue() / s.doubleValue());
                    }
                }
            }
        }
        return worst;
    }

    /** Weights of a random kind: uniform, one-signed, with zeros, outliers or huge magnitude spread. */
    static float[] randomWeights(SplittableRandom rnd, int count, int exponent) {
        float[] w = new float[count];
        int kind = rnd.nextInt(5);
        for (int i = 0; i < count; i++) {
            double u = rnd.nextDouble(-1, 1);
            double v = switch (kind) {
                case 0 -> u;                                        // uniform
                case 1 -> Math.abs(u);                              // all non-negative
                case 2 -> rnd.nextInt(4) == 0 ? 0 : u;              // many exact zeros
                case 3 -> rnd.nextInt(50) == 0 ? u * 100 : u;       // outliers
                default -> Math.scalb(u, -rnd.nextInt(40));         // wide dynamic range
            };
            w[i] = (float) Math.scalb(v, exponent);
        }
        return w;
    }

    @Property(tries = 300)
    void everyRuleHoldsOnRandomWeights(@ForAll @IntRange(min = 0, max = 2) int bitsIndex,
                                       @ForAll @IntRange(min = 1, max = 4) int g16,
                                       @ForAll @IntRange(min = 1, max = 3) int groups,
                                       @ForAll @IntRange(min = 1, max = 40) int n,
                                       @ForAll @IntRange(min = 0, max = 5) int gnLog,
                                       @ForAll boolean symmetric,
                                       @ForAll @IntRange(min = -40, max = 12) int exponent,
                                       @ForAll long seed) {
        int bits = new int[] {2, 4, 8}[bitsIndex];
        int g = 16 * g16;
        int k = g * groups;
        QuantSpec spec = new QuantSpec(bits, g, 1 << gnLog, symmetric);
        float[] w = randomWeights(new SplittableRandom(seed), k * n, exponent);
        QuantizedWeights qw;
        try {
            qw = Quantizer.quantize(w, k, n, spec);
        } catch (IllegalArgumentException e) {
            // documented: a scale beyond FP16's 65504 is an error; some group must really need one
            assertTrue(needsScaleBeyondFp16(w, k, n, spec), "unexpected rejection: " + e.getMessage());
            return;
        }
        assertEquals(false, needsScaleBeyondFp16(w, k, n, spec));
        assertEquals(k, qw.k());
        assertEquals(n, qw.n());
        assertEquals(bits, qw.bits());
        assertEquals(g, qw.groupSize());
        assertEquals(1 << gnLog, qw.groupCols());
        checkRules(w, k, n, spec, qw);
    }

    /** True when some group's range R exceeds 65504 * Q (exact arithmetic). */
    private static boolean needsScaleBeyondFp16(float[] w, int k, int n, QuantSpec spec) {
        BigDecimal limit = BigDecimal.valueOf(65504L * ((1 << spec.bits()) - 1));
        int g = spec.groupSize();
        for (int gr = 0; gr < k / g; gr++) {
            for (int c0 = 0; c0 < n; c0 += spec.groupCols()) {
                BigDecimal lo = BigDecimal.ZERO;
                BigDecimal hi = BigDecimal.ZERO;
                for (int r = gr * g; r < gr * g + g; r++) {
                    for (int c = c0; c < Math.min(n, c0 + spec.groupCols()); c++) {
                        lo = lo.min(exact(w[r * n + c]));
                        hi = hi.max(exact(w[r * n + c]));
                    }
                }
                BigDecimal range = spec.symmetric() ? lo.negate().max(hi).multiply(BigDecimal.TWO) : hi.subtract(lo);
                if (range.compareTo(limit) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void asymmetricHandWorked() {
        // INT2 (Q = 3), one group of 16 rows, N = 1: w = [-1, 0, 0.5, 2, 0 ...].
        // lo = -1, hi = 2, R = 3, R/Q = 1 = FP16 0x3C00 exactly: s = 1. z = rint(1/1) = 1.
        // q = rint(w/s) + z: -1 -> 0, 0 -> 1, 0.5 -> rint(0.5) = 0 (tie to even) -> 1, 2 -> 3.
        float[] w = new float[16];
        w[0] = -1;
        w[2] = 0.5f;
        w[3] = 2;
        QuantizedWeights q = Quantizer.quantize(w, 16, 1, QuantSpec.of(2, 16));
        assertArrayEquals(new short[] {0x3C00}, q.scales());
        assertArrayEquals(new byte[] {1}, q.zeros());
        byte[] expect = new byte[16];
        Arrays.fill(expect, (byte) 1);
        expect[0] = 0;
        expect[3] = 3;
        assertArrayEquals(expect, q.codes());
    }

    @Test
    void symmetricHandWorked() {
        // INT4 symmetric: z = 8, R = 2 * 7.5 = 15, R/Q = 1: s = 1 (0x3C00).
        // 7.5 -> rint(7.5) = 8 (even) + 8 = 16, clamped to 15: d = 7, error 0.5 = s/2.
        // -7.5 -> rint(-7.5) = -8 + 8 = 0: d = -8, error 0.5. 3.5 -> 4 + 8 = 12. 2.5 -> 2 + 8 = 10.
        float[] w = new float[16];
        w[0] = 7.5f;
        w[1] = -7.5f;
        w[2] = 3.5f;
        w[3] = 2.5f;
        QuantizedWeights q = Quantizer.quantize(w, 16, 1, QuantSpec.of(4, 16).asSymmetric());
        assertTrue(q.symmetric());
        assertNull(q.zeros());
        assertArrayEquals(new short[] {0x3C00}, q.scales());
        assertEquals(15, q.code(0, 0));
        assertEquals(0, q.code(1, 0));
        assertEquals(12, q.code(2, 0));
        assertEquals(10, q.code(3, 0));
        assertEquals(8, q.code(4, 0));
        assertEquals(7, q.d(0, 0));
        assertEquals(-8, q.d(1, 0));
    }

    @Test
    void scaleIsRoundedUp() {
        // INT4 asymmetric, w in {0, 1}: R/Q = 1/15 = 0.0666...; FP16 spacing in [2^-4, 2^-3) is 2^-14, and
        // 2^14/15 = 1092.27, so the candidates are 1092 * 2^-14 (nearest, but 15 * it < 1) and 1093 * 2^-14.
        // s = 1093 * 2^-14 = 2^-4 * 1093/1024: biased exponent 11 (0x2C00), fraction 69 = 0x45 -> 0x2C45.
        float[] w = new float[16];
        w[0] = 1;
        QuantizedWeights q = Quantizer.quantize(w, 16, 1, QuantSpec.of(4, 16));
        assertArrayEquals(new short[] {0x2C45}, q.scales());
        assertEquals(15, q.code(0, 0));
        assertEquals(0, q.zero(0, 0));
    }

    @Test
    void subnormalScalesStillCoverTheGroup() {
        // INT8 asymmetric, w = -357 * 2^-24 (exact float), others 0. R/Q = 357/255 * 2^-24 = 1.4 * 2^-24.
        // Rounded to nearest, s would be 2^-24 and -lo/s = 357 > 255: the zero point would clamp and
        // the weight would come back as -255 * 2^-24 (error 102 steps). Rounded up, s = 2 * 2^-24 (0x0002),
        // z = rint(178.5) = 178 (even), q = rint(-178.5) + 178 = 0, reconstruction -356 * 2^-24 (error s/2).
        float[] w = new float[16];
        w[0] = (float) Math.scalb(-357.0, -24);
        QuantizedWeights q = Quantizer.quantize(w, 16, 1, QuantSpec.of(8, 16));
        assertArrayEquals(new short[] {0x0002}, q.scales());
        assertEquals(178, q.zero(0, 0));
        assertEquals(0, q.code(0, 0));
        assertEquals(Math.scalb(-356.0, -24), q.dequantized(0, 0));
    }

    @Test
    void tinyWeightsGetTheSmallestScale() {
        // |w| far below 2^-24: R/Q rounds up to the smallest subnormal 2^-24 (0x0001); every code is z.
        float[] w = new float[32 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 2 == 0 ? 1 : -1) * Float.MIN_VALUE * (i + 1);
        }
        for (QuantSpec spec : new QuantSpec[] {QuantSpec.of(4, 32), QuantSpec.of(4, 32).asSymmetric()}) {
            QuantizedWeights q = Quantizer.quantize(w, 32, 3, spec);
            for (short s : q.scales()) {
                assertEquals((short) 0x0001, s);
            }
            checkRules(w, 32, 3, spec, q);
        }
    }

    @Test
    void hugeWeightsUpToTheFp16ScaleLimit() {
        // INT8 asymmetric, w in [0, 255 * 65504]: s = 65504 (0x7BFF) exactly, z = 0, q(max) = 255.
        float[] w = new float[16];
        w[0] = 255f * 65504f;
        w[1] = 1e6f;
        QuantizedWeights q = Quantizer.quantize(w, 16, 1, QuantSpec.of(8, 16));
        assertArrayEquals(new short[] {0x7BFF}, q.scales());
        assertEquals(255, q.code(0, 0));
        checkRules(w, 16, 1, QuantSpec.of(8, 16), q);
        // one more step needs a scale beyond 65504: a clear error naming the group
        w[0] = Math.nextUp(255f * 65504f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quantizer.quantize(w, 16, 1, QuantSpec.of(8, 16)));
        assertTrue(e.getMessage().contains("group [0][0]") && e.getMessage().contains("65504"), e.getMessage());
        // INT2 symmetric: R = 2 * 1e5, R/Q = 66667 > 65504
        float[] w2 = new float[32];
        w2[20] = -1e5f;
        e = assertThrows(IllegalArgumentException.class,
                () -> Quantizer.quantize(w2, 16, 2, QuantSpec.of(2, 16).asSymmetric()));
        assertTrue(e.getMessage().contains("group [0][0] (rows 0..15, columns 0..0)"), e.getMessage());
    }

    @Test
    void allZeroGroupsIncludingNegativeZero() {
        // N = 2, gn = 1: column 0 all +0/-0, column 1 has a value. Column 0's group: s = 1, codes = z.
        float[] w = new float[32];
        for (int r = 0; r < 16; r++) {
            w[2 * r] = r % 2 == 0 ? 0f : -0f;
            w[2 * r + 1] = r;
        }
        QuantizedWeights asym = Quantizer.quantize(w, 16, 2, QuantSpec.of(4, 16));
        assertEquals((short) 0x3C00, asym.scale(0, 0));
        assertEquals(0, asym.zero(0, 0));
        QuantizedWeights sym = Quantizer.quantize(w, 16, 2, QuantSpec.of(4, 16).asSymmetric());
        assertEquals((short) 0x3C00, sym.scale(0, 0));
        for (int r = 0; r < 16; r++) {
            assertEquals(0, asym.code(r, 0));
            assertEquals(8, sym.code(r, 0));
            assertEquals(0.0, sym.dequantized(r, 0));
        }
        checkRules(w, 16, 2, QuantSpec.of(4, 16), asym);
        checkRules(w, 16, 2, QuantSpec.of(4, 16).asSymmetric(), sym);
    }

    @Test
    void twoDimensionalGroupsShareOneScaleAcrossColumns() {
        // N = 10, gn = 4: group columns {0..3}, {4..7}, {8, 9}. Column c holds c + 1 in row 0, else 0.
        // Symmetric INT4: R = 2 * max over the group's columns: 8, 16, 20; s = RU16(R / 15).
        float[] w = new float[16 * 10];
        for (int c = 0; c < 10; c++) {
            w[c] = c + 1;
        }
        QuantSpec spec = QuantSpec.of(4, 16).withGroupCols(4).asSymmetric();
        QuantizedWeights q = Quantizer.quantize(w, 16, 10, spec);
        assertEquals(3, q.groupColumns());
        assertEquals(3, q.scales().length);
        // 8/15 = 0.5333: spacing 2^-11 in [0.5, 1): 0.5333 * 2048 = 1092.27 -> 1093 * 2^-11 = 0x3845
        // 16/15: spacing 2^-10 in [1, 2): 1.0667 * 1024 = 1092.27 -> 1093 * 2^-10 = 0x3C45
        // 20/15 = 4/3: 1.3333 * 1024 = 1365.33 -> 1366 * 2^-10 = 0x3D56
        assertArrayEquals(new short[] {0x3845, 0x3C45, 0x3D56}, q.scales());
        checkRules(w, 16, 10, spec, q);
    }

    @Test
    void nonFiniteWeightsAreRejectedWithTheFirstIndex() {
        float[] w = new float[16 * 3];
        w[5] = Float.NaN;
        w[9] = Float.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quantizer.quantize(w, 16, 3, QuantSpec.of(4, 16)));
        assertTrue(e.getMessage().contains("weight [1][2] (flat index 5) is NaN"), e.getMessage());
        w[5] = 0;
        w[3] = Float.NEGATIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(w, 16, 3, QuantSpec.of(4, 16)));
        assertTrue(e.getMessage().contains("weight [1][0] (flat index 3) is -Infinity"), e.getMessage());
    }

    @Test
    void badShapesAndSpecsGiveClearErrors() {
        float[] w48 = new float[48];
        assertMessage("K = 48 is not a multiple of the group size 32",
                () -> Quantizer.quantize(w48, 48, 1, QuantSpec.of(4, 32)));
        assertMessage("K = 16 is not a multiple of the group size 32",
                () -> Quantizer.quantize(new float[16], 16, 1, QuantSpec.of(4, 32)));
        assertMessage("bits must be 2, 4 or 8, got 3", () -> QuantSpec.of(3, 16));
        assertMessage("group size must be a positive multiple of 16, got 24", () -> QuantSpec.of(4, 24));
        assertMessage("group size must be a positive multiple of 16, got 0", () -> QuantSpec.of(4, 0));
        assertMessage("group columns must be a power of two from 1 to 32, got 3", () -> QuantSpec.of(4, 16).withGroupCols(3));
        assertMessage("group columns must be a power of two from 1 to 32, got 64", () -> QuantSpec.of(4, 16).withGroupCols(64));
        assertMessage("weights have 47 elements, expected K*N = 48",
                () -> Quantizer.quantize(new float[47], 16, 3, QuantSpec.of(4, 16)));
        assertMessage("weight shape [K=0, N=3] must be within 1 .. 1048576",
                () -> Quantizer.quantize(new float[0], 0, 3, QuantSpec.of(4, 16)));
    }

    static void assertMessage(String expected, Runnable r) {
        try {
            r.run();
            fail("expected an IllegalArgumentException: " + expected);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(expected), "message \"" + e.getMessage() + "\" lacks \"" + expected + "\"");
        }
    }

    @Test
    void errorIsSmallerWithMoreBitsOnTheSameWeights() {
        // Sanity of the whole pipeline: INT8 beats INT4 beats INT2 in mean squared error on Gaussian-ish weights.
        SplittableRandom rnd = new SplittableRandom(7);
        int k = 128;
        int n = 64;
        float[] w = new float[k * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 1.5) * 0.05);
        }
        double prev = Double.MAX_VALUE;
        for (int bits : new int[] {2, 4, 8}) {
            QuantizedWeights q = Quantizer.quantize(w, k, n, QuantSpec.of(bits, 64));
            double mse = 0;
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < n; c++) {
                    double e = w[r * n + c] - q.dequantized(r, c);
                    mse += e * e;
                }
            }
            assertTrue(mse < prev / 10, "INT" + bits + " mse " + mse + " vs " + prev);
            prev = mse;
        }
    }
}
