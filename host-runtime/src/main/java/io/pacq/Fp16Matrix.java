package io.pacq;

import io.pacq.fp.Fp16;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense FP16 matrix, row-major, held as raw bit patterns: the activations A of a GEMM.
 * Immutable (the array is copied in and out); thread-safe.
 */
public final class Fp16Matrix {
    private final int rows;
    private final int cols;
    private final short[] bits;

    private Fp16Matrix(int rows, int cols, short[] bits) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape [" + rows + ", " + cols + "] must be positive");
        }
        if (bits.length != (long) rows * cols) {
            throw new IllegalArgumentException("matrix [" + rows + ", " + cols + "] needs " + (long) rows * cols
                    + " elements, got " + bits.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.bits = bits;
    }

    /** Wraps a copy of FP16 bit patterns [rows][cols] row-major. */
    public static Fp16Matrix ofBits(int rows, int cols, short[] bits) {
        return new Fp16Matrix(rows, cols, Objects.requireNonNull(bits, "bits").clone());
    }

    /** Rounds floats to FP16 (RN16). */
    public static Fp16Matrix ofFloats(int rows, int cols, float[] values) {
        return new Fp16Matrix(rows, cols, Fp16.fromFloats(values));
    }

    /** Rows (M for activations). */
    public int rows() { return rows; }

    /** Columns (K for activations). */
    public int cols() { return cols; }

    /** Element (r, c) as FP16 bits. */
    public short bitsAt(int r, int c) { return bits[r * cols + c]; }

    /** Element (r, c) as a float (exact). */
    public float get(int r, int c) { return Fp16.toFloat(bits[r * cols + c]); }

    /** A copy of the bit patterns. */
    public short[] toBits() { return bits.clone(); }

    /** The bit patterns without copying; callers must not modify them. */
    public short[] bitsView() { return bits; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fp16Matrix m && rows == m.rows && cols == m.cols && Arrays.equals(bits, m.bits);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return "Fp16Matrix[" + rows + " x " + cols + "]";
    }
}
