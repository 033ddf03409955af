package io.pacq;

/** Element type of a GEMM's output C (numerics contract, "Output encoding"). */
public enum OutputType {
    /** RN16(acc), NaN written as 0x7E00. */
    F16(2),
    /** acc itself, NaN written as 0x7FC00000. */
    F32(4);

    private final int bytes;

    OutputType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
