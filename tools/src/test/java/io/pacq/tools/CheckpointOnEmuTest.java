package io.pacq.tools;

import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.OutputType;
import io.pacq.WeightHandle;
import io.pacq.checkpoint.CheckpointFormat;
import io.pacq.checkpoint.CheckpointImporter;
import io.pacq.checkpoint.ImportedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.testing.QuantCheckpoints;
import io.pacq.testing.QuantCheckpoints.Layer;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Checkpoint layers of every width and both formats, converted and run on emu: in every mode and
 * output type: bit-identical to the reference GEMM on the codes the checkpoint was built from
 * (for act-order layers, with the rows sorted by group and A permuted to match).
 */
class CheckpointOnEmuTest {
    static final String P = "model.layers.7.self_attn.o_proj";

    @TempDir
    Path dir;

    @Test
    void everyWidthAndFormatOnEmuEqualsTheReferenceOnTheOriginalCodes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(31);
        try (Device dev = Device.open("emu:?mem=256M")) {
            int file = 0;
            for (String kind : new String[] {"gptq2", "gptq4", "gptq8", "gptq4-act", "gptq8-act-sym", "awq", "awq-sym"}) {
                boolean awq = kind.startsWith("awq");
                int bits = awq ? 4 : kind.charAt(4) - '0';
                int g = 16 << rnd.nextInt(3);
                int k = g * (2 + rnd.nextInt(3));
                int n = 1 + rnd.nextInt(140);
                Layer l = QuantCheckpoints.random(rnd, k, n, bits, g, kind.endsWith("sym"), kind.contains("act"));
                Map<String, Tensor> t = awq ? QuantCheckpoints.awq(P, l) : QuantCheckpoints.gptq(P, l, true);
                Path ck = dir.resolve("ck" + file++ + ".safetensors");
                SafetensorsFile.write(ck, t, null);
                ImportedWeights imp = CheckpointImporter.importLayer(ck, awq ? CheckpointFormat.AWQ : CheckpointFormat.GPTQ,
                        P, 0);
                int m = 1 + rnd.nextInt(5);
                Fp16Matrix a = RandomProblems.activationsWithEdges(rnd, m, k, 4f, 0.05);
                Fp16Matrix ap = imp.permuteActivations(a);
                // the reference sees the checkpoint's codes with rows sorted by group, built by the test itself
                int[] order = l.rowsByGroup();
                short[] aSorted = new short[m * k];
                for (int r = 0; r < m; r++) {
                    for (int i = 0; i < k; i++) {
                        aSorted[r * k + i] = a.bitsAt(r, order[i]);
                    }
                }
                try (WeightHandle h = dev.upload(imp.weights(), EnumSet.allOf(GemmMode.class))) {
                    for (GemmMode mode : GemmMode.values()) {
                        String what = kind + " " + mode + " m" + m + " k" + k + " n" + n + " g" + g;
                        assertArrayEquals(ReferenceGemm.gemmF16(mode, aSorted, m, l.expected()),
                                dev.gemm(GemmRequest.of(h, ap).withMode(mode)).f16Bits(), what);
                        assertArrayEquals(ReferenceGemm.gemmF32(mode, aSorted, m, l.expected()),
                                dev.gemm(GemmRequest.of(h, ap).withMode(mode).withOutput(OutputType.F32)).f32Bits(), what);
                    }
                }
            }
        }
    }
}
