package io.pacq.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed, truncated and hostile tensor files: each gives a {@link TensorFormatException} whose
 * message names the file, the field and what was expected, before anything is allocated from the
 * header's claims; nothing else (no OutOfMemoryError, no runtime exception) escapes.
 */
class TensorBadInputTest {

    @TempDir
    Path dir;

    private Path st(String header, byte[] data) throws IOException {
        return SafetensorsTest.file(dir, "bad.safetensors", header, data);
    }

    private Path raw(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Opens and reads every tensor; expects a TensorFormatException for field whose message contains text. */
    private static TensorFormatException expectSt(Path p, String field, String text) {
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> SafetensorsFile.readAll(p));
        check(e, p, field, text);
        return e;
    }

    private static void check(TensorFormatException e, Path p, String field, String text) {
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(text), "message \"" + e.getMessage() + "\" lacks \"" + text + "\"");
    }

    private static String t(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    // ---------------------------------------------------------------- safetensors: lengths

    @Test
    void headerLengthIsCheckedBeforeAllocation() throws IOException {
        expectSt(raw("short.safetensors", new byte[5]), "header length", "file has 5 bytes");
        // u64 header length 2^64 - 1, 2^63 + 1, 100000001: beyond the limit, nothing allocated
        for (long n : new long[] {-1L, Long.MIN_VALUE + 1, 100_000_001L}) {
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(n).put("{}      ".getBytes());
            expectSt(raw("huge.safetensors", b.array()), "header length", "exceeds the limit of 100000000 bytes");
        }
        // within the limit but beyond the file
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(50_000_000).put("{}      ".getBytes());
        expectSt(raw("beyond.safetensors", b.array()), "header length", "50000000 bytes exceeds the 8 bytes that follow it");
        ByteBuffer z = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).putLong(1).put((byte) '{');
        expectSt(raw("tiny.safetensors", z.array()), "header length", "too small");
    }

    @Test
    void everyTruncationIsATensorFormatException() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsFile.write(good, Map.of("a", Tensor.ofF32(new long[] {2, 3}, new float[6]),
                "b", Tensor.ofU8(new long[] {5}, new byte[5])), Map.of("bits", "4"));
        byte[] all = Files.readAllBytes(good);
        for (int len = 0; len < all.length; len++) {
            Path p = raw("cut.safetensors", Arrays.copyOf(all, len));
            TensorFormatException e = assertThrows(TensorFormatException.class, () -> SafetensorsFile.readAll(p),
                    "truncated to " + len);
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
        // the data section cut by one byte: the last tensor reaches beyond it
        Path p = raw("cut.safetensors", Arrays.copyOf(all, all.length - 1));
        expectSt(p, "data_offsets", "reaches beyond the data section");
    }

    @Property(tries = 300)
    void corruptedBytesNeverEscapeAsAnotherException(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int flips)
            throws IOException {
        Path good = Files.createTempFile("pacq-fuzz", ".safetensors");
        try {
            SafetensorsFile.write(good, Map.of("w", Tensor.ofF16(new long[] {4, 2}, new short[8]),
                    "z", Tensor.ofI32(new long[] {1}, new int[1])), Map.of("bits", "4", "group_size", "16"));
            byte[] b = Files.readAllBytes(good);
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = 0; i < flips; i++) {
                // mostly inside the header, where the structure is
                int at = rnd.nextInt(4) == 0 ? rnd.nextInt(8) : rnd.nextInt(b.length);
                b[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : "{}[],:\"0123456789-e. ".charAt(rnd.nextInt(20)));
            }
            Files.write(good, b);
            try {
                SafetensorsFile.readAll(good);
            } catch (TensorFormatException expected) {
                assertTrue(expected.getMessage().startsWith(good.toString()));
            }
        } finally {
            Files.deleteIfExists(good);
        }
    }

    // ---------------------------------------------------------------- safetensors: header content

    @Test
    void hugeShapesAreRejectedWithoutAllocating() throws IOException {
        // consistent byte counts are computed without overflow; nothing is allocated from the claims
        expectSt(st("{" + t("w", "F32", "[1073741824,1073741824]", "[0,16]") + "}", new byte[16]),
                "data_offsets", "span 16 bytes, but F32 [1073741824, 1073741824] needs 4611686018427387904 bytes");
        expectSt(st("{" + t("w", "F32", "[4611686018427387904,4611686018427387904]", "[0,16]") + "}", new byte[16]),
                "data_offsets", "needs more than 2^63 bytes");
        expectSt(st("{" + t("w", "U8", "[1099511627776]", "[0,1099511627776]") + "}", new byte[16]),
                "data_offsets", "reaches beyond the data section, which has 16 bytes");
        expectSt(st("{" + t("w", "U8", "[99999999999999999999]", "[0,1]") + "}", new byte[1]),
                "shape", "99999999999999999999 is too large");
        String deep = "[" + "1,".repeat(70) + "1]";
        expectSt(st("{" + t("w", "U8", deep, "[0,1]") + "}", new byte[1]), "shape", "more than 64 values");
    }

    @Test
    void aTensorBeyondOneJavaArrayIsListedButNotRead() throws IOException {
        // A sparse 3 GiB file whose header is valid: F32 [805306368] = 3 GiB. Listing works; reading
        // reports the size limit without allocating.
        long bytes = 3L << 30;
        String header = "{" + t("big", "F32", "[" + (bytes / 4) + "]", "[0," + bytes + "]") + "}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path p = dir.resolve("sparse.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h);
            f.write(b.array());
            f.setLength(8 + h.length + bytes);
        }
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(bytes, f.info("big").byteLength());
            TensorFormatException e = assertThrows(TensorFormatException.class, () -> f.read("big"));
            check(e, p, "shape", "more than the 2147483639 one tensor may hold");
        }
    }

    @Test
    void headerStructureErrors() throws IOException {
        expectSt(st("[1, 2]", new byte[0]), "header", "expected a JSON object");
        expectSt(st("{\"a\": ", new byte[0]), "header", "invalid JSON");
        expectSt(st("{} xx", new byte[0]), "header", "invalid JSON");
        expectSt(st("{}{}", new byte[0]), "header", "unexpected content after the JSON object");
        expectSt(st("{" + t("a", "U8", "[1]", "[0,1]") + "," + t("a", "U8", "[1]", "[1,2]") + "}", new byte[2]),
                "header", "Duplicate field 'a'");
        String nested = "{\"a\":{\"x\":" + "[".repeat(20) + "]".repeat(20) + ",\"dtype\":\"U8\"}}";
        expectSt(st(nested, new byte[0]), "header", "nesting depth");
        expectSt(st("{\"a\":[]}", new byte[0]), null, "expected an object with dtype, shape and data_offsets, got an array");
        expectSt(st("{\"a\":{\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]), "dtype", "missing");
        expectSt(st("{\"a\":{\"dtype\":\"U8\",\"data_offsets\":[0,1]}}", new byte[1]), "shape", "missing");
        expectSt(st("{\"a\":{\"dtype\":\"U8\",\"shape\":[1]}}", new byte[1]), "data_offsets", "missing");
        expectSt(st("{\"a\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]), "dtype",
                "expected a string, got 7");
        expectSt(st("{" + t("a", "F99", "[1]", "[0,1]") + "}", new byte[1]), "dtype",
                "unknown dtype \"F99\"; expected one of BF16, BOOL, C64");
        expectSt(st("{" + t("a", "U8", "[-1]", "[0,1]") + "}", new byte[1]), "shape", "-1 is negative");
        expectSt(st("{" + t("a", "U8", "[2.5]", "[0,1]") + "}", new byte[1]), "shape", "expected a non-negative integer, got 2.5");
        expectSt(st("{" + t("a", "U8", "\"3\"", "[0,1]") + "}", new byte[1]), "shape", "expected an array of integers, got \"3\"");
        expectSt(st("{" + t("a", "U8", "[1]", "[0,1,2]") + "}", new byte[1]), "data_offsets", "more than 2 values");
        expectSt(st("{" + t("a", "U8", "[1]", "[1]") + "}", new byte[1]), "data_offsets", "expected [begin, end], got 1 values");
        expectSt(st("{" + t("a", "U8", "[1]", "[1,0]") + "}", new byte[1]), "data_offsets", "end is before begin");
        expectSt(st("{\"__metadata__\":{\"bits\":4}}", new byte[0]), "__metadata__.bits", "expected a string value, got 4");
        expectSt(st("{\"__metadata__\":[\"x\"]}", new byte[0]), "__metadata__", "expected an object of string values");
    }

    @Test
    void tensorsMustTileTheDataSection() throws IOException {
        // overlap: b begins inside a
        TensorFormatException e = expectSt(st("{" + t("a", "U8", "[4]", "[0,4]") + "," + t("b", "U8", "[4]", "[2,6]") + "}",
                new byte[6]), "data_offsets", "begins at 2 but tensor 'a' ends at 4 (overlapping tensors)");
        assertEquals("b", e.tensor());
        // gap between tensors
        expectSt(st("{" + t("a", "U8", "[2]", "[0,2]") + "," + t("b", "U8", "[2]", "[3,5]") + "}", new byte[5]),
                "data_offsets", "begins at 3 but tensor 'a' ends at 2 (gap between tensors)");
        // the first tensor does not start at 0
        expectSt(st("{" + t("a", "U8", "[2]", "[1,3]") + "}", new byte[3]), "data_offsets",
                "begins at 1 but the data section starts at 0");
        // trailing bytes after the last tensor
        expectSt(st("{" + t("a", "U8", "[2]", "[0,2]") + "}", new byte[3]), "data section",
                "has 3 bytes, but the tensors cover 2");
        // two tensors claiming the same bytes
        expectSt(st("{" + t("a", "U8", "[2]", "[0,2]") + "," + t("b", "I8", "[2]", "[0,2]") + "}", new byte[2]),
                "data_offsets", "overlapping");
        // zero-size tensors may sit anywhere inside the section
        Path ok = st("{" + t("a", "U8", "[2]", "[0,2]") + "," + t("e", "F32", "[0,7]", "[2,2]") + "}", new byte[2]);
        assertArrayEquals(new long[] {0, 7}, SafetensorsFile.readAll(ok).get("e").shape());
    }

    @Test
    void missingFilesAndDirectoriesNameThePath() throws IOException {
        Path missing = dir.resolve("nope.safetensors");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafetensorsFile.open(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        NoSuchFileException e2 = assertThrows(NoSuchFileException.class, () -> Npy.read(dir.resolve("nope.npy")));
        assertTrue(e2.getMessage().contains("nope.npy: no such file"), e2.getMessage());
        assertThrows(NoSuchFileException.class, () -> TensorFiles.readMatrix(missing, null));
        IOException d = assertThrows(IOException.class, () -> SafetensorsFile.open(dir));
        assertTrue(d.getMessage().equals(dir + ": is a directory, expected a tensor file"), d.getMessage());
    }

    // ---------------------------------------------------------------- .npy

    private static byte[] npy(int major, String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        int lenBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        b.put(h);
        return b.array();
    }

    private TensorFormatException expectNpy(byte[] bytes, String field, String text) throws IOException {
        Path p = raw("bad.npy", bytes);
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> Npy.read(p));
        check(e, p, field, text);
        return e;
    }

    private static String dict(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    @Test
    void npyHeaderErrors() throws IOException {
        expectNpy(new byte[] {1, 2, 3}, "magic", "too short");
        expectNpy("not a numpy file at all".getBytes(), "magic", "not a .npy file");
        expectNpy(npy(4, dict("<f4", "False", "(1,)"), 4), "version", "4.0 is not supported");
        byte[] longHeader = npy(2, dict("<f4", "False", "(1,)"), 4);
        ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7FFF_FFFF);
        expectNpy(longHeader, "header length", "exceeds the limit of 1048576 bytes");
        byte[] beyond = npy(1, dict("<f4", "False", "(1,)"), 4);
        ByteBuffer.wrap(beyond).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 5000);
        expectNpy(beyond, "header length", "5000 bytes exceeds the");
        expectNpy(npy(1, "['descr']", 0), "header", "expected '{'");
        expectNpy(npy(1, "{'descr': '<f4', 'shape': (1,), }", 4), "header", "expected exactly descr, fortran_order and shape");
        expectNpy(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': True}", 4), "header",
                "expected exactly");
        expectNpy(npy(1, "{'descr': '<f4', 'descr': '<f4'}", 4), "header", "duplicate key 'descr'");
        expectNpy(npy(1, dict("<f4", "False", "(3, -1)"), 4), "header", "expected a non-negative integer in the shape");
        expectNpy(npy(1, dict("<f4", "False", "(99999999999999999999,)"), 4), "header", "is too large");
        expectNpy(npy(1, dict("<f4", "False", "[1]"), 4), "descr", "structured");
        expectNpy(npy(1, dict("<f4", "'no'", "(1,)"), 4), "fortran_order", "expected True or False");
        expectNpy(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } trailing", 4), "header",
                "unexpected content after the dict");
        expectNpy(npy(1, "{'descr': 'a\\'b', 'fortran_order': False, 'shape': (1,)}", 4), "header", "escape sequences");
        expectNpy(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,", 4), "header", "header ends early");
        expectNpy(npy(1, dict("<u2", "False", "(1,)"), 2), "descr", "'<u2' is not supported");
        expectNpy(npy(1, dict("|f4", "False", "(1,)"), 4), "descr", "'|f4' is not supported");
        byte[] v3 = npy(3, dict("<f4", "False", "(1,)"), 4);
        v3[14] = (byte) 0xFF;   // inside 'descr': invalid UTF-8
        expectNpy(v3, "header", "not valid UTF-8");
    }

    @Test
    void npyDataSizeIsCheckedBeforeAllocation() throws IOException {
        expectNpy(npy(1, dict("<f4", "False", "(1000000000000, 1000000)"), 8), "data",
                "<f4 [1000000000000, 1000000] needs 4000000000000000000 bytes after the header, the file has 8"
                        + " (truncated file?)");
        expectNpy(npy(1, dict("<f4", "False", "(4611686018427387904, 4)"), 8), "data", "needs more than 2^63 bytes");
        expectNpy(npy(1, dict("<f4", "False", "(3,)"), 8), "data", "needs 12 bytes after the header, the file has 8");
        expectNpy(npy(1, dict("<f4", "False", "(1,)"), 8), "data", "the file has 8 (trailing bytes)");
        // Fortran order is harmless for rank <= 1 and accepted; one-byte types accept any order mark
        assertEquals(1, Npy.read(raw("f.npy", npy(1, dict("<f4", "True", "(1,)"), 4))).elementCount());
        assertEquals(DType.U8, Npy.read(raw("u.npy", npy(1, dict("<u1", "False", "(2,)"), 2))).dtype());
        assertEquals(DType.I8, Npy.read(raw("i.npy", npy(1, dict(">i1", "False", "(2,)"), 2))).dtype());
        // Python 2 long suffix written by old NumPy versions
        assertArrayEquals(new long[] {2, 1}, Npy.read(raw("l.npy", npy(1, dict("<i2", "False", "(2L, 1L)"), 4))).shape());
    }

    @Test
    void everyNpyTruncationIsATensorFormatException() throws IOException {
        Path good = dir.resolve("good.npy");
        Npy.write(good, Tensor.ofI32(new long[] {2, 3}, new int[6]));
        byte[] all = Files.readAllBytes(good);
        for (int len = 0; len < all.length; len++) {
            Path p = raw("cut.npy", Arrays.copyOf(all, len));
            try {
                Npy.read(p);
                fail("truncated to " + len + " bytes was accepted");
            } catch (TensorFormatException e) {
                assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            }
        }
    }
}
