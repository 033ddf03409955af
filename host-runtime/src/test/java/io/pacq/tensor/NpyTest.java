package io.pacq.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * .npy files against files NumPy wrote (src/test/resources/io/pacq/tensor/npy, made by
 * make_fixtures.py there): reading them gives the values written out here, writing the same
 * values gives NumPy's bytes, and round trips for every dtype and shape kind.
 */
class NpyTest {

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each fixture's content, written out by hand (see make_fixtures.py). */
    private static Tensor expected(String name) {
        return switch (name) {
            // 1.5 = 0x3E00, -2 = 0xC000, 2^-10 = 0x1400, 65504 = 0x7BFF, -0 = 0x8000, 2^-24 = 0x0001
            case "f2_2x3.npy" -> Tensor.ofF16(new long[] {2, 3},
                    new short[] {0x3E00, (short) 0xC000, 0x1400, 0x7BFF, (short) 0x8000, 0x0001});
            case "f4_3x4.npy" -> {
                float[] v = new float[12];
                for (int i = 0; i < 12; i++) {
                    v[i] = i * 0.25f - 1;
                }
                yield Tensor.ofF32(new long[] {3, 4}, v);
            }
            case "u1_5.npy" -> Tensor.ofU8(new long[] {5}, new byte[] {0, 1, 127, (byte) 128, (byte) 255});
            case "i1_2x2.npy" -> Tensor.ofI8(new long[] {2, 2}, new byte[] {-128, -1, 0, 127});
            case "i2_3.npy" -> Tensor.ofI16(new long[] {3}, new short[] {-32768, 0, 32767});
            case "i4_2x2.npy" -> Tensor.ofI32(new long[] {2, 2}, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE});
            case "f4_scalar.npy" -> Tensor.ofF32(new long[] {}, new float[] {3.25f});
            case "i2_0x5.npy" -> Tensor.ofI16(new long[] {0, 5}, new short[0]);
            case "f4_v2.npy", "f4_v3.npy" -> Tensor.ofF32(new long[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5});
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static final String[] V1 = {"f2_2x3.npy", "f4_3x4.npy", "u1_5.npy", "i1_2x2.npy", "i2_3.npy",
                                        "i4_2x2.npy", "f4_scalar.npy", "i2_0x5.npy"};

    @Test
    void readsWhatNumpyWrote() throws IOException {
        for (String name : V1) {
            assertEquals(expected(name), Npy.read(fixture(name)), name);
        }
        assertEquals(expected("f4_v2.npy"), Npy.read(fixture("f4_v2.npy")));
        assertEquals(expected("f4_v3.npy"), Npy.read(fixture("f4_v3.npy")));
        TensorInfo info = Npy.readInfo(fixture("f4_3x4.npy"));
        assertEquals("F32", info.dtypeName());
        assertArrayEquals(new long[] {3, 4}, info.shape());
        assertEquals(128, info.fileOffset());     // NumPy pads the header to 64-byte alignment
        assertEquals(48, info.byteLength());
        Tensor f2 = Npy.read(fixture("f2_2x3.npy"));
        assertArrayEquals(new float[] {1.5f, -2f, 0x1p-10f, 65504f, -0f, 0x1p-24f}, f2.toFloats());
        assertArrayEquals(new int[] {0, 1, 127, 128, 255}, Npy.read(fixture("u1_5.npy")).toInts());
    }

    @Test
    void writesTheBytesNumpyWrites() throws IOException {
        for (String name : V1) {
            Path out = dir.resolve(name);
            Npy.write(out, expected(name));
            assertArrayEquals(Files.readAllBytes(fixture(name)), Files.readAllBytes(out), name);
        }
    }

    @Test
    void rejectsWhatItDoesNotSupportNamingTheField() {
        assertFormatError("f4_fortran.npy", "fortran_order", "Fortran-ordered arrays are not supported");
        assertFormatError("f4_bigendian.npy", "descr", "'>f4' is big-endian");
        assertFormatError("f8.npy", "descr", "'<f8' is not supported; expected one of <f2, <f4, |u1, |i1, <i2, <i4");
        assertFormatError("structured.npy", "descr", "structured dtypes");
    }

    private static void assertFormatError(String fixture, String field, String text) {
        Path p = fixture(fixture);
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> Npy.read(p));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(p, e.file());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    static final long[][] SHAPES = {{}, {0}, {1}, {7}, {3, 5}, {0, 4}, {4, 0}, {2, 0, 3}, {1, 1, 1, 7}, {2, 3, 4}};

    static Tensor random(SplittableRandom rnd, DType t, long[] shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        byte[] data = new byte[(int) count * t.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) rnd.nextInt(256);
        }
        return Tensor.of(t, shape, data);
    }

    @Test
    void roundTripsEveryDtypeAndShape() throws IOException {
        SplittableRandom rnd = new SplittableRandom(1);
        for (DType t : DType.values()) {
            if (t == DType.BF16) {
                continue;
            }
            for (long[] shape : SHAPES) {
                Tensor x = random(rnd, t, shape);
                Path p = dir.resolve("x.npy");
                Npy.write(p, x);
                assertEquals(x, Npy.read(p), t + " " + java.util.Arrays.toString(shape));
                assertEquals(0, (Files.size(p) - x.byteSize()) % 64, "header padded to 64 bytes");
            }
        }
    }

    @Test
    void bf16CannotBeWritten() {
        Tensor b = Tensor.ofBf16(new long[] {1}, new short[] {0x3F80});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("b.npy"), b));
        assertTrue(e.getMessage().contains("BF16 cannot be written to .npy"), e.getMessage());
    }
}
