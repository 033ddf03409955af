package io.pacq.quant;

import io.pacq.abi.Abi;
import io.pacq.tensor.DType;
import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFiles;
import io.pacq.tensor.TensorFormatException;
import io.pacq.tensor.TensorInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The quantized-weight interchange file: unpacked codes, scales and zero points in a safetensors
 * file, for other tools to produce and consume. Stateless and thread-safe.
 *
 * <pre>
 *   tensor  dtype  shape                     meaning
 *   qcodes  U8     [K, N]                    q[k][n], 0 &lt;= q &lt; 2^bits
 *   scales  F16    [K/g, ceil(N/gn)]         s, finite
 *   zeros   U8     [K/g, ceil(N/gn)]         z, 0 &lt;= z &lt; 2^bits; absent: symmetric, z = 2^(bits-1)
 *
 *   __metadata__: "bits": "2" | "4" | "8", "group_size": g (decimal), "group_cols": gn (optional, default 1)
 *
 *   w[k][n] ~= s[k/g][n/gn] * (q[k][n] - z[k/g][n/gn])
 * </pre>
 *
 * <p>Reading checks every tensor and metadata entry and reports the first problem as a
 * {@link TensorFormatException} naming the file, the tensor or metadata key and what was
 * expected. Other tensors in the file are an error (a misspelt "zeros" must not silently make the
 * weights symmetric); other metadata keys are ignored.
 */
public final class QuantizedFile {
    private QuantizedFile() {}

    /** Tensor of codes, U8 [K, N]. */
    public static final String QCODES = "qcodes";
    /** Tensor of scales, F16 [K/g, ceil(N/gn)]. */
    public static final String SCALES = "scales";
    /** Optional tensor of zero points, U8, the shape of scales. */
    public static final String ZEROS = "zeros";
    /** Metadata key: code width, "2", "4" or "8". */
    public static final String META_BITS = "bits";
    /** Metadata key: group size g along K. */
    public static final String META_GROUP_SIZE = "group_size";
    /** Optional metadata key: group width gn along N (default 1). */
    public static final String META_GROUP_COLS = "group_cols";

    /** Writes weights as an interchange file (group_cols is always written). */
    public static void write(Path file, QuantizedWeights w) throws IOException {
        long[] groupShape = {w.groupRows(), w.groupColumns()};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put(QCODES, Tensor.ofU8(new long[] {w.k(), w.n()}, w.codes()));
        tensors.put(SCALES, Tensor.ofF16(groupShape, w.scales()));
        if (!w.symmetric()) {
            tensors.put(ZEROS, Tensor.ofU8(groupShape, w.zeros()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(META_BITS, Integer.toString(w.bits()));
        meta.put(META_GROUP_SIZE, Integer.toString(w.groupSize()));
        meta.put(META_GROUP_COLS, Integer.toString(w.groupCols()));
        SafetensorsFile.write(file, tensors, meta);
    }

    /**
     * True when the file is a safetensors file holding a {@value #QCODES} tensor (the command line
     * uses this to tell interchange files from float weights). Reads the header only.
     */
    public static boolean isQuantizedFile(Path file) throws IOException {
        if (TensorFiles.detect(file) != TensorFiles.Format.SAFETENSORS) {
            return false;
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.contains(QCODES);
        }
    }

    /**
     * Reads and validates an interchange file.
     *
     * @throws TensorFormatException naming the tensor or metadata key at fault
     */
    public static QuantizedWeights read(Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (TensorInfo t : f.tensors()) {
                if (!Set.of(QCODES, SCALES, ZEROS).contains(t.name())) {
                    throw new TensorFormatException(file, t.name(), null, "unexpected tensor; an interchange file holds "
                            + QCODES + ", " + SCALES + " and optionally " + ZEROS);
                }
            }
            int bits = metaInt(f, META_BITS, null);
            if (bits != 2 && bits != 4 && bits != 8) {
                throw metaError(file, META_BITS, "is " + bits + "; expected 2, 4 or 8");
            }
            int g = metaInt(f, META_GROUP_SIZE, null);
            int gn = metaInt(f, META_GROUP_COLS, 1);

            TensorInfo q = require(f, QCODES, DType.U8);
            if (q.rank() != 2) {
                throw new TensorFormatException(file, QCODES, "shape", Arrays.toString(q.shape()) + ": expected [K, N]");
            }
            long k = q.shape()[0];
            long n = q.shape()[1];
            if (k < 1 || n < 1 || k > Abi.MAX_DIM || n > Abi.MAX_DIM) {
                throw new TensorFormatException(file, QCODES, "shape", Arrays.toString(q.shape())
                        + ": K and N must be within 1 .. " + Abi.MAX_DIM);
            }
            if (g <= 0 || g % Abi.GROUP_K_MULTIPLE != 0) {
                throw metaError(file, META_GROUP_SIZE, "is " + g + "; expected a positive multiple of "
                        + Abi.GROUP_K_MULTIPLE);
            }
            if (k % g != 0) {
                throw metaError(file, META_GROUP_SIZE, "is " + g + ", which does not divide K = " + k
                        + " (the rows of " + QCODES + ")");
            }
            if (gn < 1 || gn > Abi.MAX_GROUP_COLS || Integer.bitCount(gn) != 1) {
                throw metaError(file, META_GROUP_COLS, "is " + gn + "; expected a power of two from 1 to "
                        + Abi.MAX_GROUP_COLS);
            }
            long[] groupShape = {k / g, (n + gn - 1) / gn};
            String expect = Arrays.toString(groupShape) + " = [K/" + META_GROUP_SIZE + ", ceil(N/" + META_GROUP_COLS
                    + ")] for K = " + k + ", N = " + n + ", " + META_GROUP_SIZE + " = " + g + ", " + META_GROUP_COLS
                    + " = " + gn;
            TensorInfo s = require(f, SCALES, DType.F16);
            if (!Arrays.equals(s.shape(), groupShape)) {
                throw new TensorFormatException(file, SCALES, "shape", Arrays.toString(s.shape()) + ": expected " + expect);
            }
            boolean symmetric = !f.contains(ZEROS);
            if (!symmetric) {
                TensorInfo z = require(f, ZEROS, DType.U8);
                if (!Arrays.equals(z.shape(), groupShape)) {
                    throw new TensorFormatException(file, ZEROS, "shape", Arrays.toString(z.shape()) + ": expected "
                            + expect + " (the shape of " + SCALES + ")");
                }
            }
            byte[] codes = f.read(QCODES).toBytes();
            short[] scales = f.read(SCALES).toShorts();
            byte[] zeros = symmetric ? null : f.read(ZEROS).toBytes();
            try {
                return new QuantizedWeights((int) k, (int) n, bits, g, gn, codes, scales, zeros);
            } catch (IllegalArgumentException e) {
                // value checks (codes or zeros beyond 2^bits - 1, non-finite scales); the message names the element
                throw new TensorFormatException(file, null, null, e.getMessage(), e);
            }
        }
    }

    private static TensorInfo require(SafetensorsFile f, String name, DType dtype) throws TensorFormatException {
        if (!f.contains(name)) {
            throw new TensorFormatException(f.file(), name, null, "missing; an interchange file holds " + QCODES
                    + " (U8 [K, N]) and " + SCALES + " (F16 [K/g, ceil(N/gn)])");
        }
        TensorInfo t = f.info(name);
        if (!t.dtypeName().equals(dtype.safetensorsName())) {
            throw new TensorFormatException(f.file(), name, "dtype", "expected " + dtype.safetensorsName() + ", got "
                    + t.dtypeName());
        }
        return t;
    }

    private static int metaInt(SafetensorsFile f, String key, Integer absent) throws TensorFormatException {
        String v = f.metadata().get(key);
        if (v == null) {
            if (absent != null) {
                return absent;
            }
            throw metaError(f.file(), key, "missing; an interchange file's metadata holds " + META_BITS + ", "
                    + META_GROUP_SIZE + " and optionally " + META_GROUP_COLS);
        }
        if (!v.matches("[0-9]{1,9}")) {
            throw metaError(f.file(), key, "\"" + v + "\" is not a decimal integer");
        }
        return Integer.parseInt(v);
    }

    private static TensorFormatException metaError(Path file, String key, String problem) {
        return new TensorFormatException(file, null, SafetensorsFile.METADATA_KEY + "." + key, problem);
    }
}
