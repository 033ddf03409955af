package io.pacq.emu;

import io.pacq.GemmMode;
import io.pacq.abi.Abi;
import io.pacq.quant.KPackedWeights;
import io.pacq.quant.PackedWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A GEMM descriptor decoded from the command ring (ABI {@code Desc}). Immutable.
 */
public record GemmCommand(int seq, GemmMode mode, int bits, boolean outF32, boolean symmetric, int m, int n, int k,
                          int groupSize, int groupCols, long addrA, long addrW, long addrScales, long addrZeros,
                          long addrC) {

    /** Decodes a 128-byte descriptor whose opcode is GEMM; throws {@link BadDescriptor} on bad fields. */
    public static GemmCommand decode(ByteBuffer d) {
        d = d.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int modeCode = d.get(Abi.Desc.MODE) & 0xFF;
        GemmMode mode;
        try {
            mode = GemmMode.fromAbi(modeCode);
        } catch (IllegalArgumentException e) {
            throw new BadDescriptor("unknown mode " + modeCode);
        }
        int flags = d.get(Abi.Desc.FLAGS) & 0xFF;
        GemmCommand c = new GemmCommand(d.getInt(Abi.Desc.SEQ), mode, d.get(Abi.Desc.BITS) & 0xFF,
                (flags & Abi.DescFlags.OUT_F32) != 0, (flags & Abi.DescFlags.SYMMETRIC) != 0, d.getInt(Abi.Desc.M),
                d.getInt(Abi.Desc.N), d.getInt(Abi.Desc.K), d.getInt(Abi.Desc.GROUP_SIZE),
                d.getInt(Abi.Desc.GROUP_COLS), d.getLong(Abi.Desc.ADDR_A), d.getLong(Abi.Desc.ADDR_W),
                d.getLong(Abi.Desc.ADDR_SCALES), d.getLong(Abi.Desc.ADDR_ZEROS), d.getLong(Abi.Desc.ADDR_C));
        c.validate();
        return c;
    }

    private void validate() {
        if (bits != 2 && bits != 4 && bits != 8) {
            throw new BadDescriptor("bits = " + bits);
        }
        if (m < 1 || n < 1 || k < 1 || m > Abi.MAX_DIM || n > Abi.MAX_DIM || k > Abi.MAX_DIM) {
            throw new BadDescriptor("shape m=" + m + " n=" + n + " k=" + k);
        }
        if (groupSize < 1 || groupSize % Abi.GROUP_K_MULTIPLE != 0 || k % groupSize != 0) {
            throw new BadDescriptor("group size " + groupSize + " for k=" + k);
        }
        if (groupCols < 1 || groupCols > Abi.MAX_GROUP_COLS || Integer.bitCount(groupCols) != 1) {
            throw new BadDescriptor("group cols " + groupCols);
        }
        for (long a : new long[] {addrA, addrW, addrScales, addrC}) {
            if (a % Abi.MEM_ALIGN != 0) {
                throw new BadDescriptor("operand address 0x" + Long.toHexString(a) + " is not " + Abi.MEM_ALIGN
                        + "-byte aligned");
            }
        }
        if (!symmetric && addrZeros % Abi.MEM_ALIGN != 0) {
            throw new BadDescriptor("zeros address 0x" + Long.toHexString(addrZeros) + " is not aligned");
        }
    }

    /** Bytes of A. */
    public long aBytes() { return (long) m * k * 2; }

    /** Bytes of C. */
    public long cBytes() { return (long) m * n * (outF32 ? 4 : 2); }

    /** Bytes of the weight array this mode reads. */
    public long wBytes() {
        return mode == GemmMode.KPACKED ? KPackedWeights.weightBytes(k, n, bits) : PackedWeights.weightBytes(k, n, bits);
    }

    /** Entries of the scale (and zero) arrays. */
    public long groupEntries() { return PackedWeights.groupEntries(k, n, bits, groupSize, groupCols); }

    /** Checks every operand range against memory; throws {@link DeviceMemory.AddressFault}. */
    public void checkRanges(DeviceMemory mem) {
        long[][] ranges = {{addrA, aBytes()}, {addrW, wBytes()}, {addrScales, groupEntries() * 2}, {addrC, cBytes()},
                symmetric ? new long[] {0, 0} : new long[] {addrZeros, groupEntries()}};
        for (long[] r : ranges) {
            if (!mem.contains(r[0], r[1])) {
                throw new DeviceMemory.AddressFault(r[0], r[1], mem.size());
            }
        }
    }

    /** A descriptor field out of range (device status BAD_DESCRIPTOR). */
    public static final class BadDescriptor extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadDescriptor(String message) {
            super(message);
        }
    }
}
