package io.pacq.tensor;

import io.pacq.fp.Bf16;
import io.pacq.fp.Fp16;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor: an element type, a shape and the elements in C order (last index fastest),
 * little-endian, as both safetensors and {@code .npy} store them. Rank 0 (a scalar, one element)
 * and zero-size dimensions are allowed. Immutable: arrays are copied in and out; thread-safe.
 *
 * <p>The data lives in one Java array, so a tensor holds at most {@link #MAX_BYTES} bytes.
 */
public final class Tensor {
    /** The largest data size in bytes (the largest Java array the JVM reliably allocates). */
    public static final int MAX_BYTES = Integer.MAX_VALUE - 8;
    /** The largest rank (number of dimensions) of a tensor, in memory and in files. */
    public static final int MAX_RANK = 64;

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final DType dtype;
    private final long[] shape;
    private final byte[] data;

    private Tensor(DType dtype, long[] shape, byte[] data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * A tensor over a copy of little-endian element bytes.
     *
     * @throws IllegalArgumentException when a dimension is negative or the byte count is not
     *                                  elements * element size
     */
    public static Tensor of(DType dtype, long[] shape, byte[] littleEndianData) {
        Objects.requireNonNull(littleEndianData, "data");
        return wrap(dtype, shape, littleEndianData.clone());
    }

    /** Takes ownership of data (no copy); readers use this for bytes they allocated themselves. */
    static Tensor wrap(DType dtype, long[] shape, byte[] data) {
        Objects.requireNonNull(dtype, "dtype");
        long[] s = Objects.requireNonNull(shape, "shape").clone();
        if (s.length > MAX_RANK) {
            throw new IllegalArgumentException("rank " + s.length + " exceeds the largest supported rank " + MAX_RANK);
        }
        long bytes = byteSize(dtype, s);
        if (bytes != data.length) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(s) + " needs " + bytes
                    + " bytes, got " + data.length);
        }
        return new Tensor(dtype, s, data);
    }

    /**
     * Elements * element size for a shape, or an exception naming the dimension when a dimension
     * is negative or the size exceeds {@link #MAX_BYTES}. Overflow-safe.
     */
    static long byteSize(DType dtype, long[] shape) {
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(shape) + " is negative");
            }
            count = mulOrMax(count, shape[i]);
        }
        long bytes = mulOrMax(count, dtype.size());
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape)
                    + " exceeds the largest supported size of " + MAX_BYTES + " bytes");
        }
        return bytes;
    }

    /** a * b for non-negative values, saturating at Long.MAX_VALUE. */
    static long mulOrMax(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** FP16 bit patterns. */
    public static Tensor ofF16(long[] shape, short[] bits) { return wrap(DType.F16, shape, shortsToBytes(bits)); }

    /** bfloat16 bit patterns. */
    public static Tensor ofBf16(long[] shape, short[] bits) { return wrap(DType.BF16, shape, shortsToBytes(bits)); }

    /** FP32 values (raw bits kept, NaN payloads included). */
    public static Tensor ofF32(long[] shape, float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return ofF32Bits(shape, bits);
    }

    /** FP32 bit patterns, e.g. the FP32 output of a GEMM. */
    public static Tensor ofF32Bits(long[] shape, int[] bits) { return wrap(DType.F32, shape, intsToBytes(bits)); }

    /** Unsigned bytes. */
    public static Tensor ofU8(long[] shape, byte[] values) { return wrap(DType.U8, shape, values.clone()); }

    /** Signed bytes. */
    public static Tensor ofI8(long[] shape, byte[] values) { return wrap(DType.I8, shape, values.clone()); }

    /** Signed 16-bit integers. */
    public static Tensor ofI16(long[] shape, short[] values) { return wrap(DType.I16, shape, shortsToBytes(values)); }

    /** Signed 32-bit integers. */
    public static Tensor ofI32(long[] shape, int[] values) { return wrap(DType.I32, shape, intsToBytes(values)); }

    /**
     * Floats converted to a floating type: F32 exactly, F16 with RN16 (ties to even, overflow to
     * infinity), BF16 rounded to nearest-even.
     *
     * @throws IllegalArgumentException for an integer dtype
     */
    public static Tensor fromFloats(DType dtype, long[] shape, float[] values) {
        return switch (dtype) {
            case F32 -> ofF32(shape, values);
            case F16 -> ofF16(shape, Fp16.fromFloats(values));
            case BF16 -> {
                short[] b = new short[values.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = Bf16.fromFloat(values[i]);
                }
                yield ofBf16(shape, b);
            }
            default -> throw new IllegalArgumentException("fromFloats makes floating tensors, not " + dtype);
        };
    }

    /** Element type. */
    public DType dtype() { return dtype; }

    /** A copy of the shape; empty for a scalar. */
    public long[] shape() { return shape.clone(); }

    /** Number of dimensions. */
    public int rank() { return shape.length; }

    /** Size of dimension i. */
    public long dim(int i) { return shape[i]; }

    /** Number of elements (1 for a scalar). */
    public int elementCount() { return data.length / dtype.size(); }

    /** Data size in bytes. */
    public int byteSize() { return data.length; }

    /** A copy of the little-endian element bytes. */
    public byte[] toBytes() { return data.clone(); }

    /** The element bytes without a copy, for writers in this package. */
    byte[] bytesView() { return data; }

    /**
     * The raw 16-bit patterns of an F16, BF16 or I16 tensor.
     *
     * @throws IllegalStateException for another dtype
     */
    public short[] toShorts() {
        if (dtype.size() != 2) {
            throw new IllegalStateException("toShorts needs a 2-byte dtype, this tensor is " + dtype);
        }
        short[] out = new short[data.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) SHORT_LE.get(data, 2 * i);
        }
        return out;
    }

    /**
     * The values of an integer tensor: U8 zero-extended, I8 and I16 sign-extended, I32 as is.
     *
     * @throws IllegalStateException for a floating dtype
     */
    public int[] toInts() {
        int n = elementCount();
        int[] out = new int[n];
        switch (dtype) {
            case U8 -> { for (int i = 0; i < n; i++) out[i] = data[i] & 0xFF; }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = data[i]; }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = (short) SHORT_LE.get(data, 2 * i); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = (int) INT_LE.get(data, 4 * i); }
            default -> throw new IllegalStateException("toInts needs an integer dtype, this tensor is " + dtype);
        }
        return out;
    }

    /**
     * The values as floats: exact for F16, BF16, F32, U8, I8 and I16; I32 values beyond 2^24 are
     * rounded to the nearest float.
     */
    public float[] toFloats() {
        int n = elementCount();
        float[] out = new float[n];
        switch (dtype) {
            case F16 -> { for (int i = 0; i < n; i++) out[i] = Fp16.toFloat((short) SHORT_LE.get(data, 2 * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Bf16.toFloat((short) SHORT_LE.get(data, 2 * i)); }
            case F32 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((int) INT_LE.get(data, 4 * i)); }
            default -> {
                int[] v = toInts();
                for (int i = 0; i < n; i++) out[i] = v[i];
            }
        }
        return out;
    }

    /**
     * The values as FP16 bit patterns: F16 as is, every other type rounded with RN16 (ties to even,
     * overflow to infinity). Each value is rounded once: every non-F16 value is first exact in a
     * float, except I32 values beyond 2^24, which overflow FP16 either way.
     */
    public short[] toFp16Bits() {
        return dtype == DType.F16 ? toShorts() : Fp16.fromFloats(toFloats());
    }

    private static byte[] shortsToBytes(short[] v) {
        byte[] out = new byte[v.length * 2];
        for (int i = 0; i < v.length; i++) {
            SHORT_LE.set(out, 2 * i, v[i]);
        }
        return out;
    }

    private static byte[] intsToBytes(int[] v) {
        byte[] out = new byte[Math.multiplyExact(v.length, 4)];
        for (int i = 0; i < v.length; i++) {
            INT_LE.set(out, 4 * i, v[i]);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
