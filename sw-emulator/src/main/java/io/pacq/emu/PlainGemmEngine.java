package io.pacq.emu;

import io.pacq.CommandStats;
import io.pacq.GemmMode;
import io.pacq.fp.Fp16;
import io.pacq.quant.KPackedWeights;
import io.pacq.quant.PackedWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * The functional GEMM engine in plain scalar Java: the fallback when the Vector API is absent,
 * and the fast engine's second opinion. Parallel over strips of output columns; for each output
 * element the order over k and over groups is exactly the contract's (fused multiply-adds in
 * ascending k, one scale multiply and add per group), so the bits are the contract's.
 */
public final class PlainGemmEngine implements GemmEngine {
    private final ForkJoinPool pool;

    /** An engine running on {@code threads} worker threads. */
    public PlainGemmEngine(int threads) {
        this.pool = new ForkJoinPool(threads);
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public void close() {
        pool.shutdown();
    }

    @Override
    public CommandStats run(GemmCommand c, DeviceMemory mem, BooleanSupplier aborted) {
        float[] a = readActivations(c, mem);
        int strips = PackedWeights.strips(c.n(), c.bits());
        pool.submit(() -> IntStream.range(0, strips).parallel().forEach(s -> {
            if (!aborted.getAsBoolean()) {
                strip(c, mem, a, s);
            }
        })).join();
        return FunctionalCounters.of(c);
    }

    /** A as floats, [M][K]. */
    static float[] readActivations(GemmCommand c, DeviceMemory mem) {
        ByteBuffer buf = ByteBuffer.allocate((int) c.aBytes()).order(ByteOrder.LITTLE_ENDIAN);
        mem.read(c.addrA(), buf);
        buf.flip();
        float[] a = new float[c.m() * c.k()];
        for (int i = 0; i < a.length; i++) {
            a[i] = Fp16.toFloat(buf.getShort());
        }
        return a;
    }

    private static void strip(GemmCommand c, DeviceMemory mem, float[] a, int s) {
        int bits = c.bits();
        int m = c.m();
        int k = c.k();
        int g = c.groupSize();
        int gn = c.groupCols();
        int sc = PackedWeights.stripCols(bits);
        int col0 = s * sc;
        int cols = Math.min(sc, c.n() - col0);
        int mask = (1 << bits) - 1;
        int groups = k / g;
        int perStrip = sc / gn;

        // this strip's scales and zeros: [groups][S/gn]
        int entries = groups * perStrip;
        long firstEntry = (long) s * entries;
        byte[] scaleBytes = new byte[entries * 2];
        mem.read(c.addrScales() + firstEntry * 2, scaleBytes, 0, scaleBytes.length);
        byte[] zeroBytes = null;
        if (!c.symmetric()) {
            zeroBytes = new byte[entries];
            mem.read(c.addrZeros() + firstEntry, zeroBytes, 0, entries);
        }

        // this strip's codes, unpacked to q[k][cols]
        byte[] q = readCodes(c, mem, s, cols);

        float[] acc = new float[m * cols];
        float[] p = new float[m * cols];
        float[] d = new float[cols];
        float[] scale = new float[cols];
        int[] zero = new int[cols];
        for (int grp = 0; grp < groups; grp++) {
            for (int j = 0; j < cols; j++) {
                int e = grp * perStrip + j / gn;
                scale[j] = Fp16.toFloat((short) ((scaleBytes[2 * e] & 0xFF) | (scaleBytes[2 * e + 1] & 0xFF) << 8));
                zero[j] = zeroBytes == null ? 1 << (bits - 1) : zeroBytes[e] & 0xFF;
            }
            if (c.mode() == GemmMode.DEQUANT) {
                for (int kk = grp * g; kk < grp * g + g; kk++) {
                    for (int j = 0; j < cols; j++) {
                        float ds = ((q[kk * cols + j] & mask) - zero[j]) * scale[j];   // exact
                        d[j] = Fp16.toFloat(Fp16.fromFloat(ds));                          // RN16
                    }
                    for (int row = 0; row < m; row++) {
                        float av = a[row * k + kk];
                        int base = row * cols;
                        for (int j = 0; j < cols; j++) {
                            acc[base + j] = Math.fma(av, d[j], acc[base + j]);
                        }
                    }
                }
            } else {
                java.util.Arrays.fill(p, 0f);
                for (int kk = grp * g; kk < grp * g + g; kk++) {
                    for (int j = 0; j < cols; j++) {
                        d[j] = (q[kk * cols + j] & mask) - zero[j];
                    }
                    for (int row = 0; row < m; row++) {
                        float av = a[row * k + kk];
                        int base = row * cols;
                        for (int j = 0; j < cols; j++) {
                            p[base + j] = Math.fma(av, d[j], p[base + j]);
                        }
                    }
                }
                for (int row = 0; row < m; row++) {
                    int base = row * cols;
                    for (int j = 0; j < cols; j++) {
                        acc[base + j] = acc[base + j] + p[base + j] * scale[j];
                    }
                }
            }
        }
        writeOutput(c, mem, acc, col0, cols);
    }

    /** Codes of one strip's columns for every row, [K][cols], from the mode's layout. */
    private static byte[] readCodes(GemmCommand c, DeviceMemory mem, int s, int cols) {
        int bits = c.bits();
        int k = c.k();
        int sc = PackedWeights.stripCols(bits);
        byte[] q = new byte[k * cols];
        if (c.mode() == GemmMode.KPACKED) {
            int rpw = KPackedWeights.rowsPerWord(bits);
            byte[] row = new byte[cols * 2];
            for (int r = 0; r < k / rpw; r++) {
                mem.read(c.addrW() + KPackedWeights.wordOffset(c.n(), bits, r, s * sc), row, 0, row.length);
                for (int j = 0; j < cols; j++) {
                    int v = (row[2 * j] & 0xFF) | (row[2 * j + 1] & 0xFF) << 8;
                    for (int i = 0; i < rpw; i++) {
                        q[(r * rpw + i) * cols + j] = (byte) (v >>> (i * bits));
                    }
                }
            }
        } else {
            int cpw = PackedWeights.colsPerWord(bits);
            byte[] words = new byte[k * io.pacq.abi.Abi.STRIP_WORDS * 2];
            mem.read(c.addrW() + PackedWeights.wordOffset(k, s, 0, 0), words, 0, words.length);
            for (int kk = 0; kk < k; kk++) {
                for (int j = 0; j < cols; j++) {
                    int off = (kk * io.pacq.abi.Abi.STRIP_WORDS + j / cpw) * 2;
                    int v = (words[off] & 0xFF) | (words[off + 1] & 0xFF) << 8;
                    q[kk * cols + j] = (byte) (v >>> ((j % cpw) * bits));
                }
            }
        }
        return q;
    }

    /** Writes acc [M][cols] into C's columns col0 .. col0+cols-1 with the output encoding. */
    static void writeOutput(GemmCommand c, DeviceMemory mem, float[] acc, int col0, int cols) {
        int e = c.outF32() ? 4 : 2;
        ByteBuffer row = ByteBuffer.allocate(cols * e).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < c.m(); r++) {
            row.clear();
            for (int j = 0; j < cols; j++) {
                float v = acc[r * cols + j];
                if (c.outF32()) {
                    row.putInt(Fp16.toOutputF32(v));
                } else {
                    row.putShort(Fp16.toOutput(v));
                }
            }
            row.flip();
            mem.write(c.addrC() + ((long) r * c.n() + col0) * e, row);
        }
    }
}
