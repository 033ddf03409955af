package io.pacq.quant;

import io.pacq.fp.Fp16;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A quantized weight matrix W [K][N]: codes, per-group scales and zero points, in the notation of
 * the numerics contract. Immutable once built; thread-safe.
 *
 * <pre>
 *   w[k][n] ~= s[G][n / gn] * (q[k][n] - z[G][n / gn]),   G = k / g
 *
 *   codes  q  [K][N]                  0 <= q < 2^bits
 *   scales s  F16 [K/g][ceil(N/gn)]   finite
 *   zeros  z  U8  [K/g][ceil(N/gn)]   0 <= z < 2^bits; absent = symmetric, z = 2^(bits-1)
 * </pre>
 *
 * <p>The codes are held packed to their width (the <em>packed codes</em>): row k is
 * {@link #packedRowBytes()} = ceil(N * bits / 8) bytes at byte offset k * packedRowBytes(), code
 * q[k][n] in bits [n*bits, n*bits + bits) of the row's little-endian bit string (lowest column in
 * the lowest bits of the first byte), bits after column N-1 zero. INT4: byte j of a row is
 * q[k][2j] | q[k][2j+1] &lt;&lt; 4. For INT8 this is the U8 matrix itself. A row's packed bytes are
 * the device's N-packed words for those columns (see {@link PackedWeights}), so packing for the
 * device is a copy.
 *
 * <p>Ownership: the arrays behind an instance are never handed out. The constructor copies its
 * arguments, {@link #codes()}, {@link #scales()} and {@link #zeros()} return copies, and
 * {@link #getPackedCodes} copies into the caller's buffer. {@link Builder} fills arrays that only
 * it can reach and hands them to the weights it builds without a copy, so data read from a file
 * or a socket goes straight into its final place.
 */
public final class QuantizedWeights {
    private final int k;
    private final int n;
    private final int bits;
    private final int groupSize;
    private final int groupCols;
    private final int rowBytes;
    private final byte[] packed;
    private final short[] scales;
    private final byte[] zeros;

    /**
     * Validates the U8 codes and packs them (one pass), and copies scales and zeros.
     *
     * @param codes     q, K*N bytes, row-major, one code per byte
     * @param scales    FP16 bit patterns, (K/g)*ceil(N/gn), row-major
     * @param zeros     zero points with the shape of scales, or null for symmetric quantization
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public QuantizedWeights(int k, int n, int bits, int groupSize, int groupCols,
                            byte[] codes, short[] scales, byte[] zeros) {
        QuantSpec.checkShape(k, n, bits, groupSize, groupCols);
        Objects.requireNonNull(codes, "codes");
        Objects.requireNonNull(scales, "scales");
        long expectCodes = (long) k * n;
        if (codes.length != expectCodes) {
            throw new IllegalArgumentException("qcodes: expected K*N = " + expectCodes + " bytes, got " + codes.length);
        }
        int groups = groupEntries(k, n, groupSize, groupCols);
        checkGroupLengths(k, n, groupSize, groupCols, groups, scales.length, zeros);
        this.k = k;
        this.n = n;
        this.bits = bits;
        this.groupSize = groupSize;
        this.groupCols = groupCols;
        this.rowBytes = CodePacking.rowBytes(n, bits);
        this.packed = new byte[Math.toIntExact((long) k * rowBytes)];
        for (int row = 0; row < k; row++) {
            int bad = CodePacking.pack(codes, row * n, packed, row * rowBytes, 0, n, bits);
            if (bad >= 0) {
                throw misfitCode(row, bad, codes[row * n + bad], bits);
            }
        }
        this.scales = scales.clone();
        this.zeros = zeros == null ? null : zeros.clone();
        checkGroupValues(bits, groupColumns(), this.scales, this.zeros);
    }

    /** Takes arrays that nobody else can reach and that have been validated. */
    private QuantizedWeights(int k, int n, int bits, int groupSize, int groupCols, int rowBytes, byte[] packed,
                             short[] scales, byte[] zeros) {
        this.k = k;
        this.n = n;
        this.bits = bits;
        this.groupSize = groupSize;
        this.groupCols = groupCols;
        this.rowBytes = rowBytes;
        this.packed = packed;
        this.scales = scales;
        this.zeros = zeros;
    }

    private static int groupEntries(int k, int n, int groupSize, int groupCols) {
        return (k / groupSize) * ((n + groupCols - 1) / groupCols);
    }

    private static void checkGroupLengths(int k, int n, int groupSize, int groupCols, int groups, int scales,
                                          byte[] zeros) {
        int rows = k / groupSize;
        int cols = (n + groupCols - 1) / groupCols;
        if (scales != groups) {
            throw new IllegalArgumentException("scales: expected [" + rows + "][" + cols + "] = "
                    + groups + " values, got " + scales);
        }
        if (zeros != null && zeros.length != groups) {
            throw new IllegalArgumentException("zeros: expected [" + rows + "][" + cols + "] = "
                    + groups + " values, got " + zeros.length);
        }
    }

    private static IllegalArgumentException misfitCode(int row, int col, byte code, int bits) {
        return new IllegalArgumentException("qcodes[" + row + "][" + col + "] = " + (code & 0xFF)
                + " does not fit in " + bits + " bits");
    }

    private static void checkGroupValues(int bits, int groupColumns, short[] scales, byte[] zeros) {
        for (int i = 0; i < scales.length; i++) {
            if (!Fp16.isFinite(scales[i])) {
                throw new IllegalArgumentException("scales[" + (i / groupColumns) + "][" + (i % groupColumns)
                        + "] is not finite (FP16 bits 0x" + Integer.toHexString(scales[i] & 0xFFFF) + ")");
            }
        }
        if (zeros != null) {
            int max = (1 << bits) - 1;
            for (int i = 0; i < zeros.length; i++) {
                if ((zeros[i] & 0xFF) > max) {
                    throw new IllegalArgumentException("zeros[" + (i / groupColumns) + "][" + (i % groupColumns)
                            + "] = " + (zeros[i] & 0xFF) + " does not fit in " + bits + " bits");
                }
            }
        }
    }

    /**
     * A builder for weights of this shape whose parts are written piecewise from buffers (a file,
     * a socket), straight into the arrays the weights will own.
     *
     * @param symmetric true when there are no zero points
     * @throws IllegalArgumentException when the shape breaks the rules of {@link QuantSpec}, or
     *         K*N codes would not fit one Java array (so that {@link #codes()} can always answer)
     */
    public static Builder builder(int k, int n, int bits, int groupSize, int groupCols, boolean symmetric) {
        return new Builder(k, n, bits, groupSize, groupCols, symmetric);
    }

    /**
     * Collects the packed codes (or U8 codes, packed as they arrive), scales and zero points of
     * one weight matrix from buffers, then validates them once and hands its arrays to the
     * {@link QuantizedWeights} it builds (no copy). The arrays are never visible outside: every
     * {@code put} copies from the caller's buffer, so nothing can change the weights afterwards.
     * Bytes that are never put are zero. A builder builds once; it is not thread-safe (one thread
     * at a time, e.g. a connection's event loop).
     */
    public static final class Builder {
        private final int k;
        private final int n;
        private final int bits;
        private final int groupSize;
        private final int groupCols;
        private final int rowBytes;
        private byte[] packed;
        private short[] scales;
        private byte[] zeros;
        private byte[] scratch;
        private boolean built;

        private Builder(int k, int n, int bits, int groupSize, int groupCols, boolean symmetric) {
            QuantSpec.checkShape(k, n, bits, groupSize, groupCols);
            if ((long) k * n > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("weight shape [K=" + k + ", N=" + n + "]: K*N = " + (long) k * n
                        + " codes exceed what one array holds (" + (Integer.MAX_VALUE - 16) + ")");
            }
            this.k = k;
            this.n = n;
            this.bits = bits;
            this.groupSize = groupSize;
            this.groupCols = groupCols;
            this.rowBytes = CodePacking.rowBytes(n, bits);
            this.packed = new byte[k * rowBytes];
            int groups = groupEntries(k, n, groupSize, groupCols);
            this.scales = new short[groups];
            this.zeros = symmetric ? null : new byte[groups];
        }

        /** Bytes of the packed codes: K * ceil(N * bits / 8). */
        public long packedCodesBytes() {
            return (long) k * rowBytes;
        }

        /** Bytes of the scales as FP16 little-endian: 2 * (K/g) * ceil(N/gn). */
        public long scaleBytes() {
            return 2L * scales.length;
        }

        /** Bytes of the zero points: (K/g) * ceil(N/gn), or 0 when symmetric. */
        public long zeroBytes() {
            return zeros == null ? 0 : zeros.length;
        }

        private void checkOpen() {
            if (built) {
                throw new IllegalStateException("this builder has built its weights already");
            }
        }

        private static void checkRange(String what, long offset, int len, long size) {
            if (offset < 0 || offset > size - len) {
                throw new IndexOutOfBoundsException(what + ": bytes [" + offset + ", " + (offset + len)
                        + ") are outside 0 .. " + size);
            }
        }

        /**
         * Copies {@code src.remaining()} bytes of the packed codes (layout in the class comment of
         * {@link QuantizedWeights}) to byte offset {@code offset}, advancing src's position.
         */
        public Builder putPackedCodes(long offset, ByteBuffer src) {
            checkOpen();
            int len = src.remaining();
            checkRange("packed codes", offset, len, packed.length);
            src.get(packed, (int) offset, len);
            return this;
        }

        /**
         * Packs {@code src.remaining()} U8 codes (one per byte, row-major [K][N]) starting at code
         * index {@code offset} = row * N + column, advancing src's position.
         *
         * @throws IllegalArgumentException naming the first code that does not fit in bits
         *         (the codes before it are kept)
         */
        public Builder putCodes(long offset, ByteBuffer src) {
            checkOpen();
            checkRange("codes", offset, src.remaining(), (long) k * n);
            while (src.hasRemaining()) {
                int row = (int) (offset / n);
                int col = (int) (offset % n);
                int len = Math.min(n - col, src.remaining());
                byte[] from;
                int at;
                if (src.hasArray()) {
                    from = src.array();
                    at = src.arrayOffset() + src.position();
                    src.position(src.position() + len);
                } else {
                    if (scratch == null) {
                        scratch = new byte[Math.min(n, 1 << 16)];
                    }
                    len = Math.min(len, scratch.length);
                    src.get(scratch, 0, len);
                    from = scratch;
                    at = 0;
                }
                int bad = CodePacking.pack(from, at, packed, row * rowBytes, col, len, bits);
                if (bad >= 0) {
                    throw misfitCode(row, col + bad, from[at + bad], bits);
                }
                offset += len;
            }
            return this;
        }

        /**
         * Copies {@code src.remaining()} bytes of the scales, FP16 little-endian, row-major
         * [K/g][ceil(N/gn)], to byte offset {@code offset}, advancing src's position.
         */
        public Builder putScales(long offset, ByteBuffer src) {
            checkOpen();
            checkRange("scales", offset, src.remaining(), 2L * scales.length);
            int at = (int) offset;
            if ((at & 1) != 0 && src.hasRemaining()) {       // high byte of a scale split across buffers
                scales[at >>> 1] = (short) ((scales[at >>> 1] & 0xFF) | (src.get() & 0xFF) << 8);
                at++;
            }
            int count = src.remaining() >>> 1;
            src.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(scales, at >>> 1, count);
            src.position(src.position() + 2 * count);
            at += 2 * count;
            if (src.hasRemaining()) {                         // low byte of the next one
                scales[at >>> 1] = (short) ((scales[at >>> 1] & 0xFF00) | (src.get() & 0xFF));
            }
            return this;
        }

        /**
         * Copies {@code src.remaining()} zero points (U8, shape of the scales) to index
         * {@code offset}, advancing src's position.
         *
         * @throws IllegalStateException when the weights are symmetric
         */
        public Builder putZeros(long offset, ByteBuffer src) {
            checkOpen();
            if (zeros == null) {
                throw new IllegalStateException("symmetric weights have no zero points");
            }
            int len = src.remaining();
            checkRange("zeros", offset, len, zeros.length);
            src.get(zeros, (int) offset, len);
            return this;
        }

        /**
         * Validates what was put (scales finite, zero points within bits, the padding bits after
         * column N-1 of every packed row zero) and returns the weights, which own the arrays.
         *
         * @throws IllegalArgumentException naming the first value out of range
         * @throws IllegalStateException    when called a second time
         */
        public QuantizedWeights build() {
            checkOpen();
            int tailBits = (int) ((long) n * bits & 7);
            if (tailBits != 0) {
                int pad = 0xFF << tailBits & 0xFF;
                for (int row = 0; row < k; row++) {
                    int last = packed[row * rowBytes + rowBytes - 1] & 0xFF;
                    if ((last & pad) != 0) {
                        throw new IllegalArgumentException("packed codes row " + row + ": the " + (8 - tailBits)
                                + " bits after column " + (n - 1) + " must be 0, last byte is 0x"
                                + Integer.toHexString(last));
                    }
                }
            }
            checkGroupValues(bits, (n + groupCols - 1) / groupCols, scales, zeros);
            built = true;
            QuantizedWeights w = new QuantizedWeights(k, n, bits, groupSize, groupCols, rowBytes, packed, scales, zeros);
            packed = null;
            scales = null;
            zeros = null;
            scratch = null;
            return w;
        }
    }

    /** Rows of W (the reduction dimension). */
    public int k() { return k; }

    /** Columns of W (output features). */
    public int n() { return n; }

    /** Code width in bits: 2, 4 or 8. */
    public int bits() { return bits; }

    /** Rows per group along K (g). */
    public int groupSize() { return groupSize; }

    /** Columns per group along N (gn); 1 for ordinary 1-D groups. */
    public int groupCols() { return groupCols; }

    /** True when there is no zero-point array (z = 2^(bits-1)). */
    public boolean symmetric() { return zeros == null; }

    /** K / g. */
    public int groupRows() { return k / groupSize; }

    /** ceil(N / gn). */
    public int groupColumns() { return (n + groupCols - 1) / groupCols; }

    /** Code q[k][n], 0 .. 2^bits - 1. */
    public int code(int row, int col) {
        int bit = col * bits;
        return (packed[row * rowBytes + (bit >>> 3)] & 0xFF) >>> (bit & 7) & ((1 << bits) - 1);
    }

    /** Scale bits s for the group holding element (row, col). */
    public short scale(int row, int col) { return scales[(row / groupSize) * groupColumns() + col / groupCols]; }

    /** Zero point z for the group holding element (row, col). */
    public int zero(int row, int col) {
        return zeros == null ? 1 << (bits - 1) : zeros[(row / groupSize) * groupColumns() + col / groupCols] & 0xFF;
    }

    /** d[k][n] = q - z, the signed integer multiplied in the datapath. */
    public int d(int row, int col) { return code(row, col) - zero(row, col); }

    /** A copy of the codes, one per byte, [K][N] row-major (K*N bytes: unpacked on every call). */
    public byte[] codes() {
        byte[] out = new byte[k * n];
        for (int row = 0; row < k; row++) {
            CodePacking.unpack(packed, row * rowBytes, out, row * n, n, bits);
        }
        return out;
    }

    /** Bytes of one packed row: ceil(N * bits / 8). */
    public int packedRowBytes() { return rowBytes; }

    /** Bytes of the packed codes: K * {@link #packedRowBytes()}. */
    public long packedCodesBytes() { return (long) k * rowBytes; }

    /**
     * Copies {@code dst.remaining()} bytes of the packed codes (layout in the class comment),
     * starting at byte offset {@code offset}, into dst (heap or direct) and advances its position.
     * The weights' own array is never exposed.
     *
     * @throws IndexOutOfBoundsException when the range is not within {@link #packedCodesBytes()}
     */
    public void getPackedCodes(long offset, ByteBuffer dst) {
        int len = dst.remaining();
        if (offset < 0 || offset > packed.length - (long) len) {
            throw new IndexOutOfBoundsException("packed codes: bytes [" + offset + ", " + (offset + len)
                    + ") are outside 0 .. " + packed.length);
        }
        dst.put(packed, (int) offset, len);
    }

    /**
     * Adds the packed codes, all {@link #packedCodesBytes()} of them in order, to a CRC32C: the
     * checksum of what {@link #getPackedCodes} would copy out, without the copy (for a transport
     * that announces the checksum before it sends the bytes). {@code CRC32C} is a final JDK class,
     * so the array is not exposed.
     */
    public void updateChecksum(CRC32C crc) {
        crc.update(packed, 0, packed.length);
    }

    /** The packed codes themselves, for the packers of this package. Never modified, never handed out. */
    byte[] packedArray() { return packed; }

    /** The scale array itself, for the packers of this package. */
    short[] scaleArray() { return scales; }

    /** The zero-point array itself (null when symmetric), for the packers of this package. */
    byte[] zeroArray() { return zeros; }

    /** A copy of the scale bits, [K/g][ceil(N/gn)] row-major. */
    public short[] scales() { return scales.clone(); }

    /** A copy of the zero points, or null when symmetric. */
    public byte[] zeros() { return zeros == null ? null : zeros.clone(); }

    /** The dequantized value s * (q - z) as FP64 (exact: |d| <= 255 and s is FP16). */
    public double dequantized(int row, int col) {
        return (double) Fp16.toFloat(scale(row, col)) * d(row, col);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedWeights w && k == w.k && n == w.n && bits == w.bits
                && groupSize == w.groupSize && groupCols == w.groupCols && Arrays.equals(packed, w.packed)
                && Arrays.equals(scales, w.scales) && Arrays.equals(zeros, w.zeros);
    }

    @Override
    public int hashCode() {
        return Objects.hash(k, n, bits, groupSize, groupCols, Arrays.hashCode(packed), Arrays.hashCode(scales),
                Arrays.hashCode(zeros));
    }

    @Override
    public String toString() {
        return "QuantizedWeights[K=" + k + ", N=" + n + ", INT" + bits + ", g=" + groupSize
                + (groupCols > 1 ? "x" + groupCols : "") + (symmetric() ? ", symmetric" : ", asymmetric") + "]";
    }
}
