package io.pacq.tools;

import io.pacq.quant.QuantSpec;
import picocli.CommandLine.Option;

/** The quantization options shared by {@code pacq quantize} and {@code pacq gemm}. */
final class QuantOptions {
    @Option(names = "--bits", paramLabel = "B", description = "Weight bits: 2, 4 or 8.")
    Integer bits;

    @Option(names = "--group", paramLabel = "G", description = "Group size along K (a multiple of 16 dividing K).")
    Integer group;

    @Option(names = "--group-cols", paramLabel = "C", defaultValue = "1",
            description = "Columns per group (2-D groups, a power of two up to 32), default ${DEFAULT-VALUE}.")
    int groupCols;

    @Option(names = "--symmetric", description = "Symmetric quantization (no zero points).")
    boolean symmetric;

    /** True when the user asked for quantization. */
    boolean given() {
        return bits != null || group != null;
    }

    /** The spec; both --bits and --group are required. */
    QuantSpec spec() {
        if (bits == null || group == null) {
            throw new IllegalArgumentException("quantizing needs both --bits and --group");
        }
        return new QuantSpec(bits, group, groupCols, symmetric);
    }
}
