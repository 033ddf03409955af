package io.pacq.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFormatException;
import io.pacq.tensor.TensorInfo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tensors of a model checkpoint, in one safetensors file or sharded over several with a
 * Hugging Face index, found by name without reading anything but headers until a tensor is asked
 * for. Thread-safe; {@link #close} closes every shard opened.
 *
 * <pre>
 *   model.safetensors                      one file: every tensor in it
 *   model.safetensors.index.json           sharded: { "metadata": {...},
 *   model-00001-of-00002.safetensors                  "weight_map": { "tensor name": "shard file", ... } }
 *   model-00002-of-00002.safetensors       shard names are relative to the index's directory
 * </pre>
 *
 * <p>{@link #open} takes a {@code .safetensors} file, a {@code *.safetensors.index.json} file or a
 * directory holding exactly one of either (an index wins over the shards it lists). Shards are
 * opened when one of their tensors is first asked for; the index's claim that a shard holds a
 * tensor is checked then, and a shard that does not is an error naming the index, the shard and
 * the tensor.
 *
 * <p>The quantization settings beside the weights ({@value #QUANTIZE_CONFIG}, or else the
 * "quantization_config" of {@value #MODEL_CONFIG}) are read at open, see {@link #quantizationConfig()}.
 */
public final class Checkpoint implements AutoCloseable {
    /** Suffix of a sharded checkpoint's index file. */
    public static final String INDEX_SUFFIX = ".safetensors.index.json";
    /** AutoGPTQ's quantization settings, beside the weights. */
    public static final String QUANTIZE_CONFIG = "quantize_config.json";
    /** A Hugging Face model configuration, whose "quantization_config" holds the settings. */
    public static final String MODEL_CONFIG = "config.json";
    /** Largest index (or configuration) file read, in bytes (a 400-billion-parameter model's index is a few MiB). */
    static final long MAX_INDEX_BYTES = 64L << 20;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(40).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path path;
    /** Tensor name to shard path; sorted so listings and suggestions are stable. */
    private final SortedMap<String, Path> where;
    /** Open shards; guarded by itself. */
    private final Map<Path, SafetensorsFile> open = new HashMap<>();
    private final boolean sharded;
    private final Path configFile;
    private final Map<String, String> config;
    private boolean closed;

    private Checkpoint(Path path, SortedMap<String, Path> where, boolean sharded, SafetensorsFile single,
                       Path configFile, Map<String, String> config) {
        this.path = path;
        this.where = Collections.unmodifiableSortedMap(where);
        this.sharded = sharded;
        this.configFile = configFile;
        this.config = config;
        if (single != null) {
            open.put(single.file(), single);
        }
    }

    /**
     * Opens a checkpoint: a safetensors file, an index file, or a directory holding one of either.
     * The caller owns the result and must close it.
     *
     * @throws NoSuchFileException   naming the path when it does not exist
     * @throws TensorFormatException when the file, the index or the directory is not a checkpoint
     */
    public static Checkpoint open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return open(pickInDirectory(path));
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        String name = String.valueOf(path.getFileName());
        Path dir = path.toAbsolutePath().getParent();
        Path cfgFile = null;
        for (String candidate : new String[] {QUANTIZE_CONFIG, MODEL_CONFIG}) {
            if (Files.isRegularFile(dir.resolve(candidate))) {
                cfgFile = dir.resolve(candidate);
                break;
            }
        }
        Map<String, String> cfg = cfgFile == null ? Map.of() : readQuantizationConfig(cfgFile);
        if (name.endsWith(".json")) {
            return new Checkpoint(path, readIndex(path), true, null, cfgFile, cfg);
        }
        SafetensorsFile f = SafetensorsFile.open(path);
        SortedMap<String, Path> where = new TreeMap<>();
        for (TensorInfo t : f.tensors()) {
            where.put(t.name(), f.file());
        }
        return new Checkpoint(path, where, false, f, cfgFile, cfg);
    }

    /**
     * The scalar entries of AutoGPTQ's quantize_config.json (the whole object), or of config.json's
     * "quantization_config" object (Hugging Face transformers); numbers and booleans as their JSON
     * text. Nested values are skipped. A config.json without "quantization_config" gives an empty map.
     */
    private static Map<String, String> readQuantizationConfig(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_INDEX_BYTES) {
            throw new TensorFormatException(file, null, null, "configuration of " + size + " bytes exceeds the limit of "
                    + MAX_INDEX_BYTES + " bytes");
        }
        boolean whole = String.valueOf(file.getFileName()).equals(QUANTIZE_CONFIG);
        Map<String, String> out = new TreeMap<>();
        try (JsonParser p = JSON.createParser(Files.readAllBytes(file))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TensorFormatException(file, null, null, "expected a JSON object");
            }
            if (whole) {
                readScalars(p, out);
            } else {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken v = p.nextToken();
                    if (key.equals("quantization_config") && v == JsonToken.START_OBJECT) {
                        readScalars(p, out);
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new TensorFormatException(file, null, null, "invalid JSON: " + e.getOriginalMessage(), e);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Reads the fields of the object whose START_OBJECT was just read, keeping scalars. */
    private static void readScalars(JsonParser p, Map<String, String> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v.isScalarValue() && v != JsonToken.VALUE_NULL) {
                out.put(key, p.getText());
            } else {
                p.skipChildren();
            }
        }
    }

    /**
     * The quantization settings found beside the checkpoint: AutoGPTQ's {@value #QUANTIZE_CONFIG}
     * or the "quantization_config" of {@value #MODEL_CONFIG} (e.g. {@code quant_method},
     * {@code bits}, {@code group_size}, {@code checkpoint_format}, {@code version}), scalar values
     * as their JSON text; empty when there is none. {@link CheckpointImporter} checks layers
     * against it.
     */
    public Map<String, String> quantizationConfig() { return config; }

    /** The file {@link #quantizationConfig()} was read from, or null. */
    public Path quantizationConfigFile() { return configFile; }

    private static Path pickInDirectory(Path dir) throws IOException {
        List<Path> indexes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = String.valueOf(p.getFileName());
                if (n.endsWith(INDEX_SUFFIX)) {
                    indexes.add(p);
                } else if (n.endsWith(".safetensors")) {
                    files.add(p);
                }
            }
        }
        Collections.sort(indexes);
        Collections.sort(files);
        if (indexes.size() == 1) {
            return indexes.get(0);
        }
        if (indexes.size() > 1) {
            throw new TensorFormatException(dir, null, null, "holds several index files " + names(indexes)
                    + "; name the one to use");
        }
        if (files.size() == 1) {
            return files.get(0);
        }
        throw new TensorFormatException(dir, null, null, files.isEmpty()
                ? "holds no .safetensors file and no *" + INDEX_SUFFIX + " index"
                : "holds several .safetensors files " + names(files) + " and no *" + INDEX_SUFFIX
                        + " index; name the file to use");
    }

    private static String names(List<Path> paths) {
        List<String> out = new ArrayList<>();
        for (Path p : paths) {
            out.add(String.valueOf(p.getFileName()));
        }
        return out.toString();
    }

    /** Parses a Hugging Face index: "weight_map" maps tensor names to shard files beside the index. */
    private static SortedMap<String, Path> readIndex(Path index) throws IOException {
        long size = Files.size(index);
        if (size > MAX_INDEX_BYTES) {
            throw new TensorFormatException(index, null, null, "index of " + size + " bytes exceeds the limit of "
                    + MAX_INDEX_BYTES + " bytes");
        }
        byte[] json = Files.readAllBytes(index);
        Path dir = index.toAbsolutePath().getParent();
        SortedMap<String, Path> where = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TensorFormatException(index, null, null, "expected a JSON object with a \"weight_map\"");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (!key.equals("weight_map")) {
                    p.skipChildren();       // "metadata" and anything else: not needed
                    continue;
                }
                if (v != JsonToken.START_OBJECT) {
                    throw new TensorFormatException(index, null, "weight_map", "expected an object mapping tensor names"
                            + " to shard files, got " + v.asString());
                }
                where = new TreeMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String tensor = p.currentName();
                    if (p.nextToken() != JsonToken.VALUE_STRING) {
                        throw new TensorFormatException(index, null, "weight_map." + tensor,
                                "expected a shard file name (a string), got " + p.currentToken().asString());
                    }
                    where.put(tensor, shardPath(index, dir, tensor, p.getText()));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new TensorFormatException(index, null, null, "unexpected content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new TensorFormatException(index, null, null, "invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (where == null) {
            throw new TensorFormatException(index, null, "weight_map", "missing; a sharded checkpoint's index maps"
                    + " every tensor name to the shard file holding it");
        }
        return where;
    }

    /** A shard named by the index: a relative path that stays inside the index's directory. */
    private static Path shardPath(Path index, Path dir, String tensor, String shard) throws TensorFormatException {
        Path rel;
        try {
            rel = Path.of(shard);
        } catch (java.nio.file.InvalidPathException e) {
            throw new TensorFormatException(index, null, "weight_map." + tensor, "\"" + shard + "\" is not a file name", e);
        }
        Path resolved = dir.resolve(rel).normalize();
        if (shard.isEmpty() || rel.isAbsolute() || !resolved.startsWith(dir) || resolved.equals(dir)) {
            throw new TensorFormatException(index, null, "weight_map." + tensor, "\"" + shard
                    + "\" must name a file in the index's directory");
        }
        return resolved;
    }

    /** The path this was opened from (a file or an index; a directory is resolved to one of them). */
    public Path path() { return path; }

    /** True when the checkpoint is sharded (opened through an index). */
    public boolean sharded() { return sharded; }

    /** Every tensor name, sorted. */
    public SortedSet<String> names() { return Collections.unmodifiableSortedSet(new TreeSet<>(where.keySet())); }

    /** True when the checkpoint has a tensor of this name. */
    public boolean contains(String name) { return where.containsKey(name); }

    /**
     * The file holding a tensor (the shard, for a sharded checkpoint), or {@link #path()} for a
     * name the checkpoint does not have; used to name files in messages.
     */
    public Path fileOf(String name) {
        return where.getOrDefault(name, path);
    }

    /**
     * The header entry of a tensor (opens its shard if needed).
     *
     * @throws TensorFormatException naming the checkpoint when there is no such tensor, or the
     *                               index and the shard when the shard does not hold it
     */
    public TensorInfo info(String name) throws IOException {
        return shard(name).info(name);
    }

    /** Reads one tensor. Thread-safe. */
    public Tensor read(String name) throws IOException {
        return shard(name).read(name);
    }

    /**
     * The prefixes of every quantized layer, i.e. of every tensor named {@code <prefix>.qweight},
     * sorted.
     */
    public List<String> quantizedLayers() {
        List<String> out = new ArrayList<>();
        for (String n : where.keySet()) {
            if (n.endsWith(".qweight")) {
                out.add(n.substring(0, n.length() - ".qweight".length()));
            }
        }
        return out;
    }

    private SafetensorsFile shard(String name) throws IOException {
        Path file = where.get(name);
        if (file == null) {
            throw new TensorFormatException(path, name, null, "no such tensor in the checkpoint");
        }
        synchronized (open) {
            if (closed) {
                throw new IllegalStateException(path + ": checkpoint is closed");
            }
            SafetensorsFile f = open.get(file);
            if (f == null) {
                try {
                    f = SafetensorsFile.open(file);
                } catch (NoSuchFileException e) {
                    NoSuchFileException clear = new NoSuchFileException(file.toString(), null,
                            "no such file (shard named by " + path + " for tensor '" + name + "')");
                    clear.initCause(e);
                    throw clear;
                }
                open.put(file, f);
            }
            if (!f.contains(name)) {
                throw new TensorFormatException(path, name, "weight_map", "the index names shard "
                        + file.getFileName() + ", which does not hold this tensor");
            }
            return f;
        }
    }

    /** Closes every open shard. Idempotent. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        synchronized (open) {
            closed = true;
            for (SafetensorsFile f : open.values()) {
                try {
                    f.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            open.clear();
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "Checkpoint[" + path + ", " + where.size() + " tensors" + (sharded ? ", sharded" : "") + "]";
    }
}
