package io.pacq.emu.bench;

/**
 * The benchmark's "dequantize to float, then float GEMM" baseline: every call first expands the
 * packed weights to an FP32 matrix in host memory (w = (q - z) * s, one rounding), then runs an
 * FP32 GEMM over it. Not bit-exact to either contract mode (it is the conventional CPU recipe).
 * Implementations are created once per weight matrix; {@link #run} is not thread-safe.
 */
interface DequantGemm {
    /**
     * Dequantizes and multiplies; returns C as floats, [M][N] row-major.
     *
     * @param a activations as floats, [M][K] row-major
     */
    float[] run(float[] a, int m);

    /** What the implementation is, for the report. */
    String describe();
}
