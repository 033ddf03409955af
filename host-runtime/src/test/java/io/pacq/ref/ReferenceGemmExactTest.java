package io.pacq.ref;

import io.pacq.GemmMode;
import io.pacq.fp.Fp16;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.testing.ExactFloat;
import io.pacq.testing.ExactFloat.Format;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ReferenceGemm against an exact evaluation of the numerics contract's pseudo-code: every RN32 /
 * RN16 step is computed exactly with BigDecimal and rounded by {@link ExactFloat#round}, an
 * independent round-to-nearest-even routine; results are encoded to bits by hand. Random shapes,
 * bit widths, groups, 2-D groups, both modes and both output types; activations and scales include
 * ±0, subnormals, ±65504, ±Inf and NaN.
 */
class ReferenceGemmExactTest {

    /** The contract, PACQ mode, for one output element. */
    private static ExactFloat pacq(short[] a, int m, QuantizedWeights w, int col) {
        int k = w.k();
        int g = w.groupSize();
        ExactFloat acc = ExactFloat.ZERO;
        for (int group = 0; group < k / g; group++) {
            ExactFloat p = ExactFloat.ZERO;
            for (int kk = group * g; kk < group * g + g; kk++) {
                ExactFloat prod = ExactFloat.ofFp16(a[m * k + kk]).mul(ExactFloat.of(w.d(kk, col)));
                p = p.add(prod).round(Format.FP32);
            }
            ExactFloat s = ExactFloat.ofFp16(w.scale(group * g, col));
            acc = acc.add(p.mul(s).round(Format.FP32)).round(Format.FP32);
        }
        return acc;
    }

    /** The contract, DEQUANT mode, for one output element. */
    private static ExactFloat dequant(short[] a, int m, QuantizedWeights w, int col) {
        int k = w.k();
        ExactFloat acc = ExactFloat.ZERO;
        for (int kk = 0; kk < k; kk++) {
            ExactFloat wv = ExactFloat.of(w.d(kk, col)).mul(ExactFloat.ofFp16(w.scale(kk, col))).round(Format.FP16);
            acc = acc.add(ExactFloat.ofFp16(a[m * k + kk]).mul(wv)).round(Format.FP32);
        }
        return acc;
    }

    @Test
    void matchesExactEvaluationOnRandomProblems() {
        SplittableRandom rnd = new SplittableRandom(20250);
        int[] bitsChoice = {2, 4, 8};
        int cases = 0;
        for (int trial = 0; trial < 60; trial++) {
            int bits = bitsChoice[trial % 3];
            int g = 16 * (1 + rnd.nextInt(3));
            int k = g * (1 + rnd.nextInt(3));
            int n = 1 + rnd.nextInt(9);
            int m = 1 + rnd.nextInt(3);
            int gn = 1 << rnd.nextInt(3);
            QuantSpec spec = new QuantSpec(bits, g, gn, rnd.nextBoolean());
            QuantizedWeights w = withEdgeScales(rnd, RandomProblems.weights(rnd, k, n, spec));
            // a third of the trials: finite edges only (so most outputs are finite numbers)
            short[] a = (trial % 3 == 0
                    ? RandomProblems.activationsWithEdges(rnd, m, k, 4f, 0.05)
                    : RandomProblems.activationsWithFiniteEdges(rnd, m, k, trial % 2 == 0 ? 2f : 3000f, 0.1)).toBits();
            for (GemmMode mode : GemmMode.values()) {
                short[] c16 = ReferenceGemm.gemmF16(mode, a, m, w);
                int[] c32 = ReferenceGemm.gemmF32(mode, a, m, w);
                for (int row = 0; row < m; row++) {
                    for (int col = 0; col < n; col++) {
                        ExactFloat acc = mode == GemmMode.DEQUANT ? dequant(a, row, w, col) : pacq(a, row, w, col);
                        long e16 = acc.round(Format.FP16).encode(Format.FP16, Fp16.CANONICAL_NAN & 0xFFFF);
                        long e32 = acc.encode(Format.FP32, Fp16.CANONICAL_NAN_F32 & 0xFFFFFFFFL);
                        String where = mode + " " + w + " C[" + row + "][" + col + "] exact acc " + acc;
                        assertEquals(e16, c16[row * n + col] & 0xFFFF, where);
                        assertEquals(e32, c32[row * n + col] & 0xFFFFFFFFL, where);
                        cases++;
                    }
                }
            }
        }
        assertEquals(true, cases > 500, "enough outputs compared: " + cases);
    }

    /** Replaces some scales with edge values: ±0, subnormals, negative, ±65504, tiny and huge. */
    private static QuantizedWeights withEdgeScales(SplittableRandom rnd, QuantizedWeights w) {
        short[] edges = {0x0000, (short) 0x8000, 0x0001, 0x03FF, 0x0400, 0x7BFF, (short) 0xFBFF, (short) 0xBC00,
                         0x5A00, (short) 0xC123};
        short[] s = w.scales();
        for (int i = 0; i < s.length; i++) {
            if (rnd.nextInt(4) == 0) {
                s[i] = edges[rnd.nextInt(edges.length)];
            }
        }
        return new QuantizedWeights(w.k(), w.n(), w.bits(), w.groupSize(), w.groupCols(), w.codes(), s, w.zeros());
    }
}
