package io.pacq;

import io.pacq.fp.Fp16;

/**
 * The output C [M][N] of one GEMM with what the device reported. Immutable; the accessors that
 * return arrays return copies.
 */
public final class GemmResult {
    private final int m;
    private final int n;
    private final OutputType type;
    private final short[] f16;
    private final int[] f32;
    private final CommandStats stats;
    private final long deviceNanos;

    private GemmResult(int m, int n, OutputType type, short[] f16, int[] f32, CommandStats stats, long deviceNanos) {
        this.m = m;
        this.n = n;
        this.type = type;
        this.f16 = f16;
        this.f32 = f32;
        this.stats = stats;
        this.deviceNanos = deviceNanos;
    }

    /** FP16 result; takes ownership of the array. */
    public static GemmResult ofF16(int m, int n, short[] bits, CommandStats stats, long nanos) {
        check(m, n, bits.length);
        return new GemmResult(m, n, OutputType.F16, bits, null, stats, nanos);
    }

    /** FP32 result; takes ownership of the array. */
    public static GemmResult ofF32(int m, int n, int[] bits, CommandStats stats, long nanos) {
        check(m, n, bits.length);
        return new GemmResult(m, n, OutputType.F32, null, bits, stats, nanos);
    }

    private static void check(int m, int n, int len) {
        if ((long) m * n != len) {
            throw new IllegalArgumentException("result [" + m + ", " + n + "] needs " + (long) m * n
                    + " elements, got " + len);
        }
    }

    /** Rows. */
    public int m() { return m; }

    /** Columns. */
    public int n() { return n; }

    /** Element type. */
    public OutputType type() { return type; }

    /** Element (r, c) as a float (exact for both types). */
    public float get(int r, int c) {
        int i = r * n + c;
        return type == OutputType.F16 ? Fp16.toFloat(f16[i]) : Float.intBitsToFloat(f32[i]);
    }

    /** FP16 bits, [M][N] row-major (a copy); only for F16 results. */
    public short[] f16Bits() {
        if (f16 == null) {
            throw new IllegalStateException("result is " + type + ", not F16");
        }
        return f16.clone();
    }

    /** FP32 bits, [M][N] row-major (a copy); only for F32 results. */
    public int[] f32Bits() {
        if (f32 == null) {
            throw new IllegalStateException("result is " + type + ", not F32");
        }
        return f32.clone();
    }

    /** All elements as floats, [M][N] row-major. */
    public float[] toFloats() {
        float[] out = new float[m * n];
        for (int i = 0; i < out.length; i++) {
            out[i] = type == OutputType.F16 ? Fp16.toFloat(f16[i]) : Float.intBitsToFloat(f32[i]);
        }
        return out;
    }

    /** Completion-record counters of this command. */
    public CommandStats stats() { return stats; }

    /** Host-observed time from submission to completion, in nanoseconds. */
    public long deviceNanos() { return deviceNanos; }
}
