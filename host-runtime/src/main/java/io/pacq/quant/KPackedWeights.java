package io.pacq.quant;

import io.pacq.abi.Abi;

/**
 * The K-packed (GPTQ-like) device image of a {@link QuantizedWeights}, used by the KPACKED mode
 * (the paper's P(B)k baseline): codes packed along K, so one word holds several rows of one
 * column (ABI {@code Layout.W_KPACKED}). Scales and zeros use the same strip-major arrays as
 * {@link PackedWeights}. Immutable; arrays are not copied on access.
 *
 * <pre>
 *   u16 words [K * bits / 16][Np] row-major, Np = N padded to a whole strip
 *
 *   word (r, n), INT4:
 *     bit 15          12 11          8 7           4 3           0
 *        | q[4r+3][n]   | q[4r+2][n]   | q[4r+1][n]   | q[4r+0][n]   |
 * </pre>
 */
public final class KPackedWeights {
    private final int k;
    private final int n;
    private final int bits;
    private final byte[] words;

    private KPackedWeights(int k, int n, int bits, byte[] words) {
        this.k = k;
        this.n = n;
        this.bits = bits;
        this.words = words;
    }

    /** Rows per 16-bit word: 16 / bits. */
    public static int rowsPerWord(int bits) {
        return Abi.WORD_BITS / bits;
    }

    /** Padded column count: N rounded up to a whole strip. */
    public static int paddedCols(int n, int bits) {
        return PackedWeights.strips(n, bits) * PackedWeights.stripCols(bits);
    }

    /** Bytes of the K-packed weight array. */
    public static long weightBytes(int k, int n, int bits) {
        return (long) (k / rowsPerWord(bits)) * paddedCols(n, bits) * 2;
    }

    /** Byte offset of word (r, col). */
    public static long wordOffset(int n, int bits, int r, int col) {
        return ((long) r * paddedCols(n, bits) + col) * 2;
    }

    /**
     * Packs the codes along K. K is a multiple of 16, so every word is full. Works a band of
     * 16/bits rows at a time: the band's rows are unpacked once, then each column's word is
     * assembled from them (no per-element index arithmetic).
     */
    public static KPackedWeights pack(QuantizedWeights w) {
        int bits = w.bits();
        int rpw = rowsPerWord(bits);
        int k = w.k();
        int n = w.n();
        int np = paddedCols(n, bits);
        byte[] src = w.packedArray();
        int rowBytes = w.packedRowBytes();
        byte[] out = new byte[Math.toIntExact(weightBytes(k, n, bits))];
        byte[] band = new byte[rpw * n];
        for (int r = 0; r < k / rpw; r++) {
            for (int j = 0; j < rpw; j++) {
                CodePacking.unpack(src, (r * rpw + j) * rowBytes, band, j * n, n, bits);
            }
            int base = r * np * 2;
            for (int col = 0; col < n; col++) {
                int v = 0;
                for (int j = 0, at = col; j < rpw; j++, at += n) {
                    v |= (band[at] & 0xFF) << (j * bits);
                }
                CodePacking.SHORT.set(out, base + 2 * col, (short) v);
            }
        }
        return new KPackedWeights(k, n, bits, out);
    }

    /** Code q[row][col] read back from the packed words. */
    public int code(int row, int col) {
        int rpw = rowsPerWord(bits);
        int off = (int) wordOffset(n, bits, row / rpw, col);
        int v = (words[off] & 0xFF) | (words[off + 1] & 0xFF) << 8;
        return (v >>> ((row % rpw) * bits)) & ((1 << bits) - 1);
    }

    /** Rows. */
    public int k() { return k; }

    /** Columns before padding. */
    public int n() { return n; }

    /** Code width. */
    public int bits() { return bits; }

    /** The packed words, little-endian. Not a copy. */
    public byte[] weights() { return words; }
}
