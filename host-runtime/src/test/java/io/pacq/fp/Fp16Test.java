package io.pacq.fp;

import io.pacq.testing.ExactFloat;
import io.pacq.testing.ExactFloat.Format;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fp16 and Bf16 against hand decoding and an independent exact rounding routine
 * ({@link ExactFloat}): every FP16 pattern, every rounding midpoint and its neighbours, random
 * floats.
 */
class Fp16Test {

    @Test
    void toFloatDecodesEveryPattern() {
        for (int b = 0; b < 0x10000; b++) {
            ExactFloat expect = ExactFloat.ofFp16((short) b);
            float got = Fp16.toFloat((short) b);
            if (expect.isNaN()) {
                assertTrue(Float.isNaN(got), "NaN pattern " + Integer.toHexString(b));
            } else {
                assertSame(expect, ExactFloat.of(got), "toFloat 0x" + Integer.toHexString(b));
            }
        }
    }

    @Test
    void isFiniteForEveryPattern() {
        for (int b = 0; b < 0x10000; b++) {
            boolean exponentAllOnes = ((b >> 10) & 0x1F) == 0x1F;
            assertEquals(!exponentAllOnes, Fp16.isFinite((short) b), "0x" + Integer.toHexString(b));
        }
    }

    @Test
    void fromFloatRoundsMidpointsAndNeighboursToNearestEven() {
        // every midpoint between adjacent non-negative FP16 values (incl. 65504 .. 65536, the overflow
        // threshold), and the floats just below and above it, both signs
        for (int b = 0; b < 0x7C00; b++) {
            BigDecimal lo = ExactFloat.ofFp16((short) b).value();
            BigDecimal hi = b == 0x7BFF ? ExactFloat.pow2(16) : ExactFloat.ofFp16((short) (b + 1)).value();
            float mid = lo.add(hi).divide(BigDecimal.valueOf(2)).floatValue();   // exact: 12 bits
            for (float f : new float[] {mid, Math.nextUp(mid), Math.nextDown(mid)}) {
                checkRn16(f);
                checkRn16(-f);
            }
        }
    }

    @Test
    void fromFloatRoundsRandomFloats() {
        SplittableRandom rnd = new SplittableRandom(16);
        for (int i = 0; i < 50_000; i++) {
            // exponents around FP16's range, where all the cases are
            float f = (float) Math.scalb(rnd.nextDouble(1, 2), rnd.nextInt(-30, 20));
            checkRn16(rnd.nextBoolean() ? f : -f);
            checkRn16(Float.intBitsToFloat(rnd.nextInt()));
        }
        for (float f : new float[] {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
                                    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 65504f, 65519.996f, 65520f}) {
            checkRn16(f);
        }
    }

    private static void checkRn16(float f) {
        short got = Fp16.fromFloat(f);
        ExactFloat x = ExactFloat.of(f);
        if (x.isNaN()) {
            assertTrue(Float.isNaN(Fp16.toFloat(got)), "NaN stays NaN");
            return;
        }
        long expect = x.round(Format.FP16).encode(Format.FP16, 0x7E00);
        assertEquals(expect, got & 0xFFFF, () -> "RN16(" + f + ") = 0x" + Long.toHexString(expect) + ", got 0x"
                + Integer.toHexString(got & 0xFFFF));
    }

    @Test
    void outputEncodingCanonicalisesNaN() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            // any NaN pattern, either sign, quiet or signalling
            int nan = 0x7F800000 | (rnd.nextInt(1, 1 << 23)) | (rnd.nextBoolean() ? 0x80000000 : 0);
            float f = Float.intBitsToFloat(nan);
            assertEquals((short) 0x7E00, Fp16.toOutput(f));
            assertEquals(0x7FC00000, Fp16.toOutputF32(f));
        }
        // non-NaN values pass through: bits of acc for FP32, RN16 for FP16 (signed zeros kept)
        assertEquals(0x80000000, Fp16.toOutputF32(-0f));
        assertEquals((short) 0x8000, Fp16.toOutput(-0f));
        assertEquals((short) 0x7C00, Fp16.toOutput(65520f));   // tie between 65504 (odd) and 2^16: overflow
        assertEquals((short) 0x7BFF, Fp16.toOutput(65519f));
        assertEquals(0x477FF000, Fp16.toOutputF32(65520f));
    }

    @Test
    void arrayConversionsMatchElementwise() {
        float[] f = {1.5f, -2f, 1e-8f, 1e6f};
        short[] h = Fp16.fromFloats(f);
        // 1.5 = 0x3E00, -2 = 0xC000, 1e-8 < 2^-25 rounds to +0, 1e6 overflows to +Inf
        assertEquals((short) 0x3E00, h[0]);
        assertEquals((short) 0xC000, h[1]);
        assertEquals((short) 0x0000, h[2]);
        assertEquals((short) 0x7C00, h[3]);
        float[] back = Fp16.toFloats(h);
        assertEquals(1.5f, back[0]);
        assertEquals(Float.POSITIVE_INFINITY, back[3]);
    }

    @Test
    void bf16DecodesAndRoundsToNearestEven() {
        for (int b = 0; b < 0x10000; b++) {
            ExactFloat expect = ExactFloat.decode(Format.BF16, b);
            float got = Bf16.toFloat((short) b);
            if (expect.isNaN()) {
                assertTrue(Float.isNaN(got));
            } else {
                assertSame(expect, ExactFloat.of(got), "bf16 0x" + Integer.toHexString(b));
            }
        }
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 50_000; i++) {
            float f = Float.intBitsToFloat(rnd.nextInt());
            if (i % 2 == 0) {
                // force an exact tie on the 16 dropped bits
                f = Float.intBitsToFloat((Float.floatToRawIntBits(f) & 0xFFFF0000) | 0x8000);
            }
            short got = Bf16.fromFloat(f);
            ExactFloat x = ExactFloat.of(f);
            if (x.isNaN()) {
                assertTrue(Float.isNaN(Bf16.toFloat(got)), "NaN stays NaN");
                continue;
            }
            long expect = x.round(Format.BF16).encode(Format.BF16, 0x7FC0);
            assertEquals(expect, got & 0xFFFF, "bf16 RN(" + f + ")");
        }
    }

    private static void assertSame(ExactFloat expect, ExactFloat got, String what) {
        assertEquals(expect.toString(), got.toString(), what);
    }
}
