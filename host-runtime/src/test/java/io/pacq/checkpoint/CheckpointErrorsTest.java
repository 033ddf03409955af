package io.pacq.checkpoint;

import io.pacq.abi.Abi;
import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFormatException;
import io.pacq.testing.QuantCheckpoints;
import io.pacq.testing.QuantCheckpoints.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a GPTQ or AWQ layer can be wrong, each with a message naming the tensor at fault. */
class CheckpointErrorsTest {
    static final String P = "model.layers.0.mlp.up_proj";

    @TempDir
    Path dir;

    private int files;

    /** A valid GPTQ layer: K = 64, N = 32, INT4, g = 32, with g_idx. */
    static Map<String, Tensor> gptq() {
        Layer l = QuantCheckpoints.random(new SplittableRandom(1), 64, 32, 4, 32, false, false);
        return new LinkedHashMap<>(QuantCheckpoints.gptq(P, l, true));
    }

    /** A valid AWQ layer: K = 64, N = 32, g = 32. */
    static Map<String, Tensor> awq() {
        Layer l = QuantCheckpoints.random(new SplittableRandom(2), 64, 32, 4, 32, false, false);
        return new LinkedHashMap<>(QuantCheckpoints.awq(P, l));
    }

    TensorFormatException fails(Map<String, Tensor> t, CheckpointFormat f, int bits, String tensor, String... fragments)
            throws IOException {
        Path p = dir.resolve("c" + files++ + ".safetensors");
        SafetensorsFile.write(p, t, null);
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> CheckpointImporter.importLayer(p, f, P, bits));
        assertEquals(tensor, e.tensor(), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
        for (String frag : fragments) {
            assertTrue(e.getMessage().contains(frag), "'" + frag + "' in: " + e.getMessage());
        }
        return e;
    }

    static Tensor i32(long rows, long cols) {
        return Tensor.ofI32(new long[] {rows, cols}, new int[(int) (rows * cols)]);
    }

    static Tensor f16(long rows, long cols, short v) {
        short[] s = new short[(int) (rows * cols)];
        java.util.Arrays.fill(s, v);
        return Tensor.ofF16(new long[] {rows, cols}, s);
    }

    @Test
    void missingLayerListsTheLayersTheCheckpointHas() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        Layer l = QuantCheckpoints.random(new SplittableRandom(1), 32, 32, 4, 32, false, false);
        t.putAll(QuantCheckpoints.gptq("model.layers.1.mlp.up_proj", l, false));
        t.putAll(QuantCheckpoints.gptq("model.layers.1.mlp.down_proj", l, false));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".qweight", "no layer '" + P + "'", "2 quantized layers",
                "e.g. model.layers.1.mlp.up_proj");
    }

    @Test
    void unquantizedLayerIsNamedAsSuch() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put(P + ".weight", f16(32, 32, (short) 0x3C00));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".qweight", "'" + P + "' is not quantized in this checkpoint (it has "
                + P + ".weight)");
        t.clear();
        t.put("lm_head.weight", f16(16, 16, (short) 0x3C00));
        fails(t, CheckpointFormat.AWQ, 0, P + ".qweight", "the checkpoint has no quantized layer");
    }

    @Test
    void missingTensorsOfALayer() throws IOException {
        for (String suffix : new String[] {"qzeros", "scales"}) {
            Map<String, Tensor> t = gptq();
            t.remove(P + "." + suffix);
            fails(t, CheckpointFormat.GPTQ, 0, P + "." + suffix, "missing; a GPTQ layer has " + P + ".qweight, " + P
                    + ".qzeros, " + P + ".scales and optionally " + P + ".g_idx");
            t = awq();
            t.remove(P + "." + suffix);
            fails(t, CheckpointFormat.AWQ, 0, P + "." + suffix, "missing; an AWQ layer has");
        }
    }

    @Test
    void wrongDtypesAndRanks() throws IOException {
        Map<String, Tensor> t = gptq();
        t.put(P + ".qweight", Tensor.ofF32(new long[] {8, 32}, new float[256]));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".qweight", "dtype: expected I32 [K*b/32, N], got F32");
        t = gptq();
        t.put(P + ".scales", Tensor.ofF32(new long[] {2, 32}, new float[64]));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".scales", "dtype: expected F16 [K/g, N], got F32");
        t = gptq();
        t.put(P + ".g_idx", Tensor.ofI16(new long[] {64}, new short[64]));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".g_idx", "dtype: expected I32 [K], got I16");
        t = gptq();
        t.put(P + ".qzeros", Tensor.ofI32(new long[] {2, 4, 1}, new int[8]));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".qzeros", "shape: [2, 4, 1]: expected [K/g, N*b/32]");
        t = awq();
        t.put(P + ".qweight", Tensor.ofI32(new long[] {256}, new int[256]));
        fails(t, CheckpointFormat.AWQ, 0, P + ".qweight", "shape: [256]: expected [K, N/8]");
        t = awq();
        t.put(P + ".scales", f16(0, 32, (short) 0));
        fails(t, CheckpointFormat.AWQ, 0, P + ".scales", "expected [K/g, N] with K/g >= 1");
    }

    @Test
    void eachFormatRecognizesTheOther() throws IOException {
        fails(awq(), CheckpointFormat.GPTQ, 0, P + ".qweight", "[64, 4]: expected [K*b/32, N] with N = 32",
                "the AWQ GEMM layout: is this an AWQ checkpoint?");
        fails(gptq(), CheckpointFormat.AWQ, 0, P + ".qweight", "[8, 32]: expected [K, 4] = [K, N/8] for N = 32",
                "the GPTQ layout: is this a GPTQ checkpoint?");
        Map<String, Tensor> t = awq();
        t.put(P + ".qweight", i32(64, 8));                              // N*8/32 columns: 8-bit
        fails(t, CheckpointFormat.AWQ, 0, P + ".qweight", "the columns fit 8-bit codes; AWQ GEMM layers are 4-bit");
        t.put(P + ".qweight", i32(32, 16));                             // [N, K/8] for K = 128: GEMV
        fails(t, CheckpointFormat.AWQ, 0, P + ".qweight", "AWQ GEMV layout, which is not supported");
    }

    @Test
    void shapesThatDisagree() throws IOException {
        Map<String, Tensor> t = gptq();
        t.put(P + ".qzeros", i32(3, 4));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".qzeros", "[3, 4]: expected 2 rows, one per group");
        t = gptq();
        t.put(P + ".qzeros", i32(2, 5));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".qzeros", "5 columns fit no bit width: for N = 32 expected N*b/32 "
                + "columns: 2 for 2-bit, 3 for 3-bit, 4 for 4-bit, 8 for 8-bit");
        t = gptq();
        t.put(P + ".qzeros", i32(2, 4));
        fails(t, CheckpointFormat.GPTQ, 8, P + ".qzeros", "expected [2, 8] = [K/g, N*8/32] for 8-bit codes");
        t = gptq();
        t.put(P + ".g_idx", Tensor.ofI32(new long[] {63}, new int[63]));
        fails(t, CheckpointFormat.GPTQ, 4, P + ".g_idx", "[63]: expected [K] with K = 64 (the 8 rows of " + P
                + ".qweight hold 8 4-bit codes each)");
        t = awq();
        t.put(P + ".qzeros", i32(2, 3));
        fails(t, CheckpointFormat.AWQ, 0, P + ".qzeros", "[2, 3]: expected [2, 4] = [K/g, N/8]");
    }

    @Test
    void unsupportedBits() throws IOException {
        // a genuine 3-bit layer: K = 64 codes of 3 bits per column = 6 words; qzeros 32*3/32 = 3 words
        Layer l3 = QuantCheckpoints.random(new SplittableRandom(3), 64, 32, 3, 32, false, false);
        fails(QuantCheckpoints.gptq(P, l3, true), CheckpointFormat.GPTQ, 0, P + ".qweight",
                "3-bit GPTQ layers are not supported: PacQ computes with 2-, 4- and 8-bit codes");
        fails(awq(), CheckpointFormat.AWQ, 8, P + ".qweight", "AWQ GEMM layers are 4-bit", "8 bits were asked for");
        Path p = dir.resolve("ok.safetensors");
        SafetensorsFile.write(p, gptq(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointImporter.importLayer(p, CheckpointFormat.GPTQ, P, 3));
        assertTrue(e.getMessage().contains("bits must be 2, 4 or 8"), e.getMessage());
    }

    @Test
    void groupLayoutsPacqCannotRun() throws IOException {
        Map<String, Tensor> t = gptq();
        t.put(P + ".scales", f16(8, 32, (short) 0x3C00));                // g = 64 / 8 = 8
        t.put(P + ".qzeros", i32(8, 4));
        t.remove(P + ".g_idx");
        fails(t, CheckpointFormat.GPTQ, 0, P + ".scales", "group size g = K / 8 = 8 (K = 64); PacQ needs a multiple of 16");
        t.put(P + ".scales", f16(3, 32, (short) 0x3C00));                // 64 rows in 3 groups
        t.put(P + ".qzeros", i32(3, 4));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".scales", "K = 64 rows (from " + P + ".qweight) do not split into 3 equal groups");
        t = awq();
        t.put(P + ".scales", f16(3, 32, (short) 0x3C00));
        t.put(P + ".qzeros", i32(3, 4));
        fails(t, CheckpointFormat.AWQ, 0, P + ".scales", "do not split into 3 equal groups");
        // K beyond the device's largest dimension
        t = new LinkedHashMap<>();
        long rows = Abi.MAX_DIM / 8 + 2;
        t.put(P + ".qweight", i32(rows, 1));
        t.put(P + ".qzeros", i32(1, 1));
        t.put(P + ".scales", f16(1, 1, (short) 0x3C00));
        fails(t, CheckpointFormat.GPTQ, 4, P + ".qweight", "K = " + rows * 8 + " input rows; PacQ needs 1 <= K <= " + Abi.MAX_DIM);
    }

    @Test
    void gIdxThatIsNotAGroupMap() throws IOException {
        Map<String, Tensor> t = gptq();
        int[] g = new int[64];
        for (int k = 0; k < 64; k++) {
            g[k] = k / 32;
        }
        g[5] = 7;
        t.put(P + ".g_idx", Tensor.ofI32(new long[] {64}, g));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".g_idx", "g_idx[5] = 7 is not a group: expected 0 .. 1");
        g[5] = -1;
        t.put(P + ".g_idx", Tensor.ofI32(new long[] {64}, g));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".g_idx", "g_idx[5] = -1 is not a group");
        g[5] = 0;
        g[40] = 0;                                                       // group 0 gets 33 rows, group 1 31
        t.put(P + ".g_idx", Tensor.ofI32(new long[] {64}, g));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".g_idx", "group 0 has 33 rows; PacQ groups hold exactly g = 32 rows");
    }

    @Test
    void valuesPacqCannotRepresent() throws IOException {
        Map<String, Tensor> t = gptq();
        short[] s = t.get(P + ".scales").toShorts();
        s[32 + 3] = (short) 0x7C00;
        t.put(P + ".scales", Tensor.ofF16(new long[] {2, 32}, s));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".scales", "scales[1][3] is not finite (FP16 bits 0x7c00)");
        t = awq();
        s = t.get(P + ".scales").toShorts();
        s[0] = (short) 0x7E00;
        t.put(P + ".scales", Tensor.ofF16(new long[] {2, 32}, s));
        fails(t, CheckpointFormat.AWQ, 0, P + ".scales", "scales[0][0] is not finite");

        t = gptq();
        int[] z = t.get(P + ".qzeros").toInts();
        z[4 + 1] |= 0xF << 8;                  // group 1, column 8 + 2 = 10: stored 15
        t.put(P + ".qzeros", Tensor.ofI32(new long[] {2, 4}, z));
        fails(t, CheckpointFormat.GPTQ, 0, P + ".qzeros", "zero point of group 1, column 10 (word [1][1], bits 8..11)"
                + " is stored as 15, i.e. a real zero point of 16", "cannot be represented exactly");
    }
}
