package io.pacq;

import io.pacq.abi.Abi;

/** What a GEMM command computes and how (numerics contract; ABI {@code Mode}). */
public enum GemmMode {
    /** The PacQ hyper-asymmetric GEMM: exact FP16 x INT products, FP32 per-group partial sums. */
    PACQ(Abi.Mode.PACQ),
    /** The conventional baseline: dequantize weights to FP16, then FP16 x FP16 into FP32. */
    DEQUANT(Abi.Mode.DEQUANT),
    /** PACQ numerics from the K-packed layout (the paper's P(B)k baseline dataflow). */
    KPACKED(Abi.Mode.KPACKED);

    private final int abiCode;

    GemmMode(int abiCode) {
        this.abiCode = abiCode;
    }

    /** The ABI value carried in the descriptor's MODE field. */
    public int abiCode() {
        return abiCode;
    }

    /** The mode with this ABI value. */
    public static GemmMode fromAbi(int code) {
        for (GemmMode m : values()) {
            if (m.abiCode == code) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown GEMM mode " + code);
    }
}
