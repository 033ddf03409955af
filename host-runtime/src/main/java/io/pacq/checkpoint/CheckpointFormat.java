package io.pacq.checkpoint;

import java.util.Locale;

/**
 * The packed layouts of quantized checkpoints that {@link CheckpointImporter} reads. Each layer
 * {@code <prefix>} of a checkpoint is a set of tensors named {@code <prefix>.<suffix>}.
 */
public enum CheckpointFormat {
    /**
     * AutoGPTQ "v1": {@code qweight} I32 [K·b/32, N] with codes packed along K, lowest bits first;
     * {@code qzeros} I32 [K/g, N·b/32] packed along N, each stored zero being the real zero minus
     * one; {@code scales} F16 [K/g, N]; optional {@code g_idx} I32 [K]. Bits 2, 4 and 8.
     */
    GPTQ,
    /**
     * AutoAWQ GEMM: {@code qweight} I32 [K, N·b/32] packed along N with the nibble order
     * 0, 2, 4, 6, 1, 3, 5, 7; {@code qzeros} I32 [K/g, N·b/32] in the same order, stored as is;
     * {@code scales} F16 [K/g, N]. 4 bits.
     */
    AWQ;

    /** The lower-case name used on the command line ("gptq", "awq"). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format of a command-line name, case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static CheckpointFormat parse(String s) {
        for (CheckpointFormat f : values()) {
            if (f.cliName().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown checkpoint format '" + s + "'; expected gptq or awq");
    }
}
