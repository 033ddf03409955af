package io.pacq.checkpoint;

import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFormatException;
import io.pacq.testing.QuantCheckpoints;
import io.pacq.testing.QuantCheckpoints.Layer;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GPTQ and AWQ layers built by an independent packer (QuantCheckpoints) and by hand, converted and
 * compared with the codes, scales and zeros they were built from; act-order; the group-size and
 * zero-point rules.
 */
class CheckpointImporterTest {
    static final String P = "model.layers.0.mlp.down_proj";

    @TempDir
    Path dir;

    Path write(String name, Map<String, Tensor> tensors) throws IOException {
        Path p = dir.resolve(name);
        SafetensorsFile.write(p, tensors, Map.of("format", "pt"));
        return p;
    }

    ImportedWeights convert(Map<String, Tensor> tensors, CheckpointFormat f) throws IOException {
        return CheckpointImporter.importLayer(write("ckpt.safetensors", tensors), f, P, 0);
    }

    // ------------------------------------------------------------------ hand-worked words

    @Test
    void gptqInt4WordHoldsEightRowsLowestBitsFirst() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        // K = 16, N = 1: qweight [2, 1]; rows 0..7 hold 1..8, rows 8..15 hold 0, 9, 10, ..., 15
        t.put(P + ".qweight", Tensor.ofI32(new long[] {2, 1}, new int[] {0x87654321, 0xFEDCBA90}));
        t.put(P + ".qzeros", Tensor.ofI32(new long[] {1, 1}, new int[] {0x6}));     // stored 6: real zero 7
        t.put(P + ".scales", Tensor.ofF16(new long[] {1, 1}, new short[] {0x3C00}));
        t.put(P + ".g_idx", Tensor.ofI32(new long[] {16}, new int[16]));    // K = 16: two rows of 8 codes, b = 4
        QuantizedWeights w = convert(t, CheckpointFormat.GPTQ).weights();
        assertEquals(4, w.bits());
        assertEquals(16, w.k());
        assertEquals(16, w.groupSize());
        int[] expect = {1, 2, 3, 4, 5, 6, 7, 8, 0, 9, 10, 11, 12, 13, 14, 15};
        for (int k = 0; k < 16; k++) {
            assertEquals(expect[k], w.code(k, 0), "row " + k);
        }
        assertFalse(w.symmetric());
        assertEquals(7, w.zero(0, 0));
        assertEquals(1.0, w.dequantized(0, 0) + 7, 0.0);
    }

    @Test
    void gptqInt2AndInt8WordsAndSymmetricZeros() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        // INT2, K = 16, N = 2: one word per column; column 0 rows 0..3 = 0, 1, 2, 3 (0b11_10_01_00)
        t.put(P + ".qweight", Tensor.ofI32(new long[] {1, 2}, new int[] {0xE4, 0xC0000000}));
        // zeros along N: column 0 in bits 1..0, column 1 in bits 3..2; both stored 1 = real 2 = 2^(2-1)
        t.put(P + ".qzeros", Tensor.ofI32(new long[] {1, 1}, new int[] {0b0101}));
        t.put(P + ".scales", Tensor.ofF16(new long[] {1, 2}, new short[] {0x3C00, 0x4000}));
        t.put(P + ".g_idx", Tensor.ofI32(new long[] {16}, new int[16]));    // K = 16 in one row: b = 2
        QuantizedWeights w = convert(t, CheckpointFormat.GPTQ).weights();
        assertEquals(2, w.bits());
        assertArrayEquals(new int[] {0, 1, 2, 3, 0}, new int[] {w.code(0, 0), w.code(1, 0), w.code(2, 0), w.code(3, 0),
            w.code(4, 0)});
        assertEquals(3, w.code(15, 1));                  // 0xC0000000: bits 31..30 = row 15 of column 1
        assertEquals(0, w.code(14, 1));
        assertTrue(w.symmetric(), "every zero is 2^(b-1): symmetric weights");
        assertEquals(2, w.zero(0, 1));

        t.clear();
        // INT8, K = 16, N = 1: four rows per word, row 0 in bits 7..0
        t.put(P + ".qweight", Tensor.ofI32(new long[] {4, 1}, new int[] {0x04030201, 0, 0, 0xFF000000}));
        t.put(P + ".qzeros", Tensor.ofI32(new long[] {1, 1}, new int[] {0x7F}));   // stored 127: real 128 = 2^7
        t.put(P + ".scales", Tensor.ofF16(new long[] {1, 1}, new short[] {0x3C00}));
        t.put(P + ".g_idx", Tensor.ofI32(new long[] {16}, new int[16]));    // K = 16 in four rows: b = 8
        w = convert(t, CheckpointFormat.GPTQ).weights();
        assertEquals(8, w.bits());
        assertArrayEquals(new int[] {1, 2, 3, 4, 255}, new int[] {w.code(0, 0), w.code(1, 0), w.code(2, 0),
            w.code(3, 0), w.code(15, 0)});
        assertTrue(w.symmetric());
    }

    @Test
    void awqWordHoldsColumnsInTheOrder02461357() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        // K = 16, N = 8, g = 16: row 0 columns 0..7 hold 0..7. Nibbles from the lowest up hold columns
        // 0, 2, 4, 6, 1, 3, 5, 7, i.e. the values 0, 2, 4, 6, 1, 3, 5, 7: 0x75316420.
        int[] qweight = new int[16];
        qweight[0] = 0x75316420;
        qweight[1] = 0x0000000F;                         // row 1: column 0 = 15
        qweight[2] = 0x00010000;                         // row 2: nibble 4 = column 1 = 1
        t.put(P + ".qweight", Tensor.ofI32(new long[] {16, 1}, qweight));
        t.put(P + ".qzeros", Tensor.ofI32(new long[] {1, 1}, new int[] {0x75316420}));   // zeros stored as is
        t.put(P + ".scales", Tensor.ofF16(new long[] {1, 8}, new short[] {0x3C00, 0x3C00, 0x3C00, 0x3C00, 0x3C00,
            0x3C00, 0x3C00, 0x3C00}));
        QuantizedWeights w = convert(t, CheckpointFormat.AWQ).weights();
        for (int c = 0; c < 8; c++) {
            assertEquals(c, w.code(0, c), "column " + c);
            assertEquals(c, w.zero(0, c), "zero of column " + c);
        }
        assertEquals(15, w.code(1, 0));
        assertEquals(1, w.code(2, 1));
        assertEquals(0, w.code(2, 0));
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void gptqRoundTripsEveryWidthExactly() throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int bits : new int[] {2, 4, 8}) {
            for (boolean sym : new boolean[] {false, true}) {
                for (int withGIdx = 0; withGIdx < 2; withGIdx++) {
                    int g = 16 << rnd.nextInt(4);
                    int k = g * (1 + rnd.nextInt(3));
                    // without g_idx the width is read from qzeros alone, which needs N >= 32 to tell 2/4/8 apart
                    int n = withGIdx == 1 ? 1 + rnd.nextInt(90) : 32 * (1 + rnd.nextInt(3)) + rnd.nextInt(4);
                    Layer l = QuantCheckpoints.random(rnd, k, n, bits, g, sym, false);
                    ImportedWeights imp = convert(QuantCheckpoints.gptq(P, l, withGIdx == 1), CheckpointFormat.GPTQ);
                    String what = "INT" + bits + " K" + k + " N" + n + " g" + g + (sym ? " sym" : "");
                    assertEquals(l.expected(), imp.weights(), what);
                    assertEquals(sym, imp.weights().symmetric(), what);
                    assertFalse(imp.hasInputPermutation(), what);
                    assertEquals(CheckpointFormat.GPTQ, imp.format());
                    assertEquals(P, imp.prefix());
                }
            }
        }
    }

    @Test
    void gptqKeepsExplicitZerosThatAreNotAllTheMidpoint() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        Layer sym = QuantCheckpoints.random(rnd, 32, 16, 4, 16, true, false);
        int[] z = sym.z().clone();
        z[5] = 1;        // one column of one group with another zero point
        Layer l = new Layer(sym.k(), sym.n(), 4, 16, sym.q(), z, sym.s(), sym.gIdx());
        QuantizedWeights w = convert(QuantCheckpoints.gptq(P, l, true), CheckpointFormat.GPTQ).weights();
        assertFalse(w.symmetric());
        assertEquals(1, w.zero(0, 5));
        assertEquals(8, w.zero(0, 4));
        assertEquals(l.expected(), w);
    }

    @Test
    void awqRoundTripsExactly() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 8; i++) {
            int g = 16 << rnd.nextInt(4);
            int k = g * (1 + rnd.nextInt(3));
            int n = 1 + rnd.nextInt(70);          // includes N not a multiple of 8: a partly filled last word
            Layer l = QuantCheckpoints.random(rnd, k, n, 4, g, i % 3 == 0, false);
            ImportedWeights imp = convert(QuantCheckpoints.awq(P, l), CheckpointFormat.AWQ);
            assertEquals(l.expected(), imp.weights(), "K" + k + " N" + n + " g" + g);
            assertFalse(imp.hasInputPermutation());
        }
    }

    @Test
    void gemmOnConvertedWeightsEqualsTheReferenceOnTheOriginalCodes() throws IOException {
        SplittableRandom rnd = new SplittableRandom(5);
        Layer l = QuantCheckpoints.random(rnd, 128, 40, 4, 32, false, false);
        QuantizedWeights fromCodes = l.expected();
        for (CheckpointFormat f : CheckpointFormat.values()) {
            Map<String, Tensor> t = f == CheckpointFormat.GPTQ ? QuantCheckpoints.gptq(P, l, true) : QuantCheckpoints.awq(P, l);
            QuantizedWeights w = convert(t, f).weights();
            Fp16Matrix a = RandomProblems.activationsWithEdges(rnd, 3, 128, 4f, 0.05);
            for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT}) {
                assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), 3, fromCodes),
                        ReferenceGemm.gemmF16(mode, a.toBits(), 3, w), f + " " + mode);
            }
        }
    }

    @Test
    void narrowLayersWithoutGIdxNeedTheWidthGiven() throws IOException {
        Layer l = QuantCheckpoints.random(new SplittableRandom(4), 64, 6, 2, 32, false, false);
        Path p = write("narrow.safetensors", QuantCheckpoints.gptq(P, l, false));
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> CheckpointImporter.importLayer(p, CheckpointFormat.GPTQ, P, 0));
        assertEquals(P + ".qzeros", e.tensor());
        assertTrue(e.getMessage().contains("fit [2, 3, 4]-bit codes alike; give the bit width (--bits)"), e.getMessage());
        assertEquals(l.expected(), CheckpointImporter.importLayer(p, CheckpointFormat.GPTQ, P, 2).weights());
        // a width qzeros cannot hold is caught (8-bit codes of 6 columns need 2 words per group row)
        TensorFormatException e8 = assertThrows(TensorFormatException.class,
                () -> CheckpointImporter.importLayer(p, CheckpointFormat.GPTQ, P, 8));
        assertTrue(e8.getMessage().contains("N*8/32"), e8.getMessage());
    }

    // ------------------------------------------------------------------ act-order

    @Test
    void actOrderSortsRowsByGroupAndExposesThePermutation() throws IOException {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int bits : new int[] {2, 4, 8}) {
            Layer l = QuantCheckpoints.random(rnd, 96, 24, bits, 32, false, true);
            ImportedWeights imp = convert(QuantCheckpoints.gptq(P, l, true), CheckpointFormat.GPTQ);
            assertTrue(imp.hasInputPermutation());
            assertArrayEquals(l.rowsByGroup(), imp.inputPermutation());
            assertEquals(l.expected(), imp.weights());

            // A'[:, i] = A[:, perm[i]], checked element by element, and A' W' = A W (exact sums in FP64)
            Fp16Matrix a = RandomProblems.activations(rnd, 2, 96, 2f);
            Fp16Matrix ap = imp.permuteActivations(a);
            int[] perm = imp.inputPermutation();
            for (int i = 0; i < 96; i++) {
                assertEquals(a.bitsAt(1, perm[i]), ap.bitsAt(1, i));
            }
            double[] viaPacq = ReferenceGemm.exact(ap.toBits(), 2, imp.weights());
            double[] direct = l.exact(a.toBits(), 2);
            for (int i = 0; i < direct.length; i++) {
                assertEquals(direct[i], viaPacq[i], 1e-12 * (1 + Math.abs(direct[i])), "element " + i);
            }
        }
    }

    @Test
    void noPermutationMeansActivationsPassThrough() throws IOException {
        Layer l = QuantCheckpoints.random(new SplittableRandom(1), 32, 8, 4, 16, false, false);
        ImportedWeights imp = convert(QuantCheckpoints.gptq(P, l, true), CheckpointFormat.GPTQ);
        Fp16Matrix a = RandomProblems.activations(new SplittableRandom(2), 2, 32, 1f);
        assertSame(a, imp.permuteActivations(a));
        int[] id = imp.inputPermutation();
        for (int i = 0; i < id.length; i++) {
            assertEquals(i, id[i]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> imp.permuteActivations(RandomProblems.activations(new SplittableRandom(2), 2, 16, 1f)));
        assertTrue(e.getMessage().contains("K = 32"), e.getMessage());
    }

    @Test
    void scalesAreCarriedBitForBit() throws IOException {
        Layer l = QuantCheckpoints.random(new SplittableRandom(9), 16, 4, 4, 16, false, false);
        short[] s = {0x0001, (short) 0x8400, 0x7BFF, (short) 0xFBFF};   // subnormal, -2^-14, +-65504
        Layer edge = new Layer(16, 4, 4, 16, l.q(), l.z(), s, l.gIdx());
        assertArrayEquals(s, convert(QuantCheckpoints.gptq(P, edge, true), CheckpointFormat.GPTQ).weights().scales());
        assertArrayEquals(s, convert(QuantCheckpoints.awq(P, edge), CheckpointFormat.AWQ).weights().scales());
    }
}
