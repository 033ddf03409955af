package io.pacq.fp;

/**
 * bfloat16 helpers on raw bit patterns ({@code short}): the upper half of an IEEE 754 binary32.
 * Used only to read and write tensor files; the device never computes in bfloat16. Stateless and
 * thread-safe.
 */
public final class Bf16 {
    private Bf16() {}

    /** The exact value of a bfloat16 bit pattern. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Rounds a float to bfloat16, to nearest, ties to even; overflow gives infinity; NaN stays NaN
     * (quiet, sign kept).
     */
    public static short fromFloat(float value) {
        int x = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((x >>> 16) | 0x0040);
        }
        // Adding 0x7FFF plus the lowest kept bit rounds to nearest-even on the 16 dropped bits; a
        // carry into the exponent is the correct rounding up (up to infinity).
        int lsb = (x >>> 16) & 1;
        return (short) ((x + 0x7FFF + lsb) >>> 16);
    }
}
