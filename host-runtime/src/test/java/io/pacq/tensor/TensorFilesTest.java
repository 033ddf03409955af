package io.pacq.tensor;

import io.pacq.Fp16Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The format-independent entry points the command line uses. */
class TensorFilesTest {

    @TempDir
    Path dir;

    private final Tensor w = Tensor.ofF32(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});

    @Test
    void detectsTheFormatByContentAndWritesByName() throws IOException {
        Path npy = dir.resolve("w.npy");
        Path st = dir.resolve("w.safetensors");
        TensorFiles.write(npy, "ignored", w);
        TensorFiles.write(st, "weight", w);
        assertEquals(TensorFiles.Format.NPY, TensorFiles.detect(npy));
        assertEquals(TensorFiles.Format.SAFETENSORS, TensorFiles.detect(st));
        // content wins over a misleading name
        Path renamed = dir.resolve("really-npy.safetensors");
        java.nio.file.Files.copy(npy, renamed);
        assertEquals(w, TensorFiles.read(renamed, null));
        assertEquals(w, TensorFiles.read(npy, null));
        assertEquals(w, TensorFiles.read(st, null));
        assertEquals(w, TensorFiles.read(st, "weight"));
        assertEquals("weight", TensorFiles.list(st).get(0).name());
        assertEquals("w.npy", TensorFiles.list(npy).get(0).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorFiles.write(dir.resolve("w.bin"), "x", w));
        assertTrue(e.getMessage().contains("w.bin: cannot tell the tensor format from the file name"), e.getMessage());
        assertEquals(TensorFiles.Format.SAFETENSORS, TensorFiles.formatForName(Path.of("A.SAFETENSORS")));
    }

    @Test
    void readMatrixPicksTheOnly2dTensor() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("bias", Tensor.ofF32(new long[] {3}, new float[3]));
        m.put("weight", w);
        Path st = dir.resolve("model.safetensors");
        SafetensorsFile.write(st, m, null);
        assertEquals(w, TensorFiles.readMatrix(st, null));
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> TensorFiles.readMatrix(st, "bias"));
        assertTrue(e.getMessage().contains("tensor 'bias': shape: [3] has rank 1; expected a 2-D tensor"), e.getMessage());
        e = assertThrows(TensorFormatException.class, () -> TensorFiles.read(st, null));
        assertTrue(e.getMessage().contains("holds bias: F32 [3], weight: F32 [2, 3]; name the tensor to read"), e.getMessage());

        m.put("weight2", w);
        SafetensorsFile.write(st, m, null);
        e = assertThrows(TensorFormatException.class, () -> TensorFiles.readMatrix(st, null));
        assertTrue(e.getMessage().contains("holds 2 2-D tensors"), e.getMessage());
        assertEquals(w, TensorFiles.readMatrix(st, "weight2"));
        e = assertThrows(TensorFormatException.class, () -> TensorFiles.readMatrix(st, "nope"));
        assertTrue(e.getMessage().contains("tensor 'nope': no such tensor"), e.getMessage());

        Path npy = dir.resolve("v.npy");
        Npy.write(npy, Tensor.ofF32(new long[] {3}, new float[3]));
        e = assertThrows(TensorFormatException.class, () -> TensorFiles.readMatrix(npy, null));
        assertTrue(e.getMessage().contains("[3] has rank 1; expected a 2-D tensor"), e.getMessage());
        e = assertThrows(TensorFormatException.class, () -> TensorFiles.read(npy, "x"));
        assertTrue(e.getMessage().contains("a .npy file holds one unnamed tensor"), e.getMessage());
    }

    @Test
    void readFp16MatrixRoundsOtherTypesOnce() throws IOException {
        // F32 1 + 2^-11 is a tie (-> 1.0, 0x3C00); 65520 overflows (-> 0x7C00); BF16 and ints are exact.
        Path p = dir.resolve("a.npy");
        Npy.write(p, Tensor.ofF32(new long[] {1, 3}, new float[] {1 + 0x1p-11f, 65520f, -0.5f}));
        Fp16Matrix a = TensorFiles.readFp16Matrix(p, null);
        assertEquals(1, a.rows());
        assertEquals(3, a.cols());
        assertArrayEquals(new short[] {0x3C00, 0x7C00, (short) 0xB800}, a.toBits());
        Path f16 = dir.resolve("h.npy");
        Npy.write(f16, Tensor.ofF16(new long[] {1, 2}, new short[] {0x7E01, (short) 0x8000}));
        assertArrayEquals(new short[] {0x7E01, (short) 0x8000}, TensorFiles.readFp16Matrix(f16, null).toBits(),
                "F16 bits pass through unchanged, NaN payloads included");
        Path empty = dir.resolve("e.npy");
        Npy.write(empty, Tensor.ofF16(new long[] {0, 2}, new short[0]));
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> TensorFiles.readFp16Matrix(empty, null));
        assertTrue(e.getMessage().contains("[0, 2]: expected both dimensions to be at least 1"), e.getMessage());
    }
}
