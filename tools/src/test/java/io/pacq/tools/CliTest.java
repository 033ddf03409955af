package io.pacq.tools;

import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedFile;
import io.pacq.quant.QuantizedWeights;
import io.pacq.quant.Quantizer;
import io.pacq.ref.ReferenceGemm;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFiles;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pacq command line end to end, in process: outputs against the reference, errors and exit codes. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) { }

    static Run pacq(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PacqCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path floatWeights(int k, int n, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] w = new float[k * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextDouble() - 0.5);
        }
        Path p = dir.resolve("w.npy");
        TensorFiles.write(p, "w", Tensor.ofF32(new long[] {k, n}, w));
        return p;
    }

    private Path activations(int m, int k, long seed) throws Exception {
        Fp16Matrix a = RandomProblems.activations(new SplittableRandom(seed), m, k, 2f);
        Path p = dir.resolve("a.npy");
        TensorFiles.write(p, "a", Tensor.ofF16(new long[] {m, k}, a.toBits()));
        return p;
    }

    @Test
    void quantizeThenGemmMatchesTheReferenceInEveryMode() throws Exception {
        int m = 3, k = 64, n = 37;
        Path w = floatWeights(k, n, 1);
        Path a = activations(m, k, 2);
        Path q = dir.resolve("q.safetensors");
        Run r = pacq("quantize", "--bits", "4", "--group", "32", w.toString(), "-o", q.toString());
        assertEquals(0, r.code(), r.err());
        QuantizedWeights qw = QuantizedFile.read(q);
        float[] wf = TensorFiles.read(w, null).toFloats();
        assertEquals(Quantizer.quantize(wf, k, n, QuantSpec.of(4, 32)), qw);
        short[] abits = TensorFiles.readFp16Matrix(a, null).toBits();
        for (GemmMode mode : GemmMode.values()) {
            Path c = dir.resolve("c-" + mode + ".npy");
            Run g = pacq("gemm", "--weights", q.toString(), "--input", a.toString(), "--output", c.toString(),
                    "--mode", mode.name().toLowerCase());
            assertEquals(0, g.code(), g.err());
            assertArrayEquals(ReferenceGemm.gemmF16(mode, abits, m, qw), TensorFiles.read(c, null).toShorts(),
                    mode.name());
        }
        Path c32 = dir.resolve("c32.safetensors");
        Run g = pacq("gemm", "-w", w.toString(), "--bits", "4", "--group", "32", "-i", a.toString(), "-o",
                c32.toString(), "--out-dtype", "f32", "--stats");
        assertEquals(0, g.code(), g.err());
        int[] got = new int[m * n];
        java.nio.ByteBuffer.wrap(TensorFiles.read(c32, null).toBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer().get(got);
        assertArrayEquals(ReferenceGemm.gemmF32(GemmMode.PACQ, abits, m, qw), got);
        assertTrue(g.out().contains("\"mul_ops\": " + ((long) m * n * k + (long) m * n * (k / 32))), g.out());
    }

    @Test
    void badInputGivesOneClearLineAndExitCode1() throws Exception {
        Path w = floatWeights(64, 8, 3);
        Path a = activations(2, 48, 4);   // K mismatch
        Path q = dir.resolve("q.safetensors");
        assertEquals(0, pacq("quantize", "--bits", "2", "--group", "16", w.toString(), "-o", q.toString()).code());

        Run mismatch = pacq("gemm", "-w", q.toString(), "-i", a.toString(), "-o", dir.resolve("c.npy").toString());
        assertEquals(1, mismatch.code());
        assertTrue(mismatch.err().startsWith("pacq: error: shape mismatch"), mismatch.err());
        assertEquals(1, mismatch.err().strip().lines().count(), mismatch.err());

        Run missing = pacq("quantize", "--bits", "4", "--group", "16", dir.resolve("nope.npy").toString(), "-o",
                q.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.npy"), missing.err());

        Run badGroup = pacq("quantize", "--bits", "4", "--group", "48", w.toString(), "-o", q.toString());
        assertEquals(1, badGroup.code());
        assertTrue(badGroup.err().contains("K = 64 is not a multiple of the group size 48"), badGroup.err());

        Run scheme = pacq("info", "--device", "nosuch://x");
        assertEquals(1, scheme.code());
        assertTrue(scheme.err().contains("scheme 'nosuch'") && scheme.err().contains("emu"), scheme.err());

        Run floatsWithoutBits = pacq("gemm", "-w", w.toString(), "-i", a.toString(), "-o", "c.npy");
        assertEquals(1, floatsWithoutBits.code());
        assertTrue(floatsWithoutBits.err().contains("--bits and --group"), floatsWithoutBits.err());

        Run mode = pacq("gemm", "-w", q.toString(), "-i", a.toString(), "-o", "c.npy", "--mode", "fast");
        assertEquals(1, mode.code());
        assertTrue(mode.err().contains("--mode must be"), mode.err());

        Run usage = pacq("gemm", "--weights");
        assertEquals(2, usage.code());
    }

    @Test
    void demoRunsAndChecksBits() {
        Run r = pacq("demo", "-m", "2", "-n", "40", "-k", "64", "--group", "32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bit-identical"), r.out());
    }

    @Test
    void infoShowsTheCapabilityBlock() {
        Run r = pacq("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ABI           1.0"), r.out());
        Run list = pacq("info", "--list");
        assertTrue(list.out().contains("emu"), list.out());
    }
}
