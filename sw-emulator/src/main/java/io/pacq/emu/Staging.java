package io.pacq.emu;

import io.pacq.GemmMode;
import io.pacq.abi.Abi;
import io.pacq.quant.KPackedWeights;
import io.pacq.quant.PackedWeights;
import io.pacq.quant.QuantizedWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Lays one GEMM's operands out in a {@link DeviceMemory} the way the driver does (device layouts,
 * {@link Abi#MEM_ALIGN}-aligned operands from address 0 up) and builds its {@link GemmCommand}, so
 * that an engine can be run directly, without the command ring: for differential tests and the
 * benchmark. Stateless and thread-safe; the memory is the caller's.
 */
public final class Staging {
    private Staging() {}

    /** Bytes of device memory {@link #stage} needs for these operands. */
    public static long bytesNeeded(QuantizedWeights w, int m, GemmMode mode, boolean outF32) {
        long total = 0;
        for (long b : sizes(w, m, mode, outF32)) {
            total += align(b);
        }
        return total;
    }

    private static long[] sizes(QuantizedWeights w, int m, GemmMode mode, boolean outF32) {
        int k = w.k();
        int n = w.n();
        int bits = w.bits();
        long entries = PackedWeights.groupEntries(k, n, bits, w.groupSize(), w.groupCols());
        long wBytes = mode == GemmMode.KPACKED ? KPackedWeights.weightBytes(k, n, bits)
                : PackedWeights.weightBytes(k, n, bits);
        return new long[] {(long) m * k * 2, wBytes, entries * 2, w.symmetric() ? 0 : entries,
                (long) m * n * (outF32 ? 4 : 2)};
    }

    private static long align(long b) {
        return (b + Abi.MEM_ALIGN - 1) / Abi.MEM_ALIGN * Abi.MEM_ALIGN;
    }

    /**
     * Writes A, the weights in the mode's layout, scales and zeros into memory and returns the
     * command that multiplies them.
     *
     * @param a activations, FP16 bits, [m][K] row-major
     * @throws IllegalArgumentException when the memory is too small or A has the wrong length
     */
    public static GemmCommand stage(DeviceMemory mem, QuantizedWeights w, short[] a, int m, GemmMode mode,
                                    boolean outF32) {
        if (a.length != (long) m * w.k()) {
            throw new IllegalArgumentException("A has " + a.length + " elements, expected M*K = " + (long) m * w.k());
        }
        long need = bytesNeeded(w, m, mode, outF32);
        if (need > mem.size()) {
            throw new IllegalArgumentException("operands need " + need + " bytes of device memory, it has " + mem.size());
        }
        long[] size = sizes(w, m, mode, outF32);
        long[] addr = new long[size.length];
        long next = 0;
        for (int i = 0; i < size.length; i++) {
            addr[i] = next;
            next += align(size[i]);
        }
        ByteBuffer ab = ByteBuffer.allocate(a.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        ab.asShortBuffer().put(a);
        mem.write(addr[0], ab);
        PackedWeights packed = PackedWeights.pack(w);
        byte[] words = mode == GemmMode.KPACKED ? KPackedWeights.pack(w).weights() : packed.weights();
        mem.write(addr[1], words, 0, words.length);
        mem.write(addr[2], packed.scales(), 0, packed.scales().length);
        if (!w.symmetric()) {
            mem.write(addr[3], packed.zeros(), 0, packed.zeros().length);
        }
        return new GemmCommand(0, mode, w.bits(), outF32, w.symmetric(), m, w.n(), w.k(), w.groupSize(),
                w.groupCols(), addr[0], addr[1], addr[2], w.symmetric() ? 0 : addr[3], addr[4]);
    }

    /** C as FP16 bits, [M][N], after an FP16-output command ran. */
    public static short[] readF16(DeviceMemory mem, GemmCommand c) {
        ByteBuffer b = ByteBuffer.allocate((int) c.cBytes()).order(ByteOrder.LITTLE_ENDIAN);
        mem.read(c.addrC(), b);
        b.flip();
        short[] out = new short[c.m() * c.n()];
        b.asShortBuffer().get(out);
        return out;
    }

    /** C as FP32 bits, [M][N], after an FP32-output command ran. */
    public static int[] readF32(DeviceMemory mem, GemmCommand c) {
        ByteBuffer b = ByteBuffer.allocate((int) c.cBytes()).order(ByteOrder.LITTLE_ENDIAN);
        mem.read(c.addrC(), b);
        b.flip();
        int[] out = new int[c.m() * c.n()];
        b.asIntBuffer().get(out);
        return out;
    }
}
