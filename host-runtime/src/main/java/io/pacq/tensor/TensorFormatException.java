package io.pacq.tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tensor file that is malformed, hostile, truncated or not what the caller asked for. The message
 * names the file, the tensor (when one is concerned), the field and what was expected, e.g.
 * {@code w.safetensors: tensor 'scales': dtype: expected F16, got F32}.
 */
public class TensorFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String tensor;
    private final String field;

    /**
     * @param file    the file concerned
     * @param tensor  the tensor name, or null when the problem concerns the whole file
     * @param field   the header field or part of the file (e.g. "dtype", "data_offsets", "header length"),
     *                or null
     * @param problem what is wrong and what was expected
     */
    public TensorFormatException(Path file, String tensor, String field, String problem) {
        this(file, tensor, field, problem, null);
    }

    /** As {@link #TensorFormatException(Path, String, String, String)}, with the underlying cause (may be null). */
    public TensorFormatException(Path file, String tensor, String field, String problem, Throwable cause) {
        super(format(file, tensor, field, problem), cause);
        this.file = file;
        this.tensor = tensor;
        this.field = field;
    }

    private static String format(Path file, String tensor, String field, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file);
        if (tensor != null) {
            sb.append(": tensor '").append(tensor).append('\'');
        }
        if (field != null) {
            sb.append(": ").append(field);
        }
        return sb.append(": ").append(problem).toString();
    }

    /** The file concerned. */
    public Path file() { return file; }

    /** The tensor concerned, or null. */
    public String tensor() { return tensor; }

    /** The field concerned, or null. */
    public String field() { return field; }
}
