package io.pacq.quant;

import io.pacq.tensor.DType;
import io.pacq.tensor.Npy;
import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFormatException;
import io.pacq.tensor.TensorInfo;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interchange file: quantize -> write -> read -> pack -> unpack round trips, the file's layout
 * as another tool sees it, files written by "another tool", and every malformed variant.
 */
class QuantizedFileTest {

    @TempDir
    Path dir;

    @Property(tries = 40)
    void quantizeWriteReadPackUnpackRoundTrips(@ForAll @IntRange(min = 0, max = 2) int bitsIndex,
                                                @ForAll @IntRange(min = 1, max = 3) int groups,
                                                @ForAll @IntRange(min = 1, max = 150) int n,
                                                @ForAll @IntRange(min = 0, max = 5) int gnLog,
                                                @ForAll boolean symmetric,
                                                @ForAll long seed) throws IOException {
        int bits = new int[] {2, 4, 8}[bitsIndex];
        int g = 32;
        int k = g * groups;
        QuantSpec spec = new QuantSpec(bits, g, 1 << gnLog, symmetric);
        float[] w = QuantizerTest.randomWeights(new SplittableRandom(seed), k * n, -3);
        QuantizedWeights q = Quantizer.quantize(w, k, n, spec);
        Path p = Files.createTempFile("pacq-q", ".safetensors");
        try {
            QuantizedFile.write(p, q);
            assertTrue(QuantizedFile.isQuantizedFile(p));
            QuantizedWeights back = QuantizedFile.read(p);
            assertEquals(q, back);
            PackedWeights packed = PackedWeights.pack(back);
            assertEquals(q, packed.unpack());
            KPackedWeights kp = KPackedWeights.pack(back);
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < n; c++) {
                    assertEquals(q.code(r, c), kp.code(r, c));
                }
            }
            // the file as another tool sees it
            try (SafetensorsFile f = SafetensorsFile.open(p)) {
                long[] groupShape = {k / g, (n + (1 << gnLog) - 1) >> gnLog};
                assertInfo(f.info("qcodes"), "U8", new long[] {k, n});
                assertInfo(f.info("scales"), "F16", groupShape);
                assertEquals(!symmetric, f.contains("zeros"));
                if (!symmetric) {
                    assertInfo(f.info("zeros"), "U8", groupShape);
                }
                assertEquals(Map.of("bits", Integer.toString(bits), "group_size", "32", "group_cols",
                        Integer.toString(1 << gnLog)), f.metadata());
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static void assertInfo(TensorInfo t, String dtype, long[] shape) {
        assertEquals(dtype, t.dtypeName(), t.name());
        assertArrayEquals(shape, t.shape(), t.name());
    }

    /** An interchange file as another tool would write it. */
    private Path file(Map<String, Tensor> tensors, Map<String, String> meta) throws IOException {
        Path p = dir.resolve("q.safetensors");
        SafetensorsFile.write(p, tensors, meta);
        return p;
    }

    /** K = 32, N = 3, INT4, g = 16: qcodes [32, 3], scales/zeros [2, 3]. */
    private static Map<String, Tensor> valid(boolean zeros) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        byte[] codes = new byte[96];
        codes[4] = 15;
        m.put("qcodes", Tensor.ofU8(new long[] {32, 3}, codes));
        m.put("scales", Tensor.ofF16(new long[] {2, 3}, new short[] {0x3C00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600}));
        if (zeros) {
            m.put("zeros", Tensor.ofU8(new long[] {2, 3}, new byte[] {0, 1, 2, 3, 4, 5}));
        }
        return m;
    }

    private static Map<String, String> meta(String bits, String g, String gn) {
        Map<String, String> m = new LinkedHashMap<>();
        if (bits != null) m.put("bits", bits);
        if (g != null) m.put("group_size", g);
        if (gn != null) m.put("group_cols", gn);
        return m;
    }

    @Test
    void readsAFileWrittenByAnotherTool() throws IOException {
        // no group_cols (default 1), extra metadata ignored
        Map<String, String> meta = meta("4", "16", null);
        meta.put("producer", "gptq-export");
        QuantizedWeights q = QuantizedFile.read(file(valid(true), meta));
        assertEquals(32, q.k());
        assertEquals(3, q.n());
        assertEquals(4, q.bits());
        assertEquals(16, q.groupSize());
        assertEquals(1, q.groupCols());
        assertEquals(15, q.code(1, 1));
        assertEquals((short) 0x4500, q.scale(16, 1));
        assertEquals(4, q.zero(16, 1));
        // without zeros: symmetric, z = 8
        QuantizedWeights s = QuantizedFile.read(file(valid(false), meta("4", "16", "1")));
        assertTrue(s.symmetric());
        assertNull(s.zeros());
        assertEquals(8, s.zero(0, 0));
    }

    @Test
    void readsTheFileMakeInterchangePyWrites() throws Exception {
        // src/test/resources/io/pacq/quant/make_interchange.py (NumPy + json + struct only):
        // K = 32, N = 5, INT4, g = 16, gn = 2; q[r][c] = (5r + c) mod 16;
        // scales [[0.5, 1, 2], [0.25, -1, 1.5]] = [[0x3800, 0x3C00, 0x4000], [0x3400, 0xBC00, 0x3E00]];
        // zeros [[0, 1, 2], [3, 4, 15]].
        Path p = Path.of(getClass().getResource("interchange_numpy.safetensors").toURI());
        assertTrue(QuantizedFile.isQuantizedFile(p));
        QuantizedWeights q = QuantizedFile.read(p);
        assertEquals("QuantizedWeights[K=32, N=5, INT4, g=16x2, asymmetric]", q.toString());
        for (int r = 0; r < 32; r++) {
            for (int c = 0; c < 5; c++) {
                assertEquals((5 * r + c) % 16, q.code(r, c));
            }
        }
        assertArrayEquals(new short[] {0x3800, 0x3C00, 0x4000, 0x3400, (short) 0xBC00, 0x3E00}, q.scales());
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 15}, q.zeros());
        // column 4 is alone in group column 2; row 17 is in group row 1: s = 1.5, z = 15, q = 89 mod 16 = 9
        assertEquals(1.5 * (9 - 15), q.dequantized(17, 4));
        // and back: PacQ writes the same tensors and metadata
        Path again = dir.resolve("again.safetensors");
        QuantizedFile.write(again, q);
        assertEquals(SafetensorsFile.readAll(p), SafetensorsFile.readAll(again));
    }

    private void expect(Map<String, Tensor> t, Map<String, String> m, String text) throws IOException {
        Path p = file(t, m);
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> QuantizedFile.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(text), "message \"" + e.getMessage() + "\" lacks \"" + text + "\"");
    }

    @Test
    void everyMalformedVariantGivesItsOwnError() throws IOException {
        Map<String, String> ok = meta("4", "16", "1");
        // metadata
        expect(valid(true), meta(null, "16", null), "__metadata__.bits: missing");
        expect(valid(true), meta("4", null, null), "__metadata__.group_size: missing");
        expect(valid(true), meta("four", "16", null), "__metadata__.bits: \"four\" is not a decimal integer");
        expect(valid(true), meta("3", "16", null), "__metadata__.bits: is 3; expected 2, 4 or 8");
        expect(valid(true), meta("4", "24", null), "__metadata__.group_size: is 24; expected a positive multiple of 16");
        expect(valid(true), meta("4", "64", null), "__metadata__.group_size: is 64, which does not divide K = 32");
        expect(valid(true), meta("4", "16", "3"), "__metadata__.group_cols: is 3; expected a power of two from 1 to 32");
        expect(valid(true), meta("4", "-16", null), "\"-16\" is not a decimal integer");
        // K % g != 0 with a consistent-looking file: K = 48, g = 32
        Map<String, Tensor> k48 = new LinkedHashMap<>();
        k48.put("qcodes", Tensor.ofU8(new long[] {48, 1}, new byte[48]));
        k48.put("scales", Tensor.ofF16(new long[] {1, 1}, new short[1]));
        expect(k48, meta("4", "32", null), "is 32, which does not divide K = 48");

        // tensors: presence, dtype, shape
        Map<String, Tensor> t = valid(true);
        t.remove("qcodes");
        expect(t, ok, "tensor 'qcodes': missing");
        t = valid(true);
        t.remove("scales");
        expect(t, ok, "tensor 'scales': missing");
        t = valid(true);
        t.put("qcodes", Tensor.ofF16(new long[] {32, 3}, new short[96]));
        expect(t, ok, "tensor 'qcodes': dtype: expected U8, got F16");
        t = valid(true);
        t.put("scales", Tensor.ofF32(new long[] {2, 3}, new float[6]));
        expect(t, ok, "tensor 'scales': dtype: expected F16, got F32");
        t = valid(true);
        t.put("zeros", Tensor.ofI8(new long[] {2, 3}, new byte[6]));
        expect(t, ok, "tensor 'zeros': dtype: expected U8, got I8");
        t = valid(true);
        t.put("qcodes", Tensor.ofU8(new long[] {96}, new byte[96]));
        expect(t, ok, "tensor 'qcodes': shape: [96]: expected [K, N]");
        t = valid(true);
        t.put("qcodes", Tensor.ofU8(new long[] {0, 3}, new byte[0]));
        expect(t, ok, "tensor 'qcodes': shape: [0, 3]: K and N must be within 1 .. 1048576");
        t = valid(true);
        t.put("scales", Tensor.ofF16(new long[] {3, 2}, new short[6]));
        expect(t, ok, "tensor 'scales': shape: [3, 2]: expected [2, 3] = [K/group_size, ceil(N/group_cols)] for K = 32, N = 3");
        t = valid(true);
        t.put("zeros", Tensor.ofU8(new long[] {2, 2}, new byte[4]));
        expect(t, ok, "tensor 'zeros': shape: [2, 2]: expected [2, 3]");
        // 2-D groups change the expected shape: gn = 2 -> [2, 2]
        expect(valid(true), meta("4", "16", "2"), "tensor 'scales': shape: [2, 3]: expected [2, 2]");
        t = valid(true);
        t.put("zero", Tensor.ofU8(new long[] {2, 3}, new byte[6]));
        expect(t, ok, "tensor 'zero': unexpected tensor");

        // values
        t = valid(true);
        byte[] codes = new byte[96];
        codes[3 * 3 + 2] = 16;
        t.put("qcodes", Tensor.ofU8(new long[] {32, 3}, codes));
        expect(t, ok, "qcodes[3][2] = 16 does not fit in 4 bits");
        t = valid(true);
        t.put("scales", Tensor.ofF16(new long[] {2, 3}, new short[] {0, 0, 0, 0, 0x7C00, 0}));
        expect(t, ok, "scales[1][1] is not finite (FP16 bits 0x7c00)");
        t = valid(true);
        t.put("zeros", Tensor.ofU8(new long[] {2, 3}, new byte[] {0, 0, 0, 0, 0, (byte) 200}));
        expect(t, ok, "zeros[1][2] = 200 does not fit in 4 bits");
    }

    @Test
    void isQuantizedFileTellsInterchangeFilesFromFloatWeights() throws IOException {
        Path floats = dir.resolve("f.safetensors");
        SafetensorsFile.write(floats, Map.of("weight", Tensor.ofF32(new long[] {16, 2}, new float[32])), null);
        assertFalse(QuantizedFile.isQuantizedFile(floats));
        Path npy = dir.resolve("f.npy");
        Npy.write(npy, Tensor.ofF32(new long[] {16, 2}, new float[32]));
        assertFalse(QuantizedFile.isQuantizedFile(npy));
        Path q = dir.resolve("q.safetensors");
        QuantizedFile.write(q, Quantizer.quantize(new float[32], 16, 2, QuantSpec.of(4, 16)));
        assertTrue(QuantizedFile.isQuantizedFile(q));
        assertEquals(DType.U8, SafetensorsFile.readAll(q).get("qcodes").dtype());
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> QuantizedFile.read(floats));
        assertTrue(e.getMessage().contains("tensor 'weight': unexpected tensor"), e.getMessage());
    }
}
