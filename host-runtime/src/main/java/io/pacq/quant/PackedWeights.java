package io.pacq.quant;

import io.pacq.abi.Abi;

import java.nio.ByteBuffer;

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

    /**
     * Packs weights into the device layout: {@link #writeWeights} over the whole image, then
     * {@link #packScales} and {@link #packZeros}. Equal, byte for byte, to the element-by-element
     * definition in the class comment (tested against a straightforward packer).
     */
    public static PackedWeights pack(QuantizedWeights w) {
        byte[] words = new byte[Math.toIntExact(weightBytes(w.k(), w.n(), w.bits()))];
        writeWeights(w, 0, ByteBuffer.wrap(words));
        QuantSpec spec = new QuantSpec(w.bits(), w.groupSize(), w.groupCols(), w.symmetric());
        return new PackedWeights(spec, w.k(), w.n(), words, packScales(w), packZeros(w));
    }

    /**
     * Writes bytes {@code [offset, offset + dst.remaining())} of the packed weight array of w
     * (the bytes of {@code pack(w).weights()}) into dst and advances its position, so that the
     * image can be streamed to a device in pieces without being built whole. A strip's row is
     * the same bytes as the weights' packed row over the strip's columns (both put column c in
     * bits c*bits.. of little-endian words), so this copies 32-byte pieces: no per-element work.
     *
     * @throws IndexOutOfBoundsException when the range is outside {@link #weightBytes}
     */
    public static void writeWeights(QuantizedWeights w, long offset, ByteBuffer dst) {
        int k = w.k();
        long size = weightBytes(k, w.n(), w.bits());
        int len = dst.remaining();
        if (offset < 0 || offset > size - len) {
            throw new IndexOutOfBoundsException("packed weights: bytes [" + offset + ", " + (offset + len)
                    + ") are outside 0 .. " + size);
        }
        if (!dst.hasArray() || dst.isReadOnly()) {
            byte[] tmp = new byte[len];
            writeWeights(w, offset, ByteBuffer.wrap(tmp));
            dst.put(tmp);
            return;
        }
        byte[] out = dst.array();
        int at = dst.arrayOffset() + dst.position();
        int end = at + len;
        byte[] src = w.packedArray();
        int rowBytes = w.packedRowBytes();
        int seg = Abi.STRIP_WORDS * 2;                          // bytes of one strip row
        long segment = offset / seg;
        int strip = (int) (segment / k);
        int row = (int) (segment % k);
        int within = (int) (offset % seg);
        while (at < end) {
            int from = row * rowBytes + strip * seg;
            int avail = Math.min(seg, rowBytes - strip * seg);  // the rest of a last strip's row is padding
            int count = Math.min(seg - within, end - at);
            if (count == seg && avail == seg) {
                CodePacking.LONG.set(out, at, (long) CodePacking.LONG.get(src, from));
                CodePacking.LONG.set(out, at + 8, (long) CodePacking.LONG.get(src, from + 8));
                CodePacking.LONG.set(out, at + 16, (long) CodePacking.LONG.get(src, from + 16));
                CodePacking.LONG.set(out, at + 24, (long) CodePacking.LONG.get(src, from + 24));
            } else {
                int copy = Math.max(0, Math.min(count, avail - within));
                if (copy > 0) {
                    System.arraycopy(src, from + within, out, at, copy);
                }
                java.util.Arrays.fill(out, at + copy, at + count, (byte) 0);
            }
            at += count;
            within = 0;
            if (++row == k) {
                row = 0;
                strip++;
            }
        }
        dst.position(dst.position() + len);
    }

    /** The strip-major scales of {@code pack(w)}, FP16 little-endian, copied in strip-sized runs. */
    public static byte[] packScales(QuantizedWeights w) {
        short[] sc = w.scaleArray();
        byte[] out = new byte[Math.toIntExact(groupEntries(w.k(), w.n(), w.bits(), w.groupSize(), w.groupCols())) * 2];
        forEachGroupRun(w, (from, to, count) -> {
            for (int j = 0; j < count; j++) {
                CodePacking.SHORT.set(out, 2 * (to + j), sc[from + j]);
            }
        });
        return out;
    }

    /** The strip-major zero points of {@code pack(w)}, or null when w is symmetric. */
    public static byte[] packZeros(QuantizedWeights w) {
        byte[] z = w.zeroArray();
        if (z == null) {
            return null;
        }
        byte[] out = new byte[Math.toIntExact(groupEntries(w.k(), w.n(), w.bits(), w.groupSize(), w.groupCols()))];
        forEachGroupRun(w, (from, to, count) -> System.arraycopy(z, from, out, to, count));
        return out;
    }

    private interface GroupRun {
        void copy(int from, int to, int count);
    }

    /**
     * The runs of group entries that stay together: group row G's entries for the columns of one
     * strip, from row-major index {@code from} to strip-major index {@code to}.
     */
    private static void forEachGroupRun(QuantizedWeights w, GroupRun run) {
        int bits = w.bits();
        int perStrip = stripCols(bits) / w.groupCols();    // entries of one group row in one strip
        int groupRows = w.k() / w.groupSize();
        int gcols = w.groupColumns();
        int strips = strips(w.n(), bits);
        for (int strip = 0; strip < strips; strip++) {
            int first = strip * perStrip;
            int count = Math.min(perStrip, gcols - first);
            for (int group = 0; group < groupRows; group++) {
                run.copy(group * gcols + first, (strip * groupRows + group) * perStrip, count);
            }
        }
    }

    /** Reads the device image back into unpacked form (the inverse of {@link #pack}). */
    public QuantizedWeights unpack() {
        int bits = spec.bits();
        int seg = Abi.STRIP_WORDS * 2;
        int rowBytes = CodePacking.rowBytes(n, bits);
        byte[] rows = new byte[k * rowBytes];
        for (int row = 0; row < k; row++) {
            for (int at = 0; at < rowBytes; at += seg) {
                System.arraycopy(weights, (int) wordOffset(k, at / seg, row, 0), rows, row * rowBytes + at,
                        Math.min(seg, rowBytes - at));
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
        // validated like any other weights: a PackedWeights is only made by pack, but unpack must
        // never produce weights the constructor would refuse (e.g. nonzero padding bits)
        QuantizedWeights.Builder b = QuantizedWeights.builder(k, n, bits, g, gn, z == null)
                .putPackedCodes(0, ByteBuffer.wrap(rows));
        ByteBuffer sb = ByteBuffer.allocate(sc.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        sb.asShortBuffer().put(sc);
        b.putScales(0, sb);
        if (z != null) {
            b.putZeros(0, ByteBuffer.wrap(z));
        }
        return b.build();
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
