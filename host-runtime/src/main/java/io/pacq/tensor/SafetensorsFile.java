package io.pacq.tensor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A safetensors file opened for reading: the header is parsed and checked at {@link #open}, tensors
 * are read one at a time with positional reads, so listing a file or reading one tensor never
 * touches the others. Thread-safe after open (positional reads do not share a file position);
 * {@link #close} releases the file.
 *
 * <pre>
 *   offset 0       8                      8 + n                                  file size
 *          | u64 n | header: n bytes JSON  | data section: tensors' bytes, no gaps |
 *            (LE)    (UTF-8, may be padded
 *                     with trailing spaces)
 *
 *   header = { "__metadata__": { "key": "string value", ... },          (optional)
 *              "name": { "dtype": "F16", "shape": [K, N], "data_offsets": [begin, end] }, ... }
 *   data_offsets are relative to the data section; end - begin = product(shape) * dtype size.
 * </pre>
 *
 * <p>Checks made before anything is allocated from a header value (a hostile file cannot make the
 * reader allocate more than the file holds, nor crash it): the header length is at most
 * {@link #MAX_HEADER_BYTES} and within the file; the JSON is well-formed, without duplicate keys,
 * nested at most a few levels; every dtype is known; shapes are non-negative integers whose byte
 * size is computed without overflow and equals end - begin; the tensors' byte ranges, sorted,
 * start at 0, touch without gaps or overlaps and end exactly at the end of the file (the rules of
 * the reference implementation).
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Largest accepted header, in bytes (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The header key of the string-to-string metadata map. */
    public static final String METADATA_KEY = "__metadata__";

    /** Element sizes of every dtype the format defines; used to validate tensors PacQ does not read. */
    private static final Map<String, Integer> KNOWN_SIZES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E8M0", 1), Map.entry("I16", 2), Map.entry("U16", 2),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("F32", 4), Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8),
            Map.entry("C64", 8));

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)          // {tensor: {shape: [..]}} needs 3
                    .maxNumberLength(40)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path file;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, FileChannel channel, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens and validates a file. The caller owns the result and must close it.
     *
     * @throws java.nio.file.NoSuchFileException naming the path when it does not exist
     * @throws TensorFormatException             when the file is not a valid safetensors file
     */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel ch = FileIo.openRead(file);
        try {
            long size = ch.size();
            if (size < 8) {
                throw new TensorFormatException(file, null, "header length", "file has " + size
                        + " bytes; a safetensors file starts with an 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.wrap(FileIo.readFully(ch, file, null, 0, 8)).order(ByteOrder.LITTLE_ENDIAN);
            long n = lenBuf.getLong();
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new TensorFormatException(file, null, "header length", Long.toUnsignedString(n)
                        + " bytes exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            if (n > size - 8) {
                throw new TensorFormatException(file, null, "header length", n + " bytes exceeds the "
                        + (size - 8) + " bytes that follow it in the file (truncated file?)");
            }
            if (n < 2) {
                throw new TensorFormatException(file, null, "header length", n
                        + " bytes is too small for a JSON object");
            }
            byte[] header = FileIo.readFully(ch, file, null, 8, (int) n);
            long dataStart = 8 + n;
            Header h = parseHeader(file, header, dataStart, size - dataStart);
            return new SafetensorsFile(file, ch, h.tensors, h.metadata);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Opens a file, reads every tensor of a supported type, closes it. Header order is kept. */
    public static Map<String, Tensor> readAll(Path file) throws IOException {
        try (SafetensorsFile f = open(file)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (TensorInfo t : f.tensors()) {
                out.put(t.name(), f.read(t.name()));
            }
            return out;
        }
    }

    private record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata) {}

    private static Header parseHeader(Path file, byte[] header, long dataStart, long dataLength)
            throws TensorFormatException {
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        try (JsonParser p = JSON.createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TensorFormatException(file, null, "header", "expected a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (key.equals(METADATA_KEY)) {
                    metadata = parseMetadata(file, p);
                } else {
                    tensors.put(key, parseTensor(file, key, p, dataStart, dataLength));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new TensorFormatException(file, null, "header", "expected a JSON object");
            }
            if (p.nextToken() != null) {
                throw new TensorFormatException(file, null, "header", "unexpected content after the JSON object at byte "
                        + (8 + p.currentLocation().getByteOffset()) + " (only trailing spaces are allowed)");
            }
        } catch (TensorFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (at byte " + (8 + e.getLocation().getByteOffset()) + " of the file)";
            throw new TensorFormatException(file, null, "header", "invalid JSON: " + e.getOriginalMessage() + where, e);
        } catch (IOException e) {
            throw new TensorFormatException(file, null, "header", "unreadable JSON: " + e.getMessage(), e);
        }
        checkCoverage(file, tensors, dataStart, dataLength);
        return new Header(Collections.unmodifiableMap(tensors), metadata);
    }

    private static Map<String, String> parseMetadata(Path file, JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new TensorFormatException(file, null, METADATA_KEY, "expected an object of string values, got "
                    + p.currentToken().asString());
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new TensorFormatException(file, null, METADATA_KEY + "." + key, "expected a string value, got "
                        + describe(p));
            }
            out.put(key, p.getText());
        }
        return Collections.unmodifiableMap(out);
    }

    private static TensorInfo parseTensor(Path file, String name, JsonParser p, long dataStart, long dataLength)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new TensorFormatException(file, name, null, "expected an object with dtype, shape and data_offsets, got "
                    + describe(p));
        }
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "dtype" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw new TensorFormatException(file, name, "dtype", "expected a string, got " + describe(p));
                    }
                    dtype = p.getText();
                }
                case "shape" -> shape = parseInts(file, name, "shape", p, Tensor.MAX_RANK);
                case "data_offsets" -> offsets = parseInts(file, name, "data_offsets", p, 2);
                default -> p.skipChildren();   // unknown keys are ignored, as the reference implementation does
            }
        }
        if (dtype == null) {
            throw new TensorFormatException(file, name, "dtype", "missing");
        }
        if (shape == null) {
            throw new TensorFormatException(file, name, "shape", "missing");
        }
        if (offsets == null) {
            throw new TensorFormatException(file, name, "data_offsets", "missing");
        }
        Integer size = KNOWN_SIZES.get(dtype);
        if (size == null) {
            throw new TensorFormatException(file, name, "dtype", "unknown dtype \"" + dtype + "\"; expected one of "
                    + KNOWN_SIZES.keySet().stream().sorted().collect(Collectors.joining(", ")));
        }
        if (offsets.length != 2) {
            throw new TensorFormatException(file, name, "data_offsets", "expected [begin, end], got "
                    + offsets.length + " values");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new TensorFormatException(file, name, "data_offsets", Arrays.toString(offsets)
                    + ": end is before begin");
        }
        if (end > dataLength) {
            throw new TensorFormatException(file, name, "data_offsets", Arrays.toString(offsets)
                    + " reaches beyond the data section, which has " + dataLength + " bytes (truncated file?)");
        }
        long count = 1;
        for (long d : shape) {
            count = Tensor.mulOrMax(count, d);
        }
        long bytes = Tensor.mulOrMax(count, size);
        if (bytes != end - begin) {
            throw new TensorFormatException(file, name, "data_offsets", Arrays.toString(offsets) + " span "
                    + (end - begin) + " bytes, but " + dtype + " " + Arrays.toString(shape) + " needs "
                    + (bytes == Long.MAX_VALUE ? "more than 2^63" : Long.toString(bytes)) + " bytes");
        }
        return new TensorInfo(name, dtype, size, shape, dataStart + begin, bytes);
    }

    /** A JSON array of non-negative integers that fit a long, at most max of them. */
    private static long[] parseInts(Path file, String name, String field, JsonParser p, int max) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new TensorFormatException(file, name, field, "expected an array of integers, got " + describe(p));
        }
        long[] out = new long[Math.min(max, 4)];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new TensorFormatException(file, name, field, "expected a non-negative integer, got " + describe(p));
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new TensorFormatException(file, name, field, p.getText() + " is too large");
            }
            long v = p.getLongValue();
            if (v < 0) {
                throw new TensorFormatException(file, name, field, v + " is negative");
            }
            if (n == max) {
                throw new TensorFormatException(file, name, field, "more than " + max + " values");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, Math.min(max, 2 * n));
            }
            out[n++] = v;
        }
        return Arrays.copyOf(out, n);
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case VALUE_STRING -> "\"" + p.getText() + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> p.getText();
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.toString();
        };
    }

    /** The tensors' byte ranges must tile the data section exactly: no gap, no overlap, no tail. */
    private static void checkCoverage(Path file, Map<String, TensorInfo> tensors, long dataStart, long dataLength)
            throws TensorFormatException {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::fileOffset).thenComparingLong(TensorInfo::byteLength));
        long expected = 0;
        String previous = null;
        for (TensorInfo t : sorted) {
            long begin = t.fileOffset() - dataStart;
            if (begin != expected) {
                String where = previous == null ? "the data section starts at 0"
                        : "tensor '" + previous + "' ends at " + expected;
                throw new TensorFormatException(file, t.name(), "data_offsets", "begins at " + begin + " but " + where
                        + (begin < expected ? " (overlapping tensors)" : " (gap between tensors)"));
            }
            expected = begin + t.byteLength();
            previous = t.name();
        }
        if (expected != dataLength) {
            throw new TensorFormatException(file, null, "data section", "has " + dataLength
                    + " bytes, but the tensors cover " + expected + " (trailing bytes belong to no tensor)");
        }
    }

    /** The file this was opened from. */
    public Path file() { return file; }

    /** Every tensor, in header order. */
    public List<TensorInfo> tensors() { return List.copyOf(tensors.values()); }

    /** True when the file holds a tensor of this name. */
    public boolean contains(String name) { return tensors.containsKey(name); }

    /** The "__metadata__" map (empty when absent). */
    public Map<String, String> metadata() { return metadata; }

    /**
     * The header entry of one tensor.
     *
     * @throws TensorFormatException naming the tensors present when there is none of this name
     */
    public TensorInfo info(String name) throws TensorFormatException {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new TensorFormatException(file, name, null, "no such tensor; the file holds " + listing(tensors.values()));
        }
        return t;
    }

    /** "a: F16 [2, 3], b: U8 [4]" (at most 20 entries) for messages. */
    static String listing(java.util.Collection<TensorInfo> infos) {
        if (infos.isEmpty()) {
            return "no tensors";
        }
        String s = infos.stream().limit(20).map(TensorInfo::toString).collect(Collectors.joining(", "));
        return infos.size() > 20 ? s + ", ... (" + infos.size() + " tensors)" : s;
    }

    /**
     * Reads one tensor.
     *
     * @throws TensorFormatException when there is no such tensor, its dtype is not one of
     *                               {@link DType}, or it exceeds {@link Tensor#MAX_BYTES}
     */
    public Tensor read(String name) throws IOException {
        TensorInfo t = info(name);
        DType dtype = t.dtype().orElseThrow(() -> new TensorFormatException(file, name, "dtype", t.dtypeName()
                + " is not supported; expected one of " + Arrays.toString(DType.values())));
        if (t.byteLength() > Tensor.MAX_BYTES) {
            throw new TensorFormatException(file, name, "shape", Arrays.toString(t.shape()) + " has " + t.byteLength()
                    + " bytes, more than the " + Tensor.MAX_BYTES + " one tensor may hold");
        }
        byte[] data = FileIo.readFully(channel, file, name, t.fileOffset(), (int) t.byteLength());
        return Tensor.wrap(dtype, t.shape(), data);
    }

    /** Closes the file. Idempotent. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * Writes a safetensors file: tensors in the map's iteration order, contiguous, the header
     * padded with spaces so the data section starts at a multiple of 8 bytes. The file is written
     * to a temporary sibling and renamed into place.
     *
     * @param tensors   name to tensor; names must not be {@value #METADATA_KEY}
     * @param metadata  the "__metadata__" map, or null/empty for none
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        List<ByteBuffer> parts = new ArrayList<>();
        parts.add(null);   // header, filled in below
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            if (metadata != null && !metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA_KEY);
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                String name = e.getKey();
                if (name == null || name.equals(METADATA_KEY)) {
                    throw new IllegalArgumentException("invalid tensor name " + name);
                }
                Tensor t = e.getValue();
                g.writeObjectFieldStart(name);
                g.writeStringField("dtype", t.dtype().safetensorsName());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + t.byteSize());
                g.writeEndArray();
                g.writeEndObject();
                offset += t.byteSize();
                parts.add(ByteBuffer.wrap(t.bytesView()));
            }
            g.writeEndObject();
        }
        byte[] h = json.toByteArray();
        int padded = (h.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(h);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        parts.set(0, head);
        FileIo.writeAtomically(file, parts.toArray(ByteBuffer[]::new));
    }
}
