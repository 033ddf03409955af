package io.pacq;

import java.time.Duration;
import java.util.Objects;

/**
 * One GEMM: C [M][N] = A [M][K] x W [K][N] with weights already on the device. Immutable.
 *
 * @param weights     weights uploaded to the device that runs the request
 * @param activations A, FP16 [M][K]
 * @param mode        PACQ (default), DEQUANT or KPACKED
 * @param output      F16 (default) or F32
 * @param timeout     deadline for the whole command, or null for the device's default
 */
public record GemmRequest(WeightHandle weights, Fp16Matrix activations, GemmMode mode, OutputType output,
                          Duration timeout) {

    public GemmRequest {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(output, "output");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** PACQ mode, FP16 output, the device's default timeout. */
    public static GemmRequest of(WeightHandle weights, Fp16Matrix activations) {
        return new GemmRequest(weights, activations, GemmMode.PACQ, OutputType.F16, null);
    }

    /** The same request in another mode. */
    public GemmRequest withMode(GemmMode m) {
        return new GemmRequest(weights, activations, m, output, timeout);
    }

    /** The same request with another output type. */
    public GemmRequest withOutput(OutputType o) {
        return new GemmRequest(weights, activations, mode, o, timeout);
    }

    /** The same request with a deadline. */
    public GemmRequest withTimeout(Duration t) {
        return new GemmRequest(weights, activations, mode, output, t);
    }

    /** Rows of A and C. */
    public int m() {
        return activations.rows();
    }
}
