package io.pacq.checkpoint;

import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFormatException;
import io.pacq.testing.QuantCheckpoints;
import io.pacq.testing.QuantCheckpoints.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quantization settings beside a checkpoint (quantize_config.json, config.json) checked against its layers. */
class CheckpointConfigTest {
    static final String P = "model.layers.0.self_attn.q_proj";

    @TempDir
    Path dir;

    Path checkpoint(Map<String, Tensor> t) throws IOException {
        Path p = dir.resolve("model.safetensors");
        SafetensorsFile.write(p, t, null);
        return p;
    }

    static String hfConfig(String quantizationConfig) {
        return "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 64, \"rope_scaling\": null,\n"
                + " \"quantization_config\": " + quantizationConfig + ", \"torch_dtype\": \"float16\"}";
    }

    TensorFormatException fails(Path ck, CheckpointFormat f, int bits, String field, String fragment) {
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> CheckpointImporter.importLayer(ck, f, P, bits));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    @Test
    void settingsThatAgreeAreReadAndUsed() throws IOException {
        // N = 6 without g_idx: the shapes fit 2, 3 and 4 bits; the settings say 2
        Layer l = QuantCheckpoints.random(new SplittableRandom(1), 64, 6, 2, 32, false, false);
        Path ck = checkpoint(QuantCheckpoints.gptq(P, l, false));
        Files.writeString(dir.resolve("config.json"), hfConfig("{\"bits\": 2, \"group_size\": 32, \"desc_act\": false,"
                + " \"sym\": false, \"quant_method\": \"gptq\", \"checkpoint_format\": \"gptq\", \"meta\": {\"x\": [1]}}"));
        try (Checkpoint c = Checkpoint.open(ck)) {
            assertEquals("2", c.quantizationConfig().get("bits"));
            assertEquals("false", c.quantizationConfig().get("desc_act"));
            assertEquals(null, c.quantizationConfig().get("meta"));
            assertEquals(dir.resolve("config.json").toAbsolutePath(), c.quantizationConfigFile());
            assertEquals(l.expected(), CheckpointImporter.importLayer(c, CheckpointFormat.GPTQ, P).weights());
        }
        // quantize_config.json (AutoGPTQ) wins over config.json
        Files.writeString(dir.resolve("quantize_config.json"), "{\"bits\": 2, \"group_size\": 32, \"desc_act\": true}");
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals("true", c.quantizationConfig().get("desc_act"));
            assertEquals(l.expected(), CheckpointImporter.importLayer(c, CheckpointFormat.GPTQ, P).weights());
        }
        // a config.json of an unquantized model says nothing
        Files.delete(dir.resolve("quantize_config.json"));
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 64}");
        try (Checkpoint c = Checkpoint.open(ck)) {
            assertTrue(c.quantizationConfig().isEmpty());
            assertEquals(l.expected(), CheckpointImporter.importLayer(c, CheckpointFormat.GPTQ, P, 2).weights());
        }
        Files.delete(dir.resolve("config.json"));
        try (Checkpoint c = Checkpoint.open(ck)) {
            assertNull(c.quantizationConfigFile());
        }
    }

    @Test
    void settingsThatDisagreeAreRefused() throws IOException {
        Layer l = QuantCheckpoints.random(new SplittableRandom(2), 64, 32, 4, 32, false, false);
        Path ck = checkpoint(QuantCheckpoints.gptq(P, l, true));
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, hfConfig("{\"quant_method\": \"awq\", \"bits\": 4, \"version\": \"gemm\"}"));
        fails(ck, CheckpointFormat.GPTQ, 0, "quantization_config.quant_method", "is \"awq\", but the layer was asked for as gptq");
        Files.writeString(cfg, hfConfig("{\"quant_method\": \"gptq\", \"bits\": 4, \"checkpoint_format\": \"gptq_v2\"}"));
        fails(ck, CheckpointFormat.GPTQ, 0, "quantization_config.checkpoint_format", "reading it as v1 would shift every zero point");
        Files.writeString(cfg, hfConfig("{\"quant_method\": \"gptq\", \"bits\": 8}"));
        fails(ck, CheckpointFormat.GPTQ, 4, "quantization_config.bits", "is 8, but 4 bits were asked for");
        // the settings' width is used: 8-bit codes of 32 columns would need 8 words per qzeros row
        fails(ck, CheckpointFormat.GPTQ, 0, "shape", "expected [2, 8] = [K/g, N*8/32] for 8-bit codes and N = 32 (bits = 8 from "
                + cfg.toAbsolutePath() + ")");
        Files.writeString(cfg, hfConfig("{\"quant_method\": \"gptq\", \"bits\": 3}"));
        fails(ck, CheckpointFormat.GPTQ, 0, "quantization_config.bits", "3-bit GPTQ layers are not supported");
        Files.writeString(cfg, hfConfig("{\"bits\": \"four\"}"));
        fails(ck, CheckpointFormat.GPTQ, 0, "quantization_config.bits", "\"four\" is not an integer");
        Files.writeString(cfg, hfConfig("{\"bits\": 4, \"group_size\": 64}"));
        fails(ck, CheckpointFormat.GPTQ, 0, "quantization_config.group_size", "is 64, but " + P
                + ".scales has 2 group rows for K = 64, i.e. groups of 32");
        Files.writeString(cfg, hfConfig("{\"bits\": 4, \"group_size\": -1}"));
        fails(ck, CheckpointFormat.GPTQ, 0, "quantization_config.group_size", "is -1");
        Files.writeString(cfg, hfConfig("{\"bits\": 4, \"group_size\": 32, \"quant_method\": \"gptq\"}"));
        assertEquals(l.expected(), CheckpointImporter.importLayer(ck, CheckpointFormat.GPTQ, P, 0).weights());

        // AWQ: only the GEMM layout
        Files.delete(ck);
        ck = checkpoint(QuantCheckpoints.awq(P, l));
        Files.writeString(cfg, hfConfig("{\"quant_method\": \"awq\", \"bits\": 4, \"group_size\": 32, \"version\": \"gemv\"}"));
        fails(ck, CheckpointFormat.AWQ, 0, "quantization_config.version", "is \"gemv\"; PacQ reads the AWQ GEMM layout");
        Files.writeString(cfg, hfConfig("{\"quant_method\": \"awq\", \"bits\": 4, \"group_size\": 32, \"version\": \"GEMM\"}"));
        assertEquals(l.expected(), CheckpointImporter.importLayer(ck, CheckpointFormat.AWQ, P, 0).weights());

        // a short last group hidden by equal-sized groups: K = 96 with g = 64 stored as 2 groups of 48
        Layer l96 = QuantCheckpoints.random(new SplittableRandom(3), 96, 32, 4, 48, false, false);
        Files.delete(ck);
        ck = checkpoint(QuantCheckpoints.gptq(P, l96, false));
        Files.writeString(dir.resolve("quantize_config.json"), "{\"bits\": 4, \"group_size\": 64}");
        fails(ck, CheckpointFormat.GPTQ, 0, "group_size", "K is not a multiple of 64: PacQ cannot represent the short last group");
    }

    @Test
    void malformedSettings() throws IOException {
        Layer l = QuantCheckpoints.random(new SplittableRandom(4), 32, 32, 4, 32, false, false);
        Path ck = checkpoint(QuantCheckpoints.gptq(P, l, true));
        Files.writeString(dir.resolve("config.json"), "{\"quantization_config\": {\"bits\": 4,}}");
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> Checkpoint.open(ck));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json").toAbsolutePath() + ": invalid JSON"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), "[]");
        e = assertThrows(TensorFormatException.class, () -> Checkpoint.open(ck));
        assertTrue(e.getMessage().contains("expected a JSON object"), e.getMessage());
    }
}
