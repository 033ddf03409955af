package io.pacq.tools;

import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.quant.QuantizedFile;
import io.pacq.ref.ReferenceGemm;
import io.pacq.tensor.Npy;
import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFiles;
import io.pacq.testing.QuantCheckpoints;
import io.pacq.testing.QuantCheckpoints.Layer;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pacq import} and {@code pacq gemm --format}: GPTQ and AWQ checkpoints built by the
 * independent packer, converted by the command line, the GEMM on emu: compared with the reference
 * on the codes the checkpoint was built from.
 */
class ImportCommandTest {
    static final String UP = "model.layers.3.mlp.up_proj";
    static final String DOWN = "model.layers.3.mlp.down_proj";

    @TempDir
    Path dir;

    record Run(int code, String out, String err) { }

    static Run pacq(Object... args) {
        String[] s = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            s[i] = args[i].toString();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PacqCli.run(s, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    Path activations(Fp16Matrix a) throws Exception {
        Path p = dir.resolve("a.npy");
        Npy.write(p, Tensor.ofF16(new long[] {a.rows(), a.cols()}, a.toBits()));
        return p;
    }

    @Test
    void gptqAndAwqImportExactlyAndGemmOnEmuMatchesTheReferenceOnTheOriginalCodes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(21);
        Layer up = QuantCheckpoints.random(rnd, 128, 72, 4, 32, false, false);
        Layer down = QuantCheckpoints.random(rnd, 64, 40, 8, 64, true, false);
        Map<String, Tensor> t = new LinkedHashMap<>(QuantCheckpoints.gptq(UP, up, true));
        t.putAll(QuantCheckpoints.gptq(DOWN, down, false));
        Path gptq = dir.resolve("gptq.safetensors");
        SafetensorsFile.write(gptq, t, null);
        Path awq = dir.resolve("awq.safetensors");
        SafetensorsFile.write(awq, QuantCheckpoints.awq(UP, up), null);

        Fp16Matrix a = RandomProblems.activationsWithFiniteEdges(rnd, 3, 128, 3f, 0.05);
        Path ap = activations(a);
        for (String[] c : new String[][] {{"gptq", gptq.toString()}, {"awq", awq.toString()}}) {
            Path q = dir.resolve(c[0] + "-q.safetensors");
            Run r = pacq("import", "--format", c[0], "--prefix", UP, c[1], "-o", q);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("[K=128, N=72] INT4, groups of 32, asymmetric -> " + q), r.out());
            assertEquals(up.expected(), QuantizedFile.read(q), c[0]);
            for (GemmMode mode : GemmMode.values()) {
                String m = mode.name().toLowerCase(Locale.ROOT);
                short[] ref = ReferenceGemm.gemmF16(mode, a.toBits(), 3, up.expected());
                Path out1 = dir.resolve("c1.npy");
                Run g1 = pacq("gemm", "-w", q, "-i", ap, "-o", out1, "--mode", m);
                assertEquals(0, g1.code(), g1.err());
                assertArrayEquals(ref, Npy.read(out1).toShorts(), c[0] + " interchange " + mode);
                Path out2 = dir.resolve("c2.npy");
                Run g2 = pacq("gemm", "-w", c[1], "--format", c[0], "--prefix", UP, "-i", ap, "-o", out2, "--mode", m);
                assertEquals(0, g2.code(), g2.err());
                assertArrayEquals(ref, Npy.read(out2).toShorts(), c[0] + " on the fly " + mode);
            }
        }
        Path q = dir.resolve("down.safetensors");
        Run r = pacq("import", "--format", "gptq", "--prefix", DOWN, gptq, "-o", q);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("INT8, groups of 64, symmetric"), r.out());
        assertEquals(down.expected(), QuantizedFile.read(q));
    }

    @Test
    void actOrderNeedsThePermutationWrittenOrIsPermutedByGemm() throws Exception {
        SplittableRandom rnd = new SplittableRandom(22);
        Layer l = QuantCheckpoints.random(rnd, 96, 50, 4, 32, false, true);
        Path ck = dir.resolve("act.safetensors");
        SafetensorsFile.write(ck, QuantCheckpoints.gptq(UP, l, true), null);
        Path q = dir.resolve("q.safetensors");

        Run refused = pacq("import", "--format", "gptq", "--prefix", UP, ck, "-o", q);
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains(UP + ".g_idx is act-order") && refused.err().contains("--perm-out"),
                refused.err());
        assertFalse(Files.exists(q), "nothing written when refused");

        Path perm = dir.resolve("perm.npy");
        Run ok = pacq("import", "--format", "gptq", "--prefix", UP, ck, "-o", q, "--perm-out", perm);
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("act-order: input permutation -> " + perm), ok.out());
        int[] p = Npy.read(perm).toInts();
        assertArrayEquals(l.rowsByGroup(), p);
        assertEquals(l.expected(), QuantizedFile.read(q));

        // A[:, perm] with the interchange file == gemm --format on A itself == the reference on sorted rows
        Fp16Matrix a = RandomProblems.activations(rnd, 2, 96, 2f);
        short[] permuted = new short[a.rows() * 96];
        for (int r = 0; r < a.rows(); r++) {
            for (int i = 0; i < 96; i++) {
                permuted[r * 96 + i] = a.bitsAt(r, p[i]);
            }
        }
        Path ap = activations(Fp16Matrix.ofBits(2, 96, permuted));
        Path c1 = dir.resolve("c1.npy");
        assertEquals(0, pacq("gemm", "-w", q, "-i", ap, "-o", c1).code());
        Path araw = dir.resolve("araw.npy");
        Npy.write(araw, Tensor.ofF16(new long[] {2, 96}, a.toBits()));
        Path c2 = dir.resolve("c2.npy");
        Run g = pacq("gemm", "-w", ck, "--format", "gptq", "--prefix", UP, "-i", araw, "-o", c2);
        assertEquals(0, g.code(), g.err());
        short[] ref = ReferenceGemm.gemmF16(GemmMode.PACQ, permuted, 2, l.expected());
        assertArrayEquals(ref, Npy.read(c1).toShorts());
        assertArrayEquals(ref, Npy.read(c2).toShorts());
        // and the result is A x W of the checkpoint's own rows: within FP16 output rounding of the FP64 sum
        double[] exact = l.exact(a.toBits(), 2);
        float[] got = Npy.read(c2).toFloats();
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], got[i], Math.abs(exact[i]) * 0x1p-10 + 1e-6, "element " + i);
        }
    }

    @Test
    void shardedDirectoryAndList() throws Exception {
        SplittableRandom rnd = new SplittableRandom(23);
        Layer up = QuantCheckpoints.random(rnd, 64, 64, 2, 16, false, false);
        Map<String, Tensor> all = QuantCheckpoints.gptq(UP, up, true);
        Map<String, Tensor> s1 = new LinkedHashMap<>();
        Map<String, Tensor> s2 = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\": {\"total_size\": 1}, \"weight_map\": {");
        int i = 0;
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            String shard = i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            (i % 2 == 0 ? s1 : s2).put(e.getKey(), e.getValue());
            index.append(i++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": \"").append(shard).append('"');
        }
        index.append("}}");
        Path model = Files.createDirectory(dir.resolve("model"));
        SafetensorsFile.write(model.resolve("model-00001-of-00002.safetensors"), s1, null);
        SafetensorsFile.write(model.resolve("model-00002-of-00002.safetensors"), s2, null);
        Files.writeString(model.resolve("model.safetensors.index.json"), index);

        Run list = pacq("import", "--list", model);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains(UP + "  qweight [4, 64]  scales [4, 64]  g_idx"), list.out());
        assertTrue(list.out().contains("1 quantized layers in " + model.resolve("model.safetensors.index.json")),
                list.out());

        Files.writeString(model.resolve("config.json"), "{\"quantization_config\": {\"quant_method\": \"gptq\","
                + " \"bits\": 2, \"group_size\": 16, \"checkpoint_format\": \"gptq\"}}");
        Run settings = pacq("import", "--list", model);
        assertTrue(settings.out().contains("settings (" + model.resolve("config.json").toAbsolutePath() + "): {bits=2,"
                + " checkpoint_format=gptq, group_size=16, quant_method=gptq}"), settings.out());
        Path q = dir.resolve("q.safetensors");
        Run awq = pacq("import", "--format", "awq", "--prefix", UP, model, "-o", q);
        assertTrue(awq.err().contains("quantization_config.quant_method: is \"gptq\", but the layer was asked for as awq"),
                awq.err());
        Run r = pacq("import", "--format", "gptq", "--prefix", UP, model, "-o", q);
        assertEquals(0, r.code(), r.err());
        assertEquals(up.expected(), QuantizedFile.read(q));
    }

    @Test
    void badRequestsGiveOneClearLine() throws Exception {
        Layer l = QuantCheckpoints.random(new SplittableRandom(24), 64, 32, 4, 32, false, false);
        Path ck = dir.resolve("ck.safetensors");
        SafetensorsFile.write(ck, QuantCheckpoints.gptq(UP, l, true), null);
        Path q = dir.resolve("q.safetensors");
        Path a = activations(RandomProblems.activations(new SplittableRandom(1), 1, 64, 1f));

        Run[] runs = {
            pacq("import", "--format", "gptq", "--prefix", DOWN, ck, "-o", q),
            pacq("import", "--format", "exl2", "--prefix", UP, ck, "-o", q),
            pacq("import", "--prefix", UP, ck, "-o", q),
            pacq("import", "--format", "gptq", "--prefix", UP, ck),
            pacq("import", "--format", "awq", "--prefix", UP, ck, "-o", q),
            pacq("import", "--format", "gptq", "--prefix", UP, "--bits", "3", ck, "-o", q),
            pacq("gemm", "-w", ck, "--format", "gptq", "--prefix", UP, "--group", "32", "-i", a, "-o", dir.resolve("c.npy")),
            pacq("gemm", "-w", ck, "--prefix", UP, "-i", a, "-o", dir.resolve("c.npy")),
            pacq("import", "--format", "gptq", "--prefix", UP, dir.resolve("nope"), "-o", q),
        };
        String[] expect = {
            "no layer '" + DOWN + "' in the checkpoint; it has 1 quantized layer, e.g. " + UP,
            "unknown checkpoint format 'exl2'; expected gptq or awq",
            "needs --format gptq|awq and --prefix P",
            "-o OUT.safetensors",
            "the GPTQ layout: is this a GPTQ checkpoint?",
            "bits must be 2, 4 or 8",
            "already quantized; drop --group",
            "needs --format gptq|awq and --prefix P",
            "nope",
        };
        for (int i = 0; i < runs.length; i++) {
            assertEquals(1, runs[i].code(), i + ": " + runs[i].err());
            assertTrue(runs[i].err().startsWith("pacq: error: "), runs[i].err());
            assertTrue(runs[i].err().contains(expect[i]), i + ": " + runs[i].err());
            assertEquals(1, runs[i].err().strip().lines().count(), runs[i].err());
        }
        assertFalse(Files.exists(q));
        assertEquals(2, pacq("import").code());
    }

    @Test
    void aFileThatIsNotACheckpoint() throws Exception {
        Path w = dir.resolve("w.npy");
        TensorFiles.write(w, "w", Tensor.ofF32(new long[] {2, 2}, new float[4]));
        Run r = pacq("import", "--format", "gptq", "--prefix", UP, w, "-o", dir.resolve("q.safetensors"));
        assertEquals(1, r.code());
        assertTrue(r.err().contains(w.toString()), r.err());
    }
}
