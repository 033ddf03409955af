package io.pacq.fp;

/**
 * IEEE 754 binary16 helpers on raw bit patterns ({@code short}), as the numerics contract uses
 * them. Stateless and thread-safe.
 */
public final class Fp16 {
    private Fp16() {}

    /** Canonical quiet NaN written for any NaN FP16 output (numerics contract, "Output encoding"). */
    public static final short CANONICAL_NAN = 0x7E00;
    /** Canonical quiet NaN written for any NaN FP32 output. */
    public static final int CANONICAL_NAN_F32 = 0x7FC00000;
    /** Largest finite FP16 value, 65504. */
    public static final float MAX_VALUE = 65504f;

    /** The exact value of an FP16 bit pattern (every FP16 value is exactly representable in FP32). */
    public static float toFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** RN16: round to the nearest FP16, ties to even, overflow to infinity, subnormal results kept. */
    public static short fromFloat(float value) {
        return Float.floatToFloat16(value);
    }

    /** RN16 with the contract's output encoding: any NaN becomes {@link #CANONICAL_NAN}. */
    public static short toOutput(float acc) {
        return Float.isNaN(acc) ? CANONICAL_NAN : Float.floatToFloat16(acc);
    }

    /** FP32 output encoding: the bits of acc, any NaN becomes {@link #CANONICAL_NAN_F32}. */
    public static int toOutputF32(float acc) {
        return Float.isNaN(acc) ? CANONICAL_NAN_F32 : Float.floatToRawIntBits(acc);
    }

    /** True for a finite FP16 bit pattern (exponent field not all ones). */
    public static boolean isFinite(short bits) {
        return (bits & 0x7C00) != 0x7C00;
    }

    /** Converts an array of floats to FP16 bits with RN16. */
    public static short[] fromFloats(float[] values) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = fromFloat(values[i]);
        }
        return out;
    }

    /** Converts an array of FP16 bits to floats. */
    public static float[] toFloats(short[] bits) {
        float[] out = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = toFloat(bits[i]);
        }
        return out;
    }
}
