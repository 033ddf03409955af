package io.pacq.testing;

import io.pacq.fp.Fp16;
import io.pacq.quant.QuantizedWeights;
import io.pacq.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * GPTQ and AWQ checkpoint tensors built from known codes, scales and zero points, packed by
 * routines written from the layouts' descriptions (not from the importer):
 *
 * <ul>
 *   <li>GPTQ qweight: each column of codes, read down K, is one bit stream, b bits per code, lowest
 *       bits first; the stream is cut into 32-bit words. qzeros: each group row, read along N, is
 *       a bit stream of the stored zeros (real zero minus one), cut the same way.
 *   <li>AWQ qweight: each row, read along N in runs of 8 columns; the word of a run holds, from
 *       its lowest nibble up, the columns 0, 2, 4, 6, 1, 3, 5, 7 of the run. qzeros alike, zeros
 *       stored as they are.
 * </ul>
 *
 * A bit stream works for any width, so a genuine 3-bit GPTQ layer (codes straddling words) can
 * be built too. Deterministic; stateless.
 */
public final class QuantCheckpoints {
    private QuantCheckpoints() {}

    /**
     * A layer as the quantizer made it, before packing: codes q[K][N], real zero points z and
     * scales s (FP16 bits) per group row [K/g][N], and the group of each input row (k / g unless
     * act-order).
     */
    public record Layer(int k, int n, int bits, int g, int[] q, int[] z, short[] s, int[] gIdx) {
        public int groups() {
            return k / g;
        }

        /** True when every zero point is 2^(b−1): the importer then returns symmetric weights. */
        public boolean symmetric() {
            for (int v : z) {
                if (v != 1 << (bits - 1)) {
                    return false;
                }
            }
            return true;
        }

        /** The dequantized weight s · (q − z), exact in FP64. */
        public double w(int row, int col) {
            int gr = gIdx[row];
            return (double) Fp16.toFloat(s[gr * n + col]) * (q[row * n + col] - z[gr * n + col]);
        }

        /**
         * The PacQ weights this layer must convert to, built here from the layer's own arrays:
         * rows sorted by group, stably (the identity for g_idx = k / g).
         */
        public QuantizedWeights expected() {
            boolean symmetric = symmetric();
            int[] order = rowsByGroup();
            byte[] codes = new byte[k * n];
            for (int i = 0; i < k; i++) {
                for (int c = 0; c < n; c++) {
                    codes[i * n + c] = (byte) q[order[i] * n + c];
                }
            }
            byte[] zeros = new byte[z.length];
            for (int i = 0; i < z.length; i++) {
                zeros[i] = (byte) z[i];
            }
            return new QuantizedWeights(k, n, bits, g, 1, codes, s, symmetric ? null : zeros);
        }

        /** Input rows listed group by group, ascending inside each group (selection, O(K^2): test sizes only). */
        public int[] rowsByGroup() {
            int[] out = new int[k];
            int i = 0;
            for (int gr = 0; gr < groups(); gr++) {
                for (int row = 0; row < k; row++) {
                    if (gIdx[row] == gr) {
                        out[i++] = row;
                    }
                }
            }
            return out;
        }

        /** Σ_k A[m][k] · w[k][n] in FP64, from the unpacked layer. */
        public double[] exact(short[] a, int m) {
            double[] out = new double[m * n];
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    double acc = 0;
                    for (int kk = 0; kk < k; kk++) {
                        acc += (double) Fp16.toFloat(a[r * k + kk]) * w(kk, c);
                    }
                    out[r * n + c] = acc;
                }
            }
            return out;
        }
    }

    /**
     * A random layer: codes uniform; zero points uniform in 1 .. 2^b − 1 (the range GPTQ and PacQ
     * share: GPTQ stores z − 1, so z = 0 cannot be stored, and PacQ has no z = 2^b) or all
     * 2^(b−1) when symmetric; scales positive and negative, 2^−12 .. 2^−4; g_idx
     * k / g, or a random assignment of exactly g rows to each group when actOrder.
     */
    public static Layer random(SplittableRandom rnd, int k, int n, int bits, int g, boolean symmetric, boolean actOrder) {
        int groups = k / g;
        int[] q = new int[k * n];
        for (int i = 0; i < q.length; i++) {
            q[i] = rnd.nextInt(1 << bits);
        }
        int[] z = new int[groups * n];
        short[] s = new short[groups * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = symmetric ? 1 << (bits - 1) : 1 + rnd.nextInt((1 << bits) - 1);
            double mag = Math.scalb(1.0 + rnd.nextDouble(), -4 - rnd.nextInt(9));
            s[i] = Fp16.fromFloat((float) (rnd.nextInt(8) == 0 ? -mag : mag));
        }
        int[] gIdx = new int[k];
        for (int row = 0; row < k; row++) {
            gIdx[row] = row / g;
        }
        if (actOrder) {
            for (int i = k - 1; i > 0; i--) {           // Fisher-Yates over the trivial assignment
                int j = rnd.nextInt(i + 1);
                int t = gIdx[i];
                gIdx[i] = gIdx[j];
                gIdx[j] = t;
            }
        }
        return new Layer(k, n, bits, g, q, z, s, gIdx);
    }

    /** Appends value's low b bits to a bit stream held in 32-bit words, at bit position pos. */
    private static void put(int[] words, int base, long pos, int b, int value) {
        for (int bit = 0; bit < b; bit++) {
            long p = pos + bit;
            if (((value >> bit) & 1) != 0) {
                words[base + (int) (p / 32)] |= 1 << (int) (p % 32);
            }
        }
    }

    /**
     * GPTQ tensors of a layer ({@code prefix.qweight}, {@code .qzeros}, {@code .scales}, and
     * {@code .g_idx} when withGIdx), in that order.
     */
    public static Map<String, Tensor> gptq(String prefix, Layer l, boolean withGIdx) {
        int b = l.bits();
        int k = l.k();
        int n = l.n();
        int rows = (int) ((long) k * b / 32);
        // qweight [rows][n]: column c is one bit stream down K; stream word j of column c is qweight[j][c]
        int[] qweight = new int[rows * n];
        for (int c = 0; c < n; c++) {
            int[] stream = new int[rows];
            for (int row = 0; row < k; row++) {
                put(stream, 0, (long) row * b, b, l.q()[row * n + c]);
            }
            for (int j = 0; j < rows; j++) {
                qweight[j * n + c] = stream[j];
            }
        }
        int zcols = (n * b + 31) / 32;
        int[] qzeros = new int[l.groups() * zcols];
        for (int gr = 0; gr < l.groups(); gr++) {
            for (int c = 0; c < n; c++) {
                put(qzeros, gr * zcols, (long) c * b, b, l.z()[gr * n + c] - 1);
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(prefix + ".qweight", Tensor.ofI32(new long[] {rows, n}, qweight));
        out.put(prefix + ".qzeros", Tensor.ofI32(new long[] {l.groups(), zcols}, qzeros));
        out.put(prefix + ".scales", Tensor.ofF16(new long[] {l.groups(), n}, l.s()));
        if (withGIdx) {
            out.put(prefix + ".g_idx", Tensor.ofI32(new long[] {k}, l.gIdx()));
        }
        return out;
    }

    /** AWQ's order: the lowest nibble of a word holds column 0 of its run of 8, the next column 2, ... */
    private static final int[] AWQ_COLUMN_OF_NIBBLE = {0, 2, 4, 6, 1, 3, 5, 7};

    private static int awqWord(int[] values, int base, int run, int limit) {
        int word = 0;
        for (int nibble = 0; nibble < 8; nibble++) {
            int col = run * 8 + AWQ_COLUMN_OF_NIBBLE[nibble];
            int v = col < limit ? values[base + col] : 0;
            word |= (v & 0xF) << (4 * nibble);
        }
        return word;
    }

    /** AWQ GEMM tensors of a 4-bit layer ({@code prefix.qweight}, {@code .qzeros}, {@code .scales}). */
    public static Map<String, Tensor> awq(String prefix, Layer l) {
        if (l.bits() != 4 || l.gIdx()[l.k() - 1] != (l.k() - 1) / l.g()) {
            throw new IllegalArgumentException("AWQ layers are 4-bit without act-order");
        }
        int k = l.k();
        int n = l.n();
        int cols = (n + 7) / 8;
        int[] qweight = new int[k * cols];
        for (int row = 0; row < k; row++) {
            for (int run = 0; run < cols; run++) {
                qweight[row * cols + run] = awqWord(l.q(), row * n, run, n);
            }
        }
        int[] qzeros = new int[l.groups() * cols];
        for (int gr = 0; gr < l.groups(); gr++) {
            for (int run = 0; run < cols; run++) {
                qzeros[gr * cols + run] = awqWord(l.z(), gr * n, run, n);
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(prefix + ".qweight", Tensor.ofI32(new long[] {k, cols}, qweight));
        out.put(prefix + ".qzeros", Tensor.ofI32(new long[] {l.groups(), cols}, qzeros));
        out.put(prefix + ".scales", Tensor.ofF16(new long[] {l.groups(), n}, l.s()));
        return out;
    }
}
