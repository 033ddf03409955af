package io.pacq.checkpoint;

import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFormatException;
import io.pacq.testing.QuantCheckpoints;
import io.pacq.testing.QuantCheckpoints.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints sharded over several files with a Hugging Face index, opened by file, index or directory. */
class CheckpointShardsTest {
    static final String GATE = "model.layers.0.mlp.gate_proj";
    static final String DOWN = "model.layers.0.mlp.down_proj";
    static final String INDEX = "model.safetensors.index.json";

    @TempDir
    Path dir;

    final Layer gate = QuantCheckpoints.random(new SplittableRandom(1), 64, 48, 4, 32, false, true);
    final Layer down = QuantCheckpoints.random(new SplittableRandom(2), 48, 64, 8, 16, true, false);

    /** Two layers over two shards, each layer split across both; returns name -> shard. */
    Map<String, String> writeShards() throws IOException {
        Map<String, Tensor> all = new LinkedHashMap<>();
        all.putAll(QuantCheckpoints.gptq(GATE, gate, true));
        all.putAll(QuantCheckpoints.gptq(DOWN, down, true));
        all.put("model.embed_tokens.weight", Tensor.ofF16(new long[] {4, 4}, new short[16]));
        Map<String, Tensor> s1 = new LinkedHashMap<>();
        Map<String, Tensor> s2 = new LinkedHashMap<>();
        Map<String, String> map = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            boolean first = i++ % 2 == 0;
            (first ? s1 : s2).put(e.getKey(), e.getValue());
            map.put(e.getKey(), first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        SafetensorsFile.write(dir.resolve("model-00001-of-00002.safetensors"), s1, Map.of("format", "pt"));
        SafetensorsFile.write(dir.resolve("model-00002-of-00002.safetensors"), s2, Map.of("format", "pt"));
        writeIndex(INDEX, map);
        return map;
    }

    void writeIndex(String name, Map<String, String> map) throws IOException {
        StringBuilder sb = new StringBuilder("{\n  \"metadata\": {\"total_size\": 12345, \"nested\": [1, {\"a\": 2}]},\n"
                + "  \"weight_map\": {\n");
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            sb.append(i++ == 0 ? "" : ",\n").append("    \"").append(e.getKey()).append("\": \"").append(e.getValue())
                    .append('"');
        }
        sb.append("\n  }\n}\n");
        Files.writeString(dir.resolve(name), sb);
    }

    @Test
    void layersSplitOverShardsImportThroughTheIndexOrTheDirectory() throws IOException {
        Map<String, String> map = writeShards();
        for (Path open : new Path[] {dir.resolve(INDEX), dir}) {
            try (Checkpoint c = Checkpoint.open(open)) {
                assertTrue(c.sharded());
                assertEquals(dir.resolve(INDEX), c.path());
                assertEquals(map.keySet(), c.names());
                assertEquals(List.of(DOWN, GATE), c.quantizedLayers());
                assertEquals(dir.resolve(map.get(GATE + ".scales")).toAbsolutePath(), c.fileOf(GATE + ".scales"));
                ImportedWeights g = CheckpointImporter.importLayer(c, CheckpointFormat.GPTQ, GATE);
                assertEquals(gate.expected(), g.weights());
                assertTrue(g.hasInputPermutation());
                ImportedWeights d = CheckpointImporter.importLayer(c, CheckpointFormat.GPTQ, DOWN);
                assertEquals(down.expected(), d.weights());
                assertTrue(d.weights().symmetric());
            }
        }
    }

    @Test
    void singleFileAndDirectoryWithOneFile() throws IOException {
        Map<String, Tensor> t = QuantCheckpoints.gptq(GATE, gate, true);
        SafetensorsFile.write(dir.resolve("model.safetensors"), t, null);
        for (Path open : new Path[] {dir.resolve("model.safetensors"), dir}) {
            try (Checkpoint c = Checkpoint.open(open)) {
                assertFalse(c.sharded());
                assertEquals(gate.expected(), CheckpointImporter.importLayer(c, CheckpointFormat.GPTQ, GATE).weights());
            }
        }
    }

    @Test
    void indexThatMisplacesATensor() throws IOException {
        Map<String, String> map = writeShards();
        String name = GATE + ".qzeros";
        String other = map.get(name).contains("00001") ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
        map.put(name, other);
        writeIndex(INDEX, map);
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> CheckpointImporter.importLayer(dir.resolve(INDEX), CheckpointFormat.GPTQ, GATE, 0));
        assertEquals(name, e.tensor());
        assertEquals("weight_map", e.field());
        assertTrue(e.getMessage().contains("the index names shard " + other + ", which does not hold this tensor"),
                e.getMessage());
    }

    @Test
    void indexNamingAMissingShard() throws IOException {
        Map<String, String> map = writeShards();
        map.put(DOWN + ".scales", "model-00003-of-00002.safetensors");
        writeIndex(INDEX, map);
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> CheckpointImporter.importLayer(dir.resolve(INDEX), CheckpointFormat.GPTQ, DOWN, 0));
        assertTrue(e.getMessage().contains("model-00003-of-00002.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("tensor '" + DOWN + ".scales'"), e.getMessage());
        // the other layer does not touch that shard
        assertEquals(gate.expected(), CheckpointImporter.importLayer(dir.resolve(INDEX), CheckpointFormat.GPTQ, GATE, 0)
                .weights());
    }

    TensorFormatException badIndex(String json) throws IOException {
        Path p = dir.resolve("bad.safetensors.index.json");
        Files.writeString(p, json, StandardCharsets.UTF_8);
        return assertThrows(TensorFormatException.class, () -> Checkpoint.open(p));
    }

    @Test
    void malformedIndexes() throws IOException {
        assertTrue(badIndex("{\"metadata\": {}}").getMessage().contains("weight_map: missing"));
        assertTrue(badIndex("{\"weight_map\": []}").getMessage().contains("weight_map: expected an object"));
        assertTrue(badIndex("{\"weight_map\": {\"a\": 3}}").getMessage().contains("weight_map.a: expected a shard file name"));
        assertTrue(badIndex("{\"weight_map\": {\"a\": \"../x.safetensors\"}}").getMessage()
                .contains("weight_map.a: \"../x.safetensors\" must name a file in the index's directory"));
        assertTrue(badIndex("{\"weight_map\": {\"a\": \"/etc/x.safetensors\"}}").getMessage()
                .contains("must name a file in the index's directory"));
        assertTrue(badIndex("{\"weight_map\": {\"a\": \"\"}}").getMessage().contains("must name a file"));
        assertTrue(badIndex("{\"weight_map\": {\"a\": \"x\", \"a\": \"y\"}}").getMessage().contains("invalid JSON"));
        assertTrue(badIndex("{\"weight_map\": {}} extra").getMessage().contains("invalid JSON"));
        assertTrue(badIndex("[1]").getMessage().contains("expected a JSON object"));
        assertTrue(badIndex("{\"weight_map\": {\"a\": \"x\"").getMessage().contains("invalid JSON"));
    }

    @Test
    void directoriesThatAreNotOneCheckpoint() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertTrue(assertThrows(TensorFormatException.class, () -> Checkpoint.open(empty)).getMessage()
                .contains("holds no .safetensors file and no *.safetensors.index.json index"));
        Path two = Files.createDirectory(dir.resolve("two"));
        SafetensorsFile.write(two.resolve("a.safetensors"), Map.of("x", Tensor.ofI32(new long[] {1}, new int[1])), null);
        SafetensorsFile.write(two.resolve("b.safetensors"), Map.of("x", Tensor.ofI32(new long[] {1}, new int[1])), null);
        assertTrue(assertThrows(TensorFormatException.class, () -> Checkpoint.open(two)).getMessage()
                .contains("holds several .safetensors files [a.safetensors, b.safetensors] and no"));
        Files.writeString(two.resolve("a.safetensors.index.json"), "{\"weight_map\": {\"x\": \"a.safetensors\"}}");
        try (Checkpoint c = Checkpoint.open(two)) {
            assertTrue(c.sharded());
            assertEquals(1, c.read("x").elementCount());
        }
        Files.writeString(two.resolve("b.safetensors.index.json"), "{\"weight_map\": {}}");
        assertTrue(assertThrows(TensorFormatException.class, () -> Checkpoint.open(two)).getMessage()
                .contains("holds several index files"));
        NoSuchFileException nf = assertThrows(NoSuchFileException.class, () -> Checkpoint.open(dir.resolve("nope.safetensors")));
        assertTrue(nf.getMessage().contains("nope.safetensors"));
    }

    @Test
    void closedCheckpointRefusesReads() throws IOException {
        writeShards();
        Checkpoint c = Checkpoint.open(dir);
        c.read(GATE + ".scales");
        c.close();
        c.close();
        assertThrows(IllegalStateException.class, () -> c.read(GATE + ".qweight"));
        try (Checkpoint again = Checkpoint.open(dir)) {
            TensorFormatException e = assertThrows(TensorFormatException.class, () -> again.read("nope"));
            assertEquals("nope", e.tensor());
            assertTrue(e.getMessage().contains("no such tensor in the checkpoint"), e.getMessage());
        }
    }
}
