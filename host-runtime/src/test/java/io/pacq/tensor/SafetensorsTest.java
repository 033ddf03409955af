package io.pacq.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * safetensors files: a file built by hand from the format description is read correctly, files
 * written are checked with an independent JSON parser (jackson-databind) and by hand, and round
 * trips cover every dtype and shape kind.
 */
class SafetensorsTest {

    @TempDir
    Path dir;

    /** A file from a header string and data bytes, as the format describes (no padding). */
    static Path file(Path dir, String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void readsAHandBuiltFile() throws IOException {
        // Tensor "b" is listed first but stored second; "a" is F16 [2, 2] = [1, -2, 0.5, 65504]
        // (0x3C00, 0xC000, 0x3800, 0x7BFF, little-endian), "b" is U8 [3] = [7, 8, 255].
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"h\u00e9\"},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[8,11]},"
                + "\"a\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}   ";
        byte[] data = {0x00, 0x3C, 0x00, (byte) 0xC0, 0x00, 0x38, (byte) 0xFF, 0x7B, 7, 8, (byte) 255};
        Path p = file(dir, "hand.safetensors", header, data);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.of("b", "a"), f.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(Map.of("format", "pt", "note", "h\u00e9"), f.metadata());
            Tensor a = f.read("a");
            assertEquals(DType.F16, a.dtype());
            assertArrayEquals(new long[] {2, 2}, a.shape());
            assertArrayEquals(new float[] {1f, -2f, 0.5f, 65504f}, a.toFloats());
            assertArrayEquals(new int[] {7, 8, 255}, f.read("b").toInts());
            TensorInfo bi = f.info("b");
            long headerLen = header.getBytes(StandardCharsets.UTF_8).length;
            assertEquals(8 + headerLen + 8, bi.fileOffset());
            assertEquals(3, bi.byteLength());
            assertTrue(f.contains("a"));
            assertFalse(f.contains("c"));
        }
    }

    @Test
    void writtenFilesFollowTheFormat() throws IOException {
        // Checked with jackson-databind (an independent parser) and by hand.
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.ofI32(new long[] {2}, new int[] {1, -2}));
        tensors.put("s", Tensor.ofF16(new long[] {1, 3}, new short[] {0x3C00, 0x4000, (short) 0x8001}));
        tensors.put("empty", Tensor.ofU8(new long[] {0, 3}, new byte[0]));
        tensors.put("scalar", Tensor.ofF32(new long[] {}, new float[] {-1.5f}));
        Path p = dir.resolve("out.safetensors");
        SafetensorsFile.write(p, tensors, Map.of("bits", "4"));
        byte[] bytes = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertEquals(0, (8 + n) % 8, "data section aligned to 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"));
        assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '), "pad with spaces");
        JsonNode json = new ObjectMapper().readTree(header);
        assertEquals("4", json.get("__metadata__").get("bits").asText());
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertEquals(List.of("__metadata__", "w", "s", "empty", "scalar"), names);
        assertEquals("I32", json.get("w").get("dtype").asText());
        assertEquals("[2]", json.get("w").get("shape").toString());
        assertEquals("[0,8]", json.get("w").get("data_offsets").toString());
        assertEquals("[8,14]", json.get("s").get("data_offsets").toString());
        assertEquals("[0,3]", json.get("empty").get("shape").toString());
        assertEquals("[14,14]", json.get("empty").get("data_offsets").toString());
        assertEquals("[]", json.get("scalar").get("shape").toString());
        assertEquals("[14,18]", json.get("scalar").get("data_offsets").toString());
        assertEquals(8 + n + 18, bytes.length);
        int d = (int) (8 + n);
        // I32 1, -2 little-endian; F16 0x3C00 0x4000 0x8001; F32 -1.5 = 0xBFC00000
        byte[] expect = {1, 0, 0, 0, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                         0x00, 0x3C, 0x00, 0x40, 0x01, (byte) 0x80,
                         0x00, 0x00, (byte) 0xC0, (byte) 0xBF};
        assertArrayEquals(expect, java.util.Arrays.copyOfRange(bytes, d, bytes.length));
        assertEquals(tensors, SafetensorsFile.readAll(p));
    }

    @Test
    void roundTripsEveryDtypeAndShape() throws IOException {
        SplittableRandom rnd = new SplittableRandom(2);
        Map<String, Tensor> all = new LinkedHashMap<>();
        int i = 0;
        for (DType t : DType.values()) {
            for (long[] shape : NpyTest.SHAPES) {
                Tensor x = NpyTest.random(rnd, t, shape);
                Path p = dir.resolve("one.safetensors");
                SafetensorsFile.write(p, Map.of("x", x), null);
                assertEquals(x, SafetensorsFile.readAll(p).get("x"), t + " " + java.util.Arrays.toString(shape));
                all.put("t" + i++, x);
            }
        }
        Path p = dir.resolve("all.safetensors");
        SafetensorsFile.write(p, all, Map.of("k", "v", "empty", ""));
        assertEquals(all, SafetensorsFile.readAll(p));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(Map.of("k", "v", "empty", ""), f.metadata());
            assertEquals(new ArrayList<>(all.keySet()), f.tensors().stream().map(TensorInfo::name).toList());
        }
    }

    @Test
    void typesPacqDoesNotReadAreListedButNotRead() throws IOException {
        // F64 [2] (16 bytes) then U8 [1]: the file is valid, the U8 tensor readable, the F64 one not.
        String header = "{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[16,17]}}";
        Path p = file(dir, "f64.safetensors", header, new byte[17]);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            TensorInfo d = f.info("d");
            assertEquals("F64", d.dtypeName());
            assertTrue(d.dtype().isEmpty());
            assertEquals(2, d.elementCount());
            assertArrayEquals(new int[] {0}, f.read("u").toInts());
            TensorFormatException e = assertThrows(TensorFormatException.class, () -> f.read("d"));
            assertEquals("d", e.tensor());
            assertEquals("dtype", e.field());
            assertTrue(e.getMessage().contains("F64 is not supported"), e.getMessage());
            e = assertThrows(TensorFormatException.class, () -> f.read("nope"));
            assertTrue(e.getMessage().contains("no such tensor; the file holds d: F64 [2], u: U8 [1]"), e.getMessage());
        }
    }

    @Test
    void writeReplacesAtomicallyAndRejectsReservedNames() throws IOException {
        Path p = dir.resolve("r.safetensors");
        SafetensorsFile.write(p, Map.of("a", Tensor.ofU8(new long[] {1}, new byte[] {1})), null);
        SafetensorsFile.write(p, Map.of("b", Tensor.ofU8(new long[] {1}, new byte[] {2})), null);
        assertEquals(Map.of("b", Tensor.ofU8(new long[] {1}, new byte[] {2})), SafetensorsFile.readAll(p));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary files left behind");
        }
        assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.write(dir.resolve("m.safetensors"),
                Map.of("__metadata__", Tensor.ofU8(new long[] {1}, new byte[1])), null));
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.write(dir.resolve("no/such/x.safetensors"),
                Map.of(), null));
        assertTrue(e.getMessage().contains("no/such/x.safetensors") && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void tensorConversions() {
        // BF16 0x3FC0 = 1.5, 0xC000 = -2; F32 -> FP16 rounds once (RN16); I32 -> float.
        Tensor bf = Tensor.ofBf16(new long[] {2}, new short[] {0x3FC0, (short) 0xC000});
        assertArrayEquals(new float[] {1.5f, -2f}, bf.toFloats());
        assertArrayEquals(new short[] {0x3E00, (short) 0xC000}, bf.toFp16Bits());
        Tensor f = Tensor.ofF32(new long[] {3}, new float[] {1 + 0x1p-11f, 1 + 0x1p-11f + 0x1p-20f, 70000f});
        // 1 + 2^-11 is a tie between 1 (even) and 1 + 2^-10: 0x3C00; a little more rounds up: 0x3C01; 70000 -> Inf
        assertArrayEquals(new short[] {0x3C00, 0x3C01, 0x7C00}, f.toFp16Bits());
        assertArrayEquals(new int[] {-5, 300}, Tensor.ofI16(new long[] {2}, new short[] {-5, 300}).toInts());
        assertArrayEquals(new float[] {-5, 300}, Tensor.ofI32(new long[] {2}, new int[] {-5, 300}).toFloats());
        // -5 = -1.25 * 2^2: 0xC500; 44 = 1.375 * 2^5: biased exponent 20 (0x5000) | 0.375 * 1024 = 0x180
        assertArrayEquals(new short[] {(short) 0xC500, 0x5180}, Tensor.ofI8(new long[] {2}, new byte[] {-5, 44}).toFp16Bits());
        assertEquals(Tensor.ofBf16(new long[] {1}, new short[] {0x3F80}),
                Tensor.fromFloats(DType.BF16, new long[] {1}, new float[] {1f}));
        assertThrows(IllegalStateException.class, () -> f.toInts());
        assertThrows(IllegalStateException.class, () -> f.toShorts());
        assertThrows(IllegalArgumentException.class, () -> Tensor.fromFloats(DType.U8, new long[] {1}, new float[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(DType.F32, new long[] {2, 2}, new byte[15]));
        assertTrue(e.getMessage().contains("F32 tensor of shape [2, 2] needs 16 bytes, got 15"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(DType.U8, new long[] {2, -1}, new byte[0]));
        assertTrue(e.getMessage().contains("dimension 1 of shape [2, -1] is negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(DType.U8, new long[] {1L << 40, 1L << 40}, new byte[0]));
        assertTrue(e.getMessage().contains("exceeds the largest supported size"), e.getMessage());
    }
}
