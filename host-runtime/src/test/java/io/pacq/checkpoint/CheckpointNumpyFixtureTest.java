package io.pacq.checkpoint;

import io.pacq.tensor.Tensor;
import io.pacq.testing.QuantCheckpoints.Layer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layers packed by a third, independent packer: src/test/resources/io/pacq/checkpoint/make_checkpoints.py
 * (NumPy only), which follows the structure of AutoGPTQ's and AutoAWQ's own packing loops and stores
 * the unpacked truth beside each layer.
 */
class CheckpointNumpyFixtureTest {

    record Case(String prefix, CheckpointFormat format, int bits, int g, boolean actOrder, boolean symmetric) { }

    @Test
    void layersPackedByTheNumpyScriptConvertToTheirUnpackedTruth() throws Exception {
        Path p = Path.of(getClass().getResource("checkpoints_numpy.safetensors").toURI());
        List<Case> cases = List.of(
                new Case("gptq.int4.act_order", CheckpointFormat.GPTQ, 4, 32, true, false),
                new Case("gptq.int2", CheckpointFormat.GPTQ, 2, 16, false, false),
                new Case("gptq.int8.sym", CheckpointFormat.GPTQ, 8, 32, false, true),
                new Case("awq.int4", CheckpointFormat.AWQ, 4, 64, false, false));
        try (Checkpoint c = Checkpoint.open(p)) {
            assertEquals(List.of("awq.int4", "gptq.int2", "gptq.int4.act_order", "gptq.int8.sym"), c.quantizedLayers());
            for (Case k : cases) {
                String e = "expect." + k.prefix() + ".";
                Tensor q = c.read(e + "qcodes");
                int rows = (int) q.dim(0);
                int cols = (int) q.dim(1);
                Layer truth = new Layer(rows, cols, k.bits(), k.g(), q.toInts(), c.read(e + "zeros").toInts(),
                        c.read(e + "scales").toShorts(), c.read(e + "g_idx").toInts());
                ImportedWeights imp = CheckpointImporter.importLayer(c, k.format(), k.prefix());
                assertEquals(truth.expected(), imp.weights(), k.prefix());
                assertEquals(k.actOrder(), imp.hasInputPermutation(), k.prefix());
                assertEquals(k.symmetric(), imp.weights().symmetric(), k.prefix());
                assertArrayEquals(truth.rowsByGroup(), imp.inputPermutation(), k.prefix());
                assertTrue(imp.weights().bits() == k.bits() && imp.weights().groupSize() == k.g(), k.prefix());
            }
        }
    }
}
