package io.pacq.quant;

import io.pacq.fp.Fp16;

import java.util.Arrays;
import java.util.Objects;

/**
 * An unpacked quantized weight matrix W [K][N]: codes, per-group scales and zero points, in the
 * notation of the numerics contract. Immutable once built (the arrays are copied in and never
 * handed out); thread-safe.
 *
 * <pre>
 *   w[k][n] ~= s[G][n / gn] * (q[k][n] - z[G][n / gn]),   G = k / g
 *
 *   codes  q  U8  [K][N]              0 <= q < 2^bits
 *   scales s  F16 [K/g][ceil(N/gn)]   finite
 *   zeros  z  U8  [K/g][ceil(N/gn)]   0 <= z < 2^bits; absent = symmetric, z = 2^(bits-1)
 * </pre>
 */
public final class QuantizedWeights {
    private final int k;
    private final int n;
    private final int bits;
    private final int groupSize;
    private final int groupCols;
    private final byte[] codes;
    private final short[] scales;
    private final byte[] zeros;

    /**
     * Validates and copies.
     *
     * @param codes     q, K*N bytes, row-major
     * @param scales    FP16 bit patterns, (K/g)*ceil(N/gn), row-major
     * @param zeros     zero points with the shape of scales, or null for symmetric quantization
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public QuantizedWeights(int k, int n, int bits, int groupSize, int groupCols,
                            byte[] codes, short[] scales, byte[] zeros) {
        QuantSpec.checkShape(k, n, bits, groupSize, groupCols);
        Objects.requireNonNull(codes, "codes");
        Objects.requireNonNull(scales, "scales");
        this.k = k;
        this.n = n;
        this.bits = bits;
        this.groupSize = groupSize;
        this.groupCols = groupCols;
        long expectCodes = (long) k * n;
        if (codes.length != expectCodes) {
            throw new IllegalArgumentException("qcodes: expected K*N = " + expectCodes + " bytes, got " + codes.length);
        }
        int groups = groupRows() * groupColumns();
        if (scales.length != groups) {
            throw new IllegalArgumentException("scales: expected [" + groupRows() + "][" + groupColumns() + "] = "
                    + groups + " values, got " + scales.length);
        }
        if (zeros != null && zeros.length != groups) {
            throw new IllegalArgumentException("zeros: expected [" + groupRows() + "][" + groupColumns() + "] = "
                    + groups + " values, got " + zeros.length);
        }
        int max = (1 << bits) - 1;
        for (int i = 0; i < codes.length; i++) {
            if ((codes[i] & 0xFF) > max) {
                throw new IllegalArgumentException("qcodes[" + (i / n) + "][" + (i % n) + "] = " + (codes[i] & 0xFF)
                        + " does not fit in " + bits + " bits");
            }
        }
        for (int i = 0; i < scales.length; i++) {
            if (!Fp16.isFinite(scales[i])) {
                throw new IllegalArgumentException("scales[" + (i / groupColumns()) + "][" + (i % groupColumns())
                        + "] is not finite (FP16 bits 0x" + Integer.toHexString(scales[i] & 0xFFFF) + ")");
            }
        }
        if (zeros != null) {
            for (int i = 0; i < zeros.length; i++) {
                if ((zeros[i] & 0xFF) > max) {
                    throw new IllegalArgumentException("zeros[" + (i / groupColumns()) + "][" + (i % groupColumns())
                            + "] = " + (zeros[i] & 0xFF) + " does not fit in " + bits + " bits");
                }
            }
        }
        this.codes = codes.clone();
        this.scales = scales.clone();
        this.zeros = zeros == null ? null : zeros.clone();
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
    public int code(int row, int col) { return codes[row * n + col] & 0xFF; }

    /** Scale bits s for the group holding element (row, col). */
    public short scale(int row, int col) { return scales[(row / groupSize) * groupColumns() + col / groupCols]; }

    /** Zero point z for the group holding element (row, col). */
    public int zero(int row, int col) {
        return zeros == null ? 1 << (bits - 1) : zeros[(row / groupSize) * groupColumns() + col / groupCols] & 0xFF;
    }

    /** d[k][n] = q - z, the signed integer multiplied in the datapath. */
    public int d(int row, int col) { return code(row, col) - zero(row, col); }

    /** A copy of the codes, [K][N] row-major. */
    public byte[] codes() { return codes.clone(); }

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
                && groupSize == w.groupSize && groupCols == w.groupCols && Arrays.equals(codes, w.codes)
                && Arrays.equals(scales, w.scales) && Arrays.equals(zeros, w.zeros);
    }

    @Override
    public int hashCode() {
        return Objects.hash(k, n, bits, groupSize, groupCols, Arrays.hashCode(codes), Arrays.hashCode(scales),
                Arrays.hashCode(zeros));
    }

    @Override
    public String toString() {
        return "QuantizedWeights[K=" + k + ", N=" + n + ", INT" + bits + ", g=" + groupSize
                + (groupCols > 1 ? "x" + groupCols : "") + (symmetric() ? ", symmetric" : ", asymmetric") + "]";
    }
}
