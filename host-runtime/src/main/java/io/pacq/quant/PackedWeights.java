package io.pacq.quant;

import io.pacq.abi.Abi;

/**
 * The device image of a {@link QuantizedWeights}: packed codes, scales and zero points laid out
 * exactly as the device reads them (ABI {@code Layout.W_NPACKED}, {@code SCALES}, {@code ZEROS}).
 * Immutable after {@link #pack}; the byte arrays are little-endian and are not copied on access
 * (callers must not modify them).
 *
 * <p>Columns are cut into strips of S columns, S = 16 words x (16 / bits): 64 INT4, 128 INT2 or
 * 32 INT8 columns. N is padded to whole strips; padding codes, scales and zeros are 0.
 *
 * <pre>
 * weights (u16 words, strip-major):
 *
 *   strip 0                       strip 1                   ...
 *   k=0   | w0 | w1 | ... | w15 |   k=0   | w0 | ... | w15 |
 *   k=1   | w0 | w1 | ... | w15 |   k=1   | ...           |
 *   ...                             ...
 *   k=K-1 | w0 | w1 | ... | w15 |
 *
 *   one INT4 word (columns s*S + 4w .. s*S + 4w + 3 of row k):
 *     bit 15        12 11         8 7          4 3          0
 *        | q[k][c+3]  | q[k][c+2]  | q[k][c+1]  | q[k][c+0]  |
 *   (INT2: 8 codes of 2 bits, INT8: 2 codes of 8 bits, lowest column in the lowest bits)
 *
 * scales (FP16) and zeros (U8), strip-major:
 *   [strip][G = 0 .. K/g-1][S/gn entries], entry j covers columns s*S + j*gn .. s*S + j*gn + gn-1
 * </pre>
 */
public final class PackedWeights {
    private final QuantSpec spec;
    private final int k;
    private final int n;
    private final byte[] weights;
    private final byte[] scales;
    private final byte[] zeros;

    private PackedWeights(QuantSpec spec, int k, int n, byte[] weights, byte[] scales, byte[] zeros) {
        this.spec = spec;
        this.k = k;
        this.n = n;
        this.weights = weights;
        this.scales = scales;
        this.zeros = zeros;
    }

    /** Columns per 16-bit word: 16 / bits. */
    public static int colsPerWord(int bits) {
        return Abi.WORD_BITS / bits;
    }

    /** Columns per strip, S = STRIP_WORDS * 16 / bits. */
    public static int stripCols(int bits) {
        return Abi.STRIP_WORDS * colsPerWord(bits);
    }

    /** Number of strips covering n columns. */
    public static int strips(int n, int bits) {
        return (n + stripCols(bits) - 1) / stripCols(bits);
    }

    /** Bytes of the packed weight array. */
    public static long weightBytes(int k, int n, int bits) {
        return (long) strips(n, bits) * k * Abi.STRIP_WORDS * 2;
    }

    /** Entries (scales or zeros) in the strip-major group arrays. */
    public static long groupEntries(int k, int n, int bits, int groupSize, int groupCols) {
        return (long) strips(n, bits) * (k / groupSize) * (stripCols(bits) / groupCols);
    }

    /** Byte offset of word w of row k of strip s in the weight array. */
    public static long wordOffset(int k, int strip, int row, int word) {
        return (((long) strip * k + row) * Abi.STRIP_WORDS + word) * 2;
    }

    /** Index of the group entry (scale or zero) of group row G and column n. */
    public static long groupIndex(int k, int bits, int groupSize, int groupCols, int group, int col) {
        int s = stripCols(bits);
        return ((long) (col / s) * (k / groupSize) + group) * (s / groupCols) + (col % s) / groupCols;
    }

    /** Packs weights into the device layout. */
    public static PackedWeights pack(QuantizedWeights w) {
        int bits = w.bits();
        int k = w.k();
        int n = w.n();
        int cpw = colsPerWord(bits);
        int s = stripCols(bits);
        int strips = strips(n, bits);
        byte[] words = new byte[Math.toIntExact(weightBytes(k, n, bits))];
        for (int strip = 0; strip < strips; strip++) {
            for (int row = 0; row < k; row++) {
                for (int word = 0; word < Abi.STRIP_WORDS; word++) {
                    int v = 0;
                    for (int j = 0; j < cpw; j++) {
                        int col = strip * s + word * cpw + j;
                        if (col < n) {
                            v |= w.code(row, col) << (j * bits);
                        }
                    }
                    int off = (int) wordOffset(k, strip, row, word);
                    words[off] = (byte) v;
                    words[off + 1] = (byte) (v >>> 8);
                }
            }
        }
        int gn = w.groupCols();
        int g = w.groupSize();
        int entries = Math.toIntExact(groupEntries(k, n, bits, g, gn));
        byte[] scales = new byte[entries * 2];
        byte[] zeros = w.symmetric() ? null : new byte[entries];
        for (int group = 0; group < k / g; group++) {
            for (int col = 0; col < n; col += gn) {
                int idx = (int) groupIndex(k, bits, g, gn, group, col);
                short sc = w.scale(group * g, col);
                scales[2 * idx] = (byte) sc;
                scales[2 * idx + 1] = (byte) (sc >>> 8);
                if (zeros != null) {
                    zeros[idx] = (byte) w.zero(group * g, col);
                }
            }
        }
        QuantSpec spec = new QuantSpec(bits, g, gn, w.symmetric());
        return new PackedWeights(spec, k, n, words, scales, zeros);
    }

    /** Reads the device image back into unpacked form (the inverse of {@link #pack}). */
    public QuantizedWeights unpack() {
        int bits = spec.bits();
        int cpw = colsPerWord(bits);
        int s = stripCols(bits);
        int mask = (1 << bits) - 1;
        byte[] codes = new byte[k * n];
        for (int row = 0; row < k; row++) {
            for (int col = 0; col < n; col++) {
                int off = (int) wordOffset(k, col / s, row, (col % s) / cpw);
                int v = (weights[off] & 0xFF) | (weights[off + 1] & 0xFF) << 8;
                codes[row * n + col] = (byte) ((v >>> ((col % cpw) * bits)) & mask);
            }
        }
        int g = spec.groupSize();
        int gn = spec.groupCols();
        int gcols = (n + gn - 1) / gn;
        short[] sc = new short[(k / g) * gcols];
        byte[] z = zeros == null ? null : new byte[sc.length];
        for (int group = 0; group < k / g; group++) {
            for (int j = 0; j < gcols; j++) {
                int idx = (int) groupIndex(k, bits, g, gn, group, j * gn);
                sc[group * gcols + j] = (short) ((scales[2 * idx] & 0xFF) | (scales[2 * idx + 1] & 0xFF) << 8);
                if (z != null) {
                    z[group * gcols + j] = zeros[idx];
                }
            }
        }
        return new QuantizedWeights(k, n, bits, g, gn, codes, sc, z);
    }

    /** Quantization parameters. */
    public QuantSpec spec() { return spec; }

    /** Rows. */
    public int k() { return k; }

    /** Columns (before padding). */
    public int n() { return n; }

    /** Packed codes, {@link #weightBytes} bytes. Not a copy. */
    public byte[] weights() { return weights; }

    /** Scales, FP16 little-endian, strip-major. Not a copy. */
    public byte[] scales() { return scales; }

    /** Zero points, strip-major, or null when symmetric. Not a copy. */
    public byte[] zeros() { return zeros; }

    /** Total bytes of the device image. */
    public long totalBytes() {
        return weights.length + scales.length + (zeros == null ? 0 : zeros.length);
    }
}
