package io.pacq.checkpoint;

import io.pacq.abi.Abi;
import io.pacq.fp.Fp16;
import io.pacq.quant.QuantizedWeights;
import io.pacq.tensor.DType;
import io.pacq.tensor.TensorFormatException;
import io.pacq.tensor.TensorInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Converts one quantized layer of a GPTQ or AWQ checkpoint to PacQ {@link QuantizedWeights},
 * exactly: every code, scale and zero point is carried over unchanged (GPTQ's stored zeros get
 * their +1), so a GEMM on the result computes with the very numbers the checkpoint holds.
 * Stateless and thread-safe.
 *
 * <pre>
 *   GPTQ (AutoGPTQ v1), b = 2, 4, 8, P = 32/b codes per word:
 *     P.qweight I32 [K*b/32, N]   word [r][n], bits b*j .. b*j+b-1 = q[r*P + j][n]     (packed along K)
 *     P.qzeros  I32 [K/g, N*b/32] word [G][c], bits b*j .. b*j+b-1 = z[G][c*P + j] - 1 (packed along N)
 *     P.scales  F16 [K/g, N]
 *     P.g_idx   I32 [K]           optional: the group of each row k (k / g unless act-order)
 *
 *   AWQ (AutoAWQ GEMM), b = 4:
 *     P.qweight I32 [K, N/8]      word [k][c], bits 4*i .. 4*i+3 = q[k][8c + ORDER[i]], ORDER = 0 2 4 6 1 3 5 7
 *     P.qzeros  I32 [K/g, N/8]    the same order, z stored as is
 *     P.scales  F16 [K/g, N]
 *
 *   both: w[k][n] = s[G][n] * (q[k][n] - z[G][n]), G = group of row k
 * </pre>
 *
 * <p>The number of bits is read from the shapes (the columns of {@code qzeros}, with {@code g_idx}
 * when N alone cannot tell), or given. The group size is K / rows of {@code scales}; PacQ needs it
 * to be a multiple of {@value io.pacq.abi.Abi#GROUP_K_MULTIPLE}. N need not be a multiple of the
 * codes per word: a partly filled last word of {@code qzeros} (or of an AWQ {@code qweight} row)
 * is accepted and its unused bits ignored.
 *
 * <p><b>Act-order.</b> A GPTQ {@code g_idx} other than k / g (act-order, "desc_act") scatters each
 * group over the rows. The importer accepts it when every group has exactly g rows, sorts the rows
 * by group (stably, so rows keep their order inside a group) and returns the permutation with the
 * weights: the activations' columns must be permuted with it ({@link
 * ImportedWeights#permuteActivations}). A {@code g_idx} with groups of unequal sizes is an error.
 *
 * <p><b>Symmetric layers.</b> When every zero point is 2^(b-1) (GPTQ's {@code sym=True}), the
 * weights are returned symmetric (no zero-point array): the same numbers, smaller on the device.
 *
 * <p><b>Settings.</b> When the checkpoint has quantization settings beside it ({@link
 * Checkpoint#quantizationConfig()}), they are checked: {@code quant_method} must be the format
 * asked for, a GPTQ {@code checkpoint_format} must be {@code gptq} (v1; {@code gptq_v2} stores zero
 * points differently and is refused), an AWQ {@code version} must be {@code gemm}; {@code bits}
 * gives the width (and must agree with one given); {@code group_size} must be the group size the
 * shapes give (which catches a short last group that equal-sized groups would hide).
 *
 * <p>Every problem is a {@link TensorFormatException} naming the file and the tensor: a missing
 * tensor (with the layers the checkpoint does have), a wrong dtype or shape (with the expected
 * shape worked out, and a hint when the layout is the other format's), unsupported bits (3-bit
 * GPTQ, non-4-bit AWQ), a group size PacQ cannot run, a non-finite scale, or a GPTQ stored zero of
 * 2^b - 1 (a real zero point of 2^b, outside PacQ's range).
 */
public final class CheckpointImporter {
    private CheckpointImporter() {}

    /** Suffix of the packed codes. */
    public static final String QWEIGHT = "qweight";
    /** Suffix of the packed zero points. */
    public static final String QZEROS = "qzeros";
    /** Suffix of the scales. */
    public static final String SCALES = "scales";
    /** Suffix of GPTQ's optional group index. */
    public static final String G_IDX = "g_idx";

    /** AWQ's nibble order: nibble i of a word holds column 8c + AWQ_ORDER[i]. */
    static final int[] AWQ_ORDER = {0, 2, 4, 6, 1, 3, 5, 7};
    /** The inverse: column 8c + j sits in nibble AWQ_NIBBLE[j]. */
    static final int[] AWQ_NIBBLE = inverse(AWQ_ORDER);

    /** Opens the checkpoint at path (file, index or directory), imports one layer, closes it. */
    public static ImportedWeights importLayer(Path checkpoint, CheckpointFormat format, String prefix, int bits)
            throws IOException {
        try (Checkpoint c = Checkpoint.open(checkpoint)) {
            return importLayer(c, format, prefix, bits);
        }
    }

    /** {@link #importLayer(Checkpoint, CheckpointFormat, String, int)} with the bits read from the shapes. */
    public static ImportedWeights importLayer(Checkpoint checkpoint, CheckpointFormat format, String prefix)
            throws IOException {
        return importLayer(checkpoint, format, prefix, 0);
    }

    /**
     * Imports the layer whose tensors are named {@code prefix.qweight}, {@code prefix.qzeros},
     * {@code prefix.scales} (and {@code prefix.g_idx} for GPTQ).
     *
     * @param bits 2, 4 or 8; 0 to read it from the shapes
     * @throws TensorFormatException naming the tensor at fault
     * @throws IllegalArgumentException when bits is not 0, 2, 4 or 8
     */
    public static ImportedWeights importLayer(Checkpoint checkpoint, CheckpointFormat format, String prefix, int bits)
            throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(prefix, "prefix");
        if (bits != 0 && bits != 2 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("bits must be 2, 4 or 8 (or 0: read from the shapes), got " + bits);
        }
        Layer l = new Layer(checkpoint, format, prefix);
        l.requireQuantized();
        int b = l.checkConfig(bits);
        ImportedWeights out = format == CheckpointFormat.GPTQ ? gptq(l, b) : awq(l, b);
        l.checkConfigGroupSize(out.weights());
        return out;
    }

    // ---------------------------------------------------------------- GPTQ

    private static ImportedWeights gptq(Layer l, int givenBits) throws IOException {
        TensorInfo qw = l.require(QWEIGHT, DType.I32, 2, "[K*b/32, N]");
        TensorInfo qz = l.require(QZEROS, DType.I32, 2, "[K/g, N*b/32]");
        TensorInfo sc = l.require(SCALES, DType.F16, 2, "[K/g, N]");
        TensorInfo gi = l.c.contains(l.name(G_IDX)) ? l.require(G_IDX, DType.I32, 1, "[K]") : null;
        long n = sc.shape()[1];
        long groups = sc.shape()[0];
        l.checkNonEmpty(sc);
        long rows = qw.shape()[0];
        if (qw.shape()[1] != n) {
            String hint = qw.shape()[1] == ceilDiv(n * 4, 32)
                    ? " (qweight [K, N/8] is the AWQ GEMM layout: is this an AWQ checkpoint?)" : "";
            throw l.error(QWEIGHT, "shape", Arrays.toString(qw.shape()) + ": expected [K*b/32, N] with N = " + n
                    + " (the columns of " + l.name(SCALES) + ")" + hint);
        }
        if (qz.shape()[0] != groups) {
            throw l.error(QZEROS, "shape", Arrays.toString(qz.shape()) + ": expected " + groups
                    + " rows, one per group (the rows of " + l.name(SCALES) + ")");
        }
        long zcols = qz.shape()[1];
        int b = givenBits != 0 ? givenBits : inferGptqBits(l, rows, n, zcols, gi);
        if (b == 3) {
            throw l.error(QWEIGHT, null, "3-bit GPTQ layers are not supported: PacQ computes with 2-, 4- and 8-bit"
                    + " codes (the shapes " + Arrays.toString(qw.shape()) + " and " + l.name(QZEROS) + " "
                    + Arrays.toString(qz.shape()) + " are those of 3-bit codes)");
        }
        if (zcols != ceilDiv(n * b, 32)) {
            throw l.error(QZEROS, "shape", Arrays.toString(qz.shape()) + ": expected [" + groups + ", "
                    + ceilDiv(n * b, 32) + "] = [K/g, N*" + b + "/32] for " + b + "-bit codes and N = " + n + l.bitsFrom);
        }
        int per = 32 / b;
        long k = rows * per;
        if (gi != null && gi.shape()[0] != k) {
            throw l.error(G_IDX, "shape", Arrays.toString(gi.shape()) + ": expected [K] with K = " + k
                    + " (the " + rows + " rows of " + l.name(QWEIGHT) + " hold " + per + " " + b + "-bit codes each)"
                    + l.bitsFrom);
        }
        int g = l.groupSize(k, n, groups);

        int nn = (int) n;
        int kk = (int) k;
        int mask = (1 << b) - 1;
        int[] words = l.c.read(l.name(QWEIGHT)).toInts();
        byte[] codes = new byte[kk * nn];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < per; j++) {
                int out = (r * per + j) * nn;
                int shift = b * j;
                for (int c = 0; c < nn; c++) {
                    codes[out + c] = (byte) ((words[r * nn + c] >>> shift) & mask);
                }
            }
        }
        words = null;
        int[] zw = l.c.read(l.name(QZEROS)).toInts();
        byte[] zeros = new byte[(int) groups * nn];
        int zc = (int) zcols;
        for (int gr = 0; gr < groups; gr++) {
            for (int c = 0; c < nn; c++) {
                int stored = (zw[gr * zc + c / per] >>> (b * (c % per))) & mask;
                if (stored == mask) {
                    throw l.error(QZEROS, null, "the zero point of group " + gr + ", column " + c + " (word [" + gr
                            + "][" + (c / per) + "], bits " + (b * (c % per)) + ".." + (b * (c % per) + b - 1)
                            + ") is stored as " + stored + ", i.e. a real zero point of " + (stored + 1)
                            + " (GPTQ stores the zero point minus one), beyond the " + b + "-bit range 0 .. " + mask
                            + " that PacQ computes with; such values come from quantizers that stored a zero point"
                            + " of 0 as -1, and the layer cannot be represented exactly");
                }
                zeros[gr * nn + c] = (byte) (stored + 1);
            }
        }
        short[] scales = l.scales();

        int[] perm = null;
        if (gi != null) {
            perm = actOrder(l, l.c.read(l.name(G_IDX)).toInts(), (int) groups, g);
            if (perm != null) {
                byte[] sorted = new byte[codes.length];
                for (int i = 0; i < kk; i++) {
                    System.arraycopy(codes, perm[i] * nn, sorted, i * nn, nn);
                }
                codes = sorted;
            }
        }
        return l.result(kk, nn, b, g, codes, scales, zeros, perm);
    }

    /** The bit widths the shapes allow; exactly one must remain. */
    private static int inferGptqBits(Layer l, long rows, long n, long zcols, TensorInfo gi)
            throws TensorFormatException {
        List<Integer> fit = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int b : new int[] {2, 3, 4, 8}) {
            boolean zerosFit = zcols == ceilDiv(n * b, 32);
            boolean rowsFit = gi == null || rows * 32 == gi.shape()[0] * b;
            if (zerosFit && rowsFit) {
                fit.add(b);
            }
            expected.append(expected.length() == 0 ? "" : ", ").append(ceilDiv(n * b, 32)).append(" for ")
                    .append(b).append("-bit");
        }
        if (fit.size() == 1) {
            return fit.get(0);
        }
        if (fit.isEmpty()) {
            throw l.error(QZEROS, "shape", zcols + " columns fit no bit width: for N = " + n + " expected N*b/32 columns: " + expected
                    + (gi != null ? " (with K = " + gi.shape()[0] + " from " + l.name(G_IDX) + " and "
                    + rows + " rows of " + l.name(QWEIGHT) + ")" : ""));
        }
        throw l.error(QZEROS, "shape", zcols + " columns for N = " + n + " fit " + fit
                + "-bit codes alike; give the bit width (--bits)");
    }

    /**
     * Checks g_idx and returns the permutation sorting rows by group, or null when g_idx is
     * already k / g.
     */
    private static int[] actOrder(Layer l, int[] gidx, int groups, int g) throws TensorFormatException {
        int[] count = new int[groups];
        boolean trivial = true;
        for (int k = 0; k < gidx.length; k++) {
            int v = gidx[k];
            if (v < 0 || v >= groups) {
                throw l.error(G_IDX, null, "g_idx[" + k + "] = " + v + " is not a group: expected 0 .. " + (groups - 1)
                        + " (the rows of " + l.name(SCALES) + ")");
            }
            count[v]++;
            trivial &= v == k / g;
        }
        if (trivial) {
            return null;
        }
        for (int gr = 0; gr < groups; gr++) {
            if (count[gr] != g) {
                throw l.error(G_IDX, null, "group " + gr + " has " + count[gr] + " rows; PacQ groups hold exactly g = "
                        + g + " rows (K = " + gidx.length + " over the " + groups + " rows of " + l.name(SCALES) + ")");
            }
        }
        int[] next = new int[groups];
        for (int gr = 0; gr < groups; gr++) {
            next[gr] = gr * g;
        }
        int[] perm = new int[gidx.length];
        for (int k = 0; k < gidx.length; k++) {
            perm[next[gidx[k]]++] = k;       // ascending k: stable inside each group
        }
        return perm;
    }

    // ---------------------------------------------------------------- AWQ

    private static ImportedWeights awq(Layer l, int givenBits) throws IOException {
        if (givenBits != 0 && givenBits != 4) {
            throw l.error(QWEIGHT, null, "AWQ GEMM layers are 4-bit (the nibble order 0, 2, 4, 6, 1, 3, 5, 7 is"
                    + " defined for 4-bit codes); " + givenBits + " bits were asked for");
        }
        TensorInfo qw = l.require(QWEIGHT, DType.I32, 2, "[K, N/8]");
        TensorInfo qz = l.require(QZEROS, DType.I32, 2, "[K/g, N/8]");
        TensorInfo sc = l.require(SCALES, DType.F16, 2, "[K/g, N]");
        l.checkNonEmpty(sc);
        long n = sc.shape()[1];
        long groups = sc.shape()[0];
        long k = qw.shape()[0];
        long wcols = ceilDiv(n, 8);
        if (qw.shape()[1] != wcols) {
            String hint;
            if (qw.shape()[1] == n) {
                hint = " (qweight [K*b/32, N] is the GPTQ layout: is this a GPTQ checkpoint?)";
            } else if (qw.shape()[1] == ceilDiv(n * 2, 32) || qw.shape()[1] == ceilDiv(n * 8, 32)) {
                hint = " (the columns fit " + (qw.shape()[1] == ceilDiv(n * 2, 32) ? 2 : 8)
                        + "-bit codes; AWQ GEMM layers are 4-bit)";
            } else if (qw.shape()[0] == n) {
                hint = " (qweight [N, ...] is the AWQ GEMV layout, which is not supported; export with version=gemm)";
            } else {
                hint = "";
            }
            throw l.error(QWEIGHT, "shape", Arrays.toString(qw.shape()) + ": expected [K, " + wcols + "] = [K, N/8]"
                    + " for N = " + n + " (the columns of " + l.name(SCALES) + ")" + hint);
        }
        if (qz.shape()[0] != groups || qz.shape()[1] != wcols) {
            throw l.error(QZEROS, "shape", Arrays.toString(qz.shape()) + ": expected [" + groups + ", " + wcols
                    + "] = [K/g, N/8] (the rows of " + l.name(SCALES) + ", N = " + n + ")");
        }
        int g = l.groupSize(k, n, groups);
        int nn = (int) n;
        int kk = (int) k;
        int wc = (int) wcols;
        int[] words = l.c.read(l.name(QWEIGHT)).toInts();
        byte[] codes = new byte[kk * nn];
        for (int r = 0; r < kk; r++) {
            for (int c = 0; c < nn; c++) {
                codes[r * nn + c] = (byte) ((words[r * wc + c / 8] >>> (4 * AWQ_NIBBLE[c % 8])) & 0xF);
            }
        }
        words = null;
        int[] zw = l.c.read(l.name(QZEROS)).toInts();
        byte[] zeros = new byte[(int) groups * nn];
        for (int gr = 0; gr < groups; gr++) {
            for (int c = 0; c < nn; c++) {
                zeros[gr * nn + c] = (byte) ((zw[gr * wc + c / 8] >>> (4 * AWQ_NIBBLE[c % 8])) & 0xF);
            }
        }
        return l.result(kk, nn, 4, g, codes, l.scales(), zeros, null);
    }

    // ---------------------------------------------------------------- shared

    /** One layer's names, checks and messages. */
    private static final class Layer {
        final Checkpoint c;
        final CheckpointFormat format;
        final String prefix;
        /** Where the bits came from when the settings gave them, for messages; "" otherwise. */
        String bitsFrom = "";

        Layer(Checkpoint c, CheckpointFormat format, String prefix) {
            this.c = c;
            this.format = format;
            this.prefix = prefix;
        }

        String name(String suffix) {
            return prefix + "." + suffix;
        }

        TensorFormatException error(String suffix, String field, String problem) {
            return new TensorFormatException(c.fileOf(name(suffix)), name(suffix), field, problem);
        }

        private TensorFormatException configError(String key, String problem) {
            Path f = c.quantizationConfigFile();
            String field = String.valueOf(f.getFileName()).equals(Checkpoint.QUANTIZE_CONFIG) ? key
                    : "quantization_config." + key;
            return new TensorFormatException(f, null, field, problem);
        }

        /**
         * Checks the checkpoint's quantization settings, when it has any, against the format asked
         * for; returns the bits to use (given, else the settings' "bits", else 0 to read them from
         * the shapes).
         */
        int checkConfig(int bits) throws TensorFormatException {
            java.util.Map<String, String> cfg = c.quantizationConfig();
            String method = cfg.get("quant_method");
            if (method != null && !method.equalsIgnoreCase(format.cliName())) {
                throw configError("quant_method", "is \"" + method + "\", but the layer was asked for as "
                        + format.cliName() + " (--format " + format.cliName() + ")");
            }
            String cf = cfg.get("checkpoint_format");
            if (format == CheckpointFormat.GPTQ && cf != null && !cf.equalsIgnoreCase("gptq")) {
                throw configError("checkpoint_format", "is \"" + cf + "\"; PacQ reads the AutoGPTQ v1 layout (\"gptq\")"
                        + (cf.equalsIgnoreCase("gptq_v2") ? ", whose zero points are stored minus one; v2 stores them"
                        + " as they are, so reading it as v1 would shift every zero point: save the checkpoint in the"
                        + " v1 format" : ""));
            }
            String version = cfg.get("version");
            if (format == CheckpointFormat.AWQ && version != null && !version.equalsIgnoreCase("gemm")) {
                throw configError("version", "is \"" + version + "\"; PacQ reads the AWQ GEMM layout (\"gemm\")");
            }
            String bs = cfg.get("bits");
            if (bs == null) {
                return bits;
            }
            int cb;
            try {
                cb = Integer.parseInt(bs);
            } catch (NumberFormatException e) {
                throw configError("bits", "\"" + bs + "\" is not an integer");
            }
            if (cb != 2 && cb != 4 && cb != 8) {
                throw configError("bits", "is " + cb + "; PacQ computes with 2-, 4- and 8-bit codes"
                        + (cb == 3 && format == CheckpointFormat.GPTQ ? " (3-bit GPTQ layers are not supported)" : ""));
            }
            if (bits != 0 && bits != cb) {
                throw configError("bits", "is " + cb + ", but " + bits + " bits were asked for");
            }
            bitsFrom = " (bits = " + cb + " from " + c.quantizationConfigFile() + ")";
            return cb;
        }

        /** The settings' "group_size" (-1: one group of K rows) must be the group size the shapes give. */
        void checkConfigGroupSize(QuantizedWeights w) throws TensorFormatException {
            String gs = c.quantizationConfig().get("group_size");
            if (gs == null) {
                return;
            }
            int cg;
            try {
                cg = Integer.parseInt(gs);
            } catch (NumberFormatException e) {
                throw configError("group_size", "\"" + gs + "\" is not an integer");
            }
            int expect = cg == -1 ? w.k() : cg;
            if (expect != w.groupSize()) {
                throw configError("group_size", "is " + cg + ", but " + name(SCALES) + " has " + w.groupRows()
                        + " group rows for K = " + w.k() + ", i.e. groups of " + w.groupSize()
                        + (cg > 0 && w.k() % cg != 0 ? " (K is not a multiple of " + cg + ": PacQ cannot represent the"
                        + " short last group)" : ""));
            }
        }

        String tensorsOfLayer() {
            return format == CheckpointFormat.GPTQ
                    ? "a GPTQ layer has " + name(QWEIGHT) + ", " + name(QZEROS) + ", " + name(SCALES)
                            + " and optionally " + name(G_IDX)
                    : "an AWQ layer has " + name(QWEIGHT) + ", " + name(QZEROS) + " and " + name(SCALES);
        }

        /** The layer must exist: explain what the checkpoint has instead. */
        void requireQuantized() throws TensorFormatException {
            if (c.contains(name(QWEIGHT))) {
                return;
            }
            String problem;
            if (c.contains(prefix + ".weight")) {
                problem = "missing: '" + prefix + "' is not quantized in this checkpoint (it has " + prefix
                        + ".weight)";
            } else {
                List<String> layers = c.quantizedLayers();
                if (layers.isEmpty()) {
                    problem = "missing, and the checkpoint has no quantized layer (no tensor named *.qweight)";
                } else {
                    String last = prefix.substring(prefix.lastIndexOf('.') + 1);
                    List<String> like = layers.stream().filter(s -> !last.isEmpty() && s.contains(last)).limit(5).toList();
                    problem = "missing: no layer '" + prefix + "' in the checkpoint; it has " + layers.size()
                            + " quantized layer" + (layers.size() == 1 ? "" : "s") + ", e.g. "
                            + String.join(", ", like.isEmpty() ? layers.stream().limit(5).toList() : like);
                }
            }
            throw new TensorFormatException(c.path(), name(QWEIGHT), null, problem);
        }

        TensorInfo require(String suffix, DType dtype, int rank, String shape) throws IOException {
            String name = name(suffix);
            if (!c.contains(name)) {
                throw new TensorFormatException(c.path(), name, null, "missing; " + tensorsOfLayer());
            }
            TensorInfo t = c.info(name);
            if (!t.dtypeName().equals(dtype.safetensorsName())) {
                throw error(suffix, "dtype", "expected " + dtype.safetensorsName() + " " + shape + ", got "
                        + t.dtypeName());
            }
            if (t.rank() != rank) {
                throw error(suffix, "shape", Arrays.toString(t.shape()) + ": expected " + shape);
            }
            return t;
        }

        void checkNonEmpty(TensorInfo sc) throws TensorFormatException {
            long[] s = sc.shape();
            if (s[0] < 1 || s[1] < 1 || s[1] > Abi.MAX_DIM) {
                throw error(SCALES, "shape", Arrays.toString(s) + ": expected [K/g, N] with K/g >= 1 and"
                        + " 1 <= N <= " + Abi.MAX_DIM);
            }
        }

        /** g = K / groups, checked against PacQ's rules. */
        int groupSize(long k, long n, long groups) throws TensorFormatException {
            if (k < 1 || k > Abi.MAX_DIM) {
                throw error(QWEIGHT, "shape", "K = " + k + " input rows; PacQ needs 1 <= K <= " + Abi.MAX_DIM);
            }
            if (k % groups != 0) {
                throw error(SCALES, "shape", "[" + groups + ", " + n + "]: K = " + k + " rows (from " + name(QWEIGHT)
                        + ") do not split into " + groups + " equal groups; PacQ needs a group size that divides K"
                        + " (a short last group cannot be represented)");
            }
            if (k * n > Integer.MAX_VALUE - 8) {
                throw error(QWEIGHT, "shape", "K x N = " + k + " x " + n + " codes exceed the " + (Integer.MAX_VALUE - 8)
                        + " one layer may hold in memory");
            }
            long g = k / groups;
            if (g % Abi.GROUP_K_MULTIPLE != 0) {
                throw error(SCALES, "shape", "[" + groups + ", " + n + "]: group size g = K / " + groups + " = " + g
                        + " (K = " + k + "); PacQ needs a multiple of " + Abi.GROUP_K_MULTIPLE);
            }
            return (int) g;
        }

        short[] scales() throws IOException {
            short[] s = c.read(name(SCALES)).toShorts();
            int n = (int) c.info(name(SCALES)).shape()[1];
            for (int i = 0; i < s.length; i++) {
                if (!Fp16.isFinite(s[i])) {
                    throw error(SCALES, null, "scales[" + (i / n) + "][" + (i % n) + "] is not finite (FP16 bits 0x"
                            + Integer.toHexString(s[i] & 0xFFFF) + "); PacQ scales must be finite");
                }
            }
            return s;
        }

        ImportedWeights result(int k, int n, int bits, int g, byte[] codes, short[] scales, byte[] zeros, int[] perm) {
            boolean symmetric = true;
            int mid = 1 << (bits - 1);
            for (byte z : zeros) {
                symmetric &= (z & 0xFF) == mid;
            }
            QuantizedWeights w = new QuantizedWeights(k, n, bits, g, 1, codes, scales, symmetric ? null : zeros);
            return new ImportedWeights(w, perm, format, prefix);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static int[] inverse(int[] p) {
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            inv[p[i]] = i;
        }
        return inv;
    }
}
