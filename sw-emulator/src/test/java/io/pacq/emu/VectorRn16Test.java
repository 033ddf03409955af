package io.pacq.emu;

import io.pacq.fp.Fp16;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vector engine's lane-wise RN16 (DEQUANT's w = RN16(d * s)) against the JDK's
 * Float.floatToFloat16, exhaustively over its whole domain: every d in [-255, 255] times every
 * finite FP16 scale. The vector class is compiled separately, so it is reached by a method handle.
 */
class VectorRn16Test {

    @Test
    void matchesFloatToFloat16ForEveryProductOfDAndAFiniteScale() throws Throwable {
        Class<?> cls = Class.forName("io.pacq.emu.VectorGemmEngine");
        MethodHandle rn16 = MethodHandles.lookup().findStatic(cls, "rn16",
                MethodType.methodType(void.class, float[].class, float[].class));
        float[] in = new float[65536];
        float[] out = new float[65536];
        long checked = 0;
        for (int d = -255; d <= 255; d++) {
            int n = 0;
            for (int bits = 0; bits < 65536; bits++) {
                short s = (short) bits;
                if (Fp16.isFinite(s)) {
                    in[n++] = d * Fp16.toFloat(s); // exact: 8 x 11 significant bits
                }
            }
            while (n % 16 != 0) {
                in[n++] = 0f;
            }
            rn16.invoke(in, out);
            for (int i = 0; i < n; i++) {
                float expect = Fp16.toFloat(Fp16.fromFloat(in[i]));
                if (Float.floatToRawIntBits(expect) != Float.floatToRawIntBits(out[i])) {
                    assertEquals(Integer.toHexString(Float.floatToRawIntBits(expect)),
                            Integer.toHexString(Float.floatToRawIntBits(out[i])), "RN16(" + in[i] + "), d = " + d);
                }
            }
            checked += n;
        }
assertEquals(511L * 63488, checked, "every (d, finite scale) pair was checked");
    }
}
