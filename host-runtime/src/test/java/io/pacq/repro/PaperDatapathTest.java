package io.pacq.repro;

import io.pacq.GemmMode;
import io.pacq.fp.Fp16;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paper's drawn datapath on hand-worked cases (docs/reproduce.md, "The paper's datapath"). */
class PaperDatapathTest {

    private static float f(short bits) {
        return Fp16.toFloat(bits);
    }

    @Test
    void rn16RoundsOnceToNearestEven() {
        assertEquals(1.0f, f(PaperDatapath.rn16(1 + 0x1p-11)));             // tie, 1.0 is even
        assertEquals(1 + 0x1p-9f, f(PaperDatapath.rn16(1 + 3 * 0x1p-11)));   // tie, 1 + 2^-9 is even
        assertEquals(1 + 0x1p-10f, f(PaperDatapath.rn16(1 + 0x1p-11 + 0x1p-40))); // just above the tie
        assertEquals(65504f, f(PaperDatapath.rn16(65519.99)));
        assertEquals((short) 0x7C00, PaperDatapath.rn16(65520));              // the tie goes to 65536: Inf
        assertEquals((short) 0xFC00, PaperDatapath.rn16(-1e9));
        assertEquals((short) 0x0000, PaperDatapath.rn16(0x1p-25));            // tie between 0 and 2^-24
        assertEquals((short) 0x0001, PaperDatapath.rn16(3 * 0x1p-26));       // above the tie
        assertEquals((short) 0x8000, PaperDatapath.rn16(-0.0));
        assertEquals(Fp16.CANONICAL_NAN, PaperDatapath.rn16(Double.NaN));
    }

    /**
     * The carry-loss example: A = 1.5 (significand 1536), weight B = 4 (code 12, operand 1036).
     * 1536 x 12 = 18432 needs 15 bits; the 14-bit intermediate keeps 18432 - 16384 = 2048, so the
     * product is (1536 x 1024 + 2048) / 1024 = 1538 instead of 1.5 x 1036 = 1554.
     */
    @Test
    void carryLossExample() {
        short a = Fp16.fromFloat(1.5f);
        assertEquals(1538f, f(PaperDatapath.productAsDrawn(a, 12)));
        assertEquals(1554f, f(PaperDatapath.productIeee(a, 12)));
        assertEquals(-1538f, f(PaperDatapath.productAsDrawn(Fp16.fromFloat(-1.5f), 12)));
    }

    /**
     * The normalization example: A = 2047/1024 (the largest significand), code 1. The exact
     * product 2047 x 1025 / 1024 = 2049 rounds to 2048 (tie to even) and needs the exponent one
     * higher; as drawn the significand rounds to 2049, whose bit 11 is dropped: 1024 + 1 = 1025.
     */
    @Test
    void normalizationExample() {
        short a = (short) 0x3FFF;
        assertEquals(2047f / 1024, f(a));
        assertEquals(1025f, f(PaperDatapath.productAsDrawn(a, 1)));
        assertEquals(2048f, f(PaperDatapath.productIeee(a, 1)));
    }

    @Test
    void overflowOnceActivationsReach64() {
        assertEquals((short) 0x7C00, PaperDatapath.productAsDrawn(Fp16.fromFloat(64f), 0));  // exponent 21 + 10 = 31
        assertEquals((short) 0x7C00, PaperDatapath.productIeee(Fp16.fromFloat(64f), 0));    // 65536
        short big = (short) 0x53FF;                                                          // 63.96875
        assertEquals(65504f, f(PaperDatapath.productIeee(big, 0)));                          // 63.96875 x 1024
        assertEquals((short) 0x7C00, PaperDatapath.productIeee(big, 15));                    // 63.96875 x 1039 = 66463.6
    }

    @Test
    void specialActivationsTakeTheIeeeProduct() {
        assertEquals((short) 0x0000, PaperDatapath.productAsDrawn((short) 0x0000, 7));
        assertEquals((short) 0x8000, PaperDatapath.productAsDrawn((short) 0x8000, 7));
        assertEquals((short) 0x7C00, PaperDatapath.productAsDrawn((short) 0x7C00, 3));
        assertEquals(Fp16.CANONICAL_NAN, PaperDatapath.productAsDrawn((short) 0x7D01, 3));
        assertEquals(f(PaperDatapath.rn16(0x1p-24 * 1030)), f(PaperDatapath.productAsDrawn((short) 0x0001, 6)));
        assertThrows(IllegalArgumentException.class, () -> PaperDatapath.productAsDrawn((short) 0x3C00, 16));
    }

    /** Where neither defect strikes, the drawn multiplier is the correctly rounded product: every normal activation, every code. */
    @Test
    void withoutItsDefectsTheDrawnMultiplierIsExact() {
        int checked = 0;
        for (int bits = 0x0400; bits < 0x7C00; bits++) {
            for (int sign : new int[] {0, 0x8000}) {
                short a = (short) (bits | sign);
                int sig = 0x400 | (bits & 0x3FF);
                for (int code = 0; code < 16; code++) {
                    final int c = code;
                    long exact = (long) sig * (1024 + c);
                    boolean carry = sig * c >= 1 << 14;
                    boolean norm = exact >= (2047L << 10) + 512;   // rounds to 2^11 or more
                    boolean overflow = ((bits >>> 10) & 0x1F) + 10 >= 31 || f(PaperDatapath.productIeee(a, c)) == Float.POSITIVE_INFINITY;
                    if (!carry && !norm && !overflow) {
                        assertEquals(PaperDatapath.productIeee(a, c), PaperDatapath.productAsDrawn(a, c),
                                () -> Integer.toHexString(a & 0xFFFF) + " x code " + c);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 450_000, "checked " + checked);
    }

    /**
     * Defect counts over the 1024 significands x 16 codes, by hand. Carry lost when sig x c >= 2^14,
     * i.e. sig >= ceil(16384 / c): c = 9..15 give 227 + 409 + 558 + 682 + 787 + 877 + 955 = 4495 pairs.
     * Normalization needed when sig x (1024 + c) >= 2047.5 x 1024, i.e. sig >= 2048 - 2c: 2c pairs
     * per code, 2 x (1 + ... + 15) = 240 in all.
     */
    @Test
    void defectRatesByHand() {
        PaperDatapath.Defects d = PaperDatapath.defects();
        assertEquals(16384, d.pairs());
        assertEquals(4495, d.carryLost());
        assertEquals(240, d.unnormalized());
        assertEquals(4495 / 16384.0, d.carryLostRate(), 1e-12);
    }

    private static QuantizedWeights int4(int k, int n, byte[] codes, float scale) {
        short[] scales = new short[n];
        Arrays.fill(scales, Fp16.fromFloat(scale));
        return new QuantizedWeights(k, n, 4, k, 1, codes, scales, null);
    }

    /** The carry-loss example through the whole datapath: A = [1.5, 0 ...], B = [4, ...], s = 1. */
    @Test
    void carryLossThroughTheGemm() {
        int k = 16;
        byte[] codes = new byte[k];
        Arrays.fill(codes, (byte) 8);
        codes[0] = 12;                                   // B = 4
        short[] a = new short[k];
        a[0] = Fp16.fromFloat(1.5f);
        QuantizedWeights w = int4(k, 1, codes, 1f);
        // P = 1538 (as drawn) or 1554; sum A = 1.5, correction 1032 x 1.5 = 1548; q = P - 1548
        assertEquals(-10f, f(PaperDatapath.gemm(PaperDatapath.Multiplier.AS_DRAWN, a, 1, w)[0]));
        assertEquals(6f, f(PaperDatapath.gemm(PaperDatapath.Multiplier.IEEE_FP16, a, 1, w)[0]));
        assertEquals(6f, f(ReferenceGemm.gemmF16(GemmMode.PACQ, a, 1, w)[0]));
    }

    /**
     * Overflow at a modest K: 128 activations of 1.0 and weights B = 0. Every product is 1032, the
     * FP16 sum passes 65504 and becomes Inf, so does 1032 x 128 = 132096, and Inf - Inf is NaN.
     * The exact result is 0.
     */
    @Test
    void fp16SumsOverflow() {
        int k = 128;
        byte[] codes = new byte[k];
        Arrays.fill(codes, (byte) 8);
        short[] a = new short[k];
        Arrays.fill(a, Fp16.fromFloat(1f));
        QuantizedWeights w = int4(k, 1, codes, 0.5f);
        assertEquals(Fp16.CANONICAL_NAN, PaperDatapath.gemm(PaperDatapath.Multiplier.IEEE_FP16, a, 1, w)[0]);
        assertEquals(Fp16.CANONICAL_NAN, PaperDatapath.gemm(PaperDatapath.Multiplier.AS_DRAWN, a, 1, w)[0]);
        assertEquals(0f, f(ReferenceGemm.gemmF16(GemmMode.PACQ, a, 1, w)[0]));
    }

    @Test
    void takesSymmetricInt4Only() {
        QuantizedWeights int2 = new QuantizedWeights(16, 1, 2, 16, 1, new byte[16], new short[] {0x3C00}, null);
        var e = assertThrows(IllegalArgumentException.class,
                () -> PaperDatapath.gemm(PaperDatapath.Multiplier.AS_DRAWN, new short[16], 1, int2));
        assertTrue(e.getMessage().contains("INT2"), e.getMessage());
        QuantizedWeights asym = new QuantizedWeights(16, 1, 4, 16, 1, new byte[16], new short[] {0x3C00}, new byte[] {8});
        assertThrows(IllegalArgumentException.class,
                () -> PaperDatapath.gemm(PaperDatapath.Multiplier.AS_DRAWN, new short[16], 1, asym));
        QuantizedWeights ok = int4(16, 1, new byte[16], 1f);
        assertThrows(IllegalArgumentException.class,
                () -> PaperDatapath.gemm(PaperDatapath.Multiplier.AS_DRAWN, new short[15], 1, ok));
    }
}
