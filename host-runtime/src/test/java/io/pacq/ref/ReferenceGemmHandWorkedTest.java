package io.pacq.ref;

import io.pacq.GemmMode;
import io.pacq.quant.QuantizedWeights;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ReferenceGemm on cases small enough to work out by hand. Every expected bit pattern is derived
 * in the comments from the numerics contract, not taken from the code.
 *
 * <p>Weights are INT8 with z = 128 stored explicitly, so d = q - 128 can be chosen freely in
 * [-128, 127]; groups are g = 16 rows (the smallest allowed); unlisted rows have A = +0 and d = 0.
 * FP16 patterns used: 1 = 0x3C00, 2^-14 = 0x0400, 2^-10 = 0x1400, 2^-11 = 0x1000,
 * 1 + 2^-10 = 0x3C01, 16 = 0x4C00, 15 = 0x4B80, 2^15 = 0x7800, 65504 = 0x7BFF, -1 = 0xBC00,
 * -0 = 0x8000, +Inf = 0x7C00, NaN = 0x7E00.
 */
class ReferenceGemmHandWorkedTest {

    private static final int Z = 128;

    /** N = 1 weights of K = 16 * scales.length rows: d[k] as given (0 beyond), scale per group. */
    private static QuantizedWeights column(int[] d, short... scales) {
        int k = 16 * scales.length;
        byte[] codes = new byte[k];
        for (int i = 0; i < k; i++) {
            codes[i] = (byte) (Z + (i < d.length ? d[i] : 0));
        }
        byte[] zeros = new byte[scales.length];
        java.util.Arrays.fill(zeros, (byte) Z);
        return new QuantizedWeights(k, 1, 8, 16, 1, codes, scales, zeros);
    }

    /** One row of A: the given FP16 patterns, +0 beyond. */
    private static short[] row(int k, int... bits) {
        short[] a = new short[k];
        for (int i = 0; i < bits.length; i++) {
            a[i] = (short) bits[i];
        }
        return a;
    }

    private static int f16(GemmMode mode, short[] a, QuantizedWeights w) {
        return ReferenceGemm.gemmF16(mode, a, 1, w)[0] & 0xFFFF;
    }

    private static int f32(GemmMode mode, short[] a, QuantizedWeights w) {
        return ReferenceGemm.gemmF32(mode, a, 1, w)[0];
    }

    @Test
    void pacqSkipsTheFp16RoundingOfWeightsThatDequantDoes() {
        // s = 1 + 2^-10, d = 3 in rows 0..2, A = 1 there.
        // PACQ: p = 3 + 3 + 3 = 9 (exact); p*s = 9 + 9*2^-10 = 9.0087890625, exact in FP32 (needs 14 bits).
        //   FP32 bits: 9 = 1001b and 9*2^-10 = 1001b * 2^-10, so the value is 1001.0000001001b
        //   = 2^3 * 1.0010000001001b: biased exponent 130 (0x82 << 23 = 0x41000000), fraction bits
        //   0010000001001 (13 bits) at the top of the 23: 0x409 << 10 = 0x102400 -> 0x41102400.
        //   RN16: FP16 spacing in [8, 16) is 2^-7 = 0.0078125; 9.0087890625 = 9 + 1.125 * 2^-7, nearest is
        //   9 + 2^-7 = 9.0078125. FP16 9 = 0x4880 (2^3 * 1.125, fraction 0.125 * 1024 = 128), +1 ulp = 0x4881.
        // DEQUANT: w = RN16(3 * (1 + 2^-10)) = RN16(3 + 3*2^-10); spacing in [2, 4) is 2^-9, 3 + 1.5*2^-9 is
        //   a tie between 3 + 2^-9 (fraction 513, odd) and 3 + 2^-8 (fraction 514, even): w = 3.00390625.
        //   acc = 3w = 9.01171875 exactly (each step exact in FP32); FP32 bits: 9 + 3*2^-8 = 1001.00000011b
        //   = 2^3 * 1.00100000011b -> 0x41000000 | (0x103 << 12 = 0x103000) = 0x41103000.
        //   RN16: 9.01171875 = 9 + 1.5 * 2^-7, a tie between 0x4881 (odd) and 0x4882 (even): 0x4882.
        QuantizedWeights w = column(new int[] {3, 3, 3}, (short) 0x3C01);
        short[] a = row(16, 0x3C00, 0x3C00, 0x3C00);
        assertEquals(0x4881, f16(GemmMode.PACQ, a, w));
        assertEquals(0x4882, f16(GemmMode.DEQUANT, a, w));
        assertEquals(0x41102400, f32(GemmMode.PACQ, a, w));
        assertEquals(0x41103000, f32(GemmMode.DEQUANT, a, w));
    }

    @Test
    void orderInsideAGroupIsAscendingK() {
        // Rows 0..7: A = 2^15, d = 64: each product 2^21, the partial sums j * 2^21 exact, p = 2^24.
        // Rows 8, 9: A = 1, d = 1. s = 1.
        // Ascending k: p reaches 2^24, then 2^24 + 1 is a tie between 2^24 and 2^24 + 2 (FP32 spacing 2
        // there) -> even significand -> 2^24; again for row 9. p = 2^24 = 0x4B800000.
        // (Summing the ones first would give 2 + 2^24, representable: 0x4B800001. The order matters.)
        // FP16 output: 2^24 > 65504 overflows -> +Inf 0x7C00.
        int[] d = {64, 64, 64, 64, 64, 64, 64, 64, 1, 1};
        QuantizedWeights w = column(d, (short) 0x3C00);
        short[] a = row(16, 0x7800, 0x7800, 0x7800, 0x7800, 0x7800, 0x7800, 0x7800, 0x7800, 0x3C00, 0x3C00);
        assertEquals(0x4B800000, f32(GemmMode.PACQ, a, w));
        assertEquals(0x7C00, f16(GemmMode.PACQ, a, w));
        // DEQUANT: w = RN16(64 * 1) = 64 exactly, the same products in the same order: same sum.
        assertEquals(0x4B800000, f32(GemmMode.DEQUANT, a, w));
    }

    @Test
    void groupsAreScaledThenAddedInAscendingOrder() {
        // Three groups. Group 0: A[0] = 2^15, d = 64 -> p = 2^21; s = 8 (0x4800) -> p*s = 2^24.
        // Groups 1 and 2: A = 1, d = 1, s = 1 -> p*s = 1 each.
        // acc = 2^24, then 2^24 + 1 -> tie -> 2^24 (even), twice: acc = 2^24 = 0x4B800000.
        // Adding groups 1 and 2 first would give 2 + 2^24 = 0x4B800001.
        int[] d = new int[48];
        d[0] = 64;
        d[16] = 1;
        d[32] = 1;
        QuantizedWeights w = column(d, (short) 0x4800, (short) 0x3C00, (short) 0x3C00);
        short[] a = new short[48];
        a[0] = 0x7800;
        a[16] = 0x3C00;
        a[32] = 0x3C00;
        assertEquals(0x4B800000, f32(GemmMode.PACQ, a, w));

        // A group whose sum needs 21 bits and whose scaled sum must round: s = 1 + 2^-10, A = 1 + 2^-10 (0x3C01) in rows
        // 0..15, d = 127. Each A*d = 127 + 127*2^-10 exact; p = 16 * that = 2032 + 1.984375 = 2033.984375
        // (exact: 2032*(1 + 2^-10) needs 17 bits). p*s = 2032 * (1 + 2^-10)^2 = 2032 * (1 + 2^-9 + 2^-20)
        //   = 2032 + 3.96875 + 0.0019378662109375 = 2035.9706878662109375.
        // FP32 spacing in [1024, 2048) is 2^-13. In those units: 2032*2^13 = 16646144, 3.96875*2^13 = 32512,
        //   0.0019378662109375*2^13 = 15.875: 16678671.875, which rounds to 16678672 = 0xFE7F10 (24 bits).
        //   acc = 0xFE7F10 * 2^-13 = 2^10 * 1.xxx: biased exponent 137 (0x89 << 23 = 0x44800000), fraction
        //   0xFE7F10 - 0x800000 = 0x7E7F10 -> 0x44FE7F10.
        int[] d2 = new int[16];
        java.util.Arrays.fill(d2, 127);
        QuantizedWeights w2 = column(d2, (short) 0x3C01);
        short[] a2 = new short[16];
        java.util.Arrays.fill(a2, (short) 0x3C01);
        assertEquals(0x44FE7F10, f32(GemmMode.PACQ, a2, w2));
    }

    @Test
    void outputIsNeverNegativeZero() {
        // A = -0 everywhere, d = 1, s = 1: each p = RN32(p + (-0)*1) = (+0) + (-0) = +0; acc = +0 + +0.
        QuantizedWeights w = column(new int[] {1, 1, 1, 1}, (short) 0x3C00);
        short[] a = row(16, 0x8000, 0x8000, 0x8000, 0x8000);
        assertEquals(0x0000, f16(GemmMode.PACQ, a, w));
        assertEquals(0x00000000, f32(GemmMode.PACQ, a, w));
        // A = 1, d = 0, s = -1: p = +0, p*s = -0, acc = (+0) + (-0) = +0.
        // DEQUANT: w = RN16(0 * -1) = -0, A*w = -0, acc = (+0) + (-0) = +0.
        QuantizedWeights neg = column(new int[] {0}, (short) 0xBC00);
        short[] one = row(16, 0x3C00);
        assertEquals(0x0000, f16(GemmMode.PACQ, one, neg));
        assertEquals(0x0000, f16(GemmMode.DEQUANT, one, neg));
        assertEquals(0x00000000, f32(GemmMode.DEQUANT, one, neg));
    }

    @Test
    void infinityTimesZeroIsNaNWrittenCanonically() {
        // A[0] = +Inf, d[0] = 0: Inf * 0 = NaN, p = NaN, acc = NaN -> 0x7E00 (FP16), 0x7FC00000 (FP32).
        QuantizedWeights w = column(new int[] {0, 1}, (short) 0x3C00);
        short[] a = row(16, 0x7C00, 0x3C00);
        assertEquals(0x7E00, f16(GemmMode.PACQ, a, w));
        assertEquals(0x7FC00000, f32(GemmMode.PACQ, a, w));
        // DEQUANT: w[0] = RN16(0 * 1) = +0, Inf * +0 = NaN as well.
        assertEquals(0x7E00, f16(GemmMode.DEQUANT, a, w));
        // A signalling-pattern NaN input (0x7D01) is also written as the canonical quiet NaN.
        short[] nan = row(16, 0x7D01);
        assertEquals(0x7E00, f16(GemmMode.PACQ, nan, w));
        assertEquals(0x7FC00000, f32(GemmMode.DEQUANT, nan, w));
        // Inf * d (d != 0) keeps Inf; a zero scale then makes Inf * 0 = NaN at the group scaling.
        QuantizedWeights one = column(new int[] {1}, (short) 0x3C00);
        QuantizedWeights negOne = column(new int[] {1}, (short) 0xBC00);
        QuantizedWeights zeroScale = column(new int[] {1}, (short) 0x0000);
        short[] inf = row(16, 0x7C00);
        assertEquals(0x7C00, f16(GemmMode.PACQ, inf, one));
        assertEquals(0xFC00, f16(GemmMode.PACQ, inf, negOne));
        assertEquals(0x7E00, f16(GemmMode.PACQ, inf, zeroScale));
        // DEQUANT with a zero scale: w = +0, Inf * 0 = NaN too.
        assertEquals(0x7E00, f16(GemmMode.DEQUANT, inf, zeroScale));
    }

    @Test
    void fp16OutputOverflowsToInfinity() {
        // A = [32 (0x5000), 31 (0x4FC0)], d = [127, 1]: p = 4064 + 31 = 4095 exactly; s = 16 (0x4C00):
        // p*s = 65520.
        // RN16(65520): the tie between 65504 (fraction 0x3FF, odd) and 65536 (even, beyond FP16) rounds
        // up and overflows: +Inf 0x7C00. FP32 output: 65520 = 2^15 * 1.99951171875, biased exponent
        // 142 = 0x8E, fraction 0.99951171875 * 2^23 = 0x7FF000 -> 0x477FF000.
        QuantizedWeights w = column(new int[] {127, 1}, (short) 0x4C00);
        short[] a = row(16, 0x5000, 0x4FC0);
        assertEquals(0x7C00, f16(GemmMode.PACQ, a, w));
        assertEquals(0x477FF000, f32(GemmMode.PACQ, a, w));
        // One less (A[1] = 30 = 0x4F80): p = 4094, p*s = 65504 = 0x7BFF exactly.
        assertEquals(0x7BFF, f16(GemmMode.PACQ, row(16, 0x5000, 0x4F80), w));
        // DEQUANT overflow inside the weights: d = 127, s = 65504: d*s = 8319008 > 65504 -> w = +Inf.
        // A = 1: acc = +Inf (0x7F800000); PACQ instead gives 127 * 65504 = 8319008 exactly in FP32:
        // 8319008 = 0x7EF020 < 2^23, = 2^22 * 1.98339...: biased exponent 149 = 0x95, fraction
        // (0x7EF020 << 1) - 0x800000 = 0x7DE040 -> 0x4AFDE040.
        QuantizedWeights big = column(new int[] {127}, (short) 0x7BFF);
        short[] one = row(16, 0x3C00);
        assertEquals(0x7F800000, f32(GemmMode.DEQUANT, one, big));
        assertEquals(0x4AFDE040, f32(GemmMode.PACQ, one, big));
        // ... and A = 0 against that infinite DEQUANT weight is 0 * Inf = NaN, while PACQ gives +0.
        short[] zero = row(16);
        assertEquals(0x7FC00000, f32(GemmMode.DEQUANT, zero, big));
        assertEquals(0x00000000, f32(GemmMode.PACQ, zero, big));
    }

    @Test
    void subnormalFp16Outputs() {
        // A = 2^-14 (0x0400), d = 3, s = 2^-10 (0x1400): p = 3 * 2^-14, p*s = 3 * 2^-24, exact in FP32.
        // FP16 subnormals are multiples of 2^-24: 3 * 2^-24 = 0x0003.
        assertEquals(0x0003, f16(GemmMode.PACQ, row(16, 0x0400), column(new int[] {3}, (short) 0x1400)));
        // d = 5, s = 2^-11 (0x1000): 5 * 2^-25 = 2.5 * 2^-24, a tie between 2 and 3 (units of 2^-24): even, 0x0002.
        assertEquals(0x0002, f16(GemmMode.PACQ, row(16, 0x0400), column(new int[] {5}, (short) 0x1000)));
        // d = 1, s = 2^-11: 0.5 * 2^-24, a tie between 0 and 1: even, +0.
        assertEquals(0x0000, f16(GemmMode.PACQ, row(16, 0x0400), column(new int[] {1}, (short) 0x1000)));
        // d = -3, s = 2^-11: -1.5 * 2^-24, a tie between -1 and -2: even, -2 * 2^-24 = 0x8002.
        assertEquals(0x8002, f16(GemmMode.PACQ, row(16, 0x0400), column(new int[] {-3}, (short) 0x1000)));
        // FP32 output keeps the exact value: 2.5 * 2^-24 = 2^-23 * 1.25: biased exponent 104 = 0x68,
        // fraction 0.25 * 2^23 = 0x200000 -> 0x34200000.
        assertEquals(0x34200000, f32(GemmMode.PACQ, row(16, 0x0400), column(new int[] {5}, (short) 0x1000)));
        // DEQUANT rounds the weight first: w = RN16(5 * 2^-11) = 0x1900 (2^-9 * 1.25, exact); A*w =
        // 2^-14 * 5 * 2^-11 = 2.5 * 2^-24: the same tie, 0x0002.
        assertEquals(0x0002, f16(GemmMode.DEQUANT, row(16, 0x0400), column(new int[] {5}, (short) 0x1000)));
    }

    @Test
    void indexesRowsAndColumns() {
        // M = 2, K = 16, N = 3, INT4 asymmetric with zeros z = [0, 8, 15] per column and s = [1, 2, 0.5]
        // (0x3C00, 0x4000, 0x3800). Codes: column 0: q[k] = 1 for k = 0 only; column 1: q[k] = 9 (d = 1)
        // for all k; column 2: q[0] = 14 (d = -1), others 15 (d = 0).
        // Row 0 of A: all 1. Row 1 of A: A[1][k] = 2 for k = 0, else 0.
        //   C[0][0] = 1*1*1 = 1 (0x3C00); C[0][1] = 16 * 1 * 2 = 32 (0x5000); C[0][2] = -1 * 0.5 = -0.5 (0xB800)
        //   C[1][0] = 2*1*1 = 2 (0x4000);  C[1][1] = 2 * 1 * 2 = 4 (0x4400);   C[1][2] = 2 * -1 * 0.5 = -1 (0xBC00)
        int k = 16;
        int n = 3;
        byte[] codes = new byte[k * n];
        for (int r = 0; r < k; r++) {
            codes[r * n] = (byte) (r == 0 ? 1 : 0);
            codes[r * n + 1] = 9;
            codes[r * n + 2] = (byte) (r == 0 ? 14 : 15);
        }
        QuantizedWeights w = new QuantizedWeights(k, n, 4, 16, 1, codes,
                new short[] {0x3C00, 0x4000, 0x3800}, new byte[] {0, 8, 15});
        short[] a = new short[2 * k];
        for (int r = 0; r < k; r++) {
            a[r] = 0x3C00;
        }
        a[k] = 0x4000;
        short[] c = ReferenceGemm.gemmF16(GemmMode.PACQ, a, 2, w);
        assertArrayEquals(new short[] {0x3C00, 0x5000, (short) 0xB800, 0x4000, 0x4400, (short) 0xBC00}, c);
        assertArrayEquals(c, ReferenceGemm.gemmF16(GemmMode.DEQUANT, a, 2, w));
        assertArrayEquals(c, ReferenceGemm.gemmF16(GemmMode.KPACKED, a, 2, w));
    }
}
