package io.pacq.quant;

import io.pacq.abi.Abi;

/**
 * How weights are quantized: code width, group size along K, group width along N, and whether
 * zero points are stored. Immutable.
 *
 * <p>Rules shared by every producer of {@link QuantizedWeights}: bits is 2, 4 or 8; the group size
 * g is a multiple of {@value io.pacq.abi.Abi#GROUP_K_MULTIPLE} (the matrix units' k-step) that
 * divides K; group columns gn is a power of two from 1 to {@value io.pacq.abi.Abi#MAX_GROUP_COLS}.
 *
 * @param bits       2, 4 or 8
 * @param groupSize  g, rows of W per group
 * @param groupCols  gn, columns per group (1: ordinary per-column groups)
 * @param symmetric  true: no zero points, z = 2^(bits-1)
 */
public record QuantSpec(int bits, int groupSize, int groupCols, boolean symmetric) {

    public QuantSpec {
        checkBits(bits);
        if (groupSize <= 0 || groupSize % Abi.GROUP_K_MULTIPLE != 0) {
            throw new IllegalArgumentException("group size must be a positive multiple of " + Abi.GROUP_K_MULTIPLE
                    + ", got " + groupSize);
        }
        checkGroupCols(groupCols);
    }

    /** Asymmetric INT-bits quantization with groups of g rows and one column. */
    public static QuantSpec of(int bits, int groupSize) {
        return new QuantSpec(bits, groupSize, 1, false);
    }

    /** The same spec with 2-D groups of gn columns. */
    public QuantSpec withGroupCols(int gn) {
        return new QuantSpec(bits, groupSize, gn, symmetric);
    }

    /** The same spec, symmetric. */
    public QuantSpec asSymmetric() {
        return new QuantSpec(bits, groupSize, groupCols, true);
    }

    static void checkBits(int bits) {
        if (bits != 2 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("bits must be 2, 4 or 8, got " + bits);
        }
    }

    static void checkGroupCols(int gn) {
        if (gn < 1 || gn > Abi.MAX_GROUP_COLS || Integer.bitCount(gn) != 1) {
            throw new IllegalArgumentException("group columns must be a power of two from 1 to "
                    + Abi.MAX_GROUP_COLS + ", got " + gn);
        }
    }

    /** Checks a whole weight shape against the rules above; the message names the bad value. */
    public static void checkShape(int k, int n, int bits, int groupSize, int groupCols) {
        checkBits(bits);
        if (k <= 0 || n <= 0 || k > Abi.MAX_DIM || n > Abi.MAX_DIM) {
            throw new IllegalArgumentException("weight shape [K=" + k + ", N=" + n + "] must be within 1 .. "
                    + Abi.MAX_DIM);
        }
        if (groupSize <= 0 || groupSize % Abi.GROUP_K_MULTIPLE != 0) {
            throw new IllegalArgumentException("group size must be a positive multiple of " + Abi.GROUP_K_MULTIPLE
                    + ", got " + groupSize);
        }
        if (k % groupSize != 0) {
            throw new IllegalArgumentException("K = " + k + " is not a multiple of the group size " + groupSize);
        }
        checkGroupCols(groupCols);
    }
}
