package io.pacq.emu.simt;

import io.pacq.GemmMode;
import io.pacq.emu.DeviceMemory;
import io.pacq.emu.GemmCommand;
import io.pacq.quant.KPackedWeights;
import io.pacq.quant.PackedWeights;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared-memory bank passes ({@link SmemStats}: 32 banks of 16 bytes, P = the most distinct rows
 * the active lanes touch in one bank): hand-written accesses with P worked out from the rule, and
 * the ROM kernels, whose shared-memory layouts make every access a single pass except the A
 * staging stores.
 */
class SmemBanksTest {

    /** Runs {@code body} after "s2r r1, lane" on one warp and returns the engine's statistics. */
    private static SmemStats passes(String body) {
        SimtRig rig = new SimtRig();
        rig.run("s2r r1, lane\n" + body + "\nexit\n");
        return rig.engine.smemStats();
    }

    @Test
    void passesOfHandWrittenAccesses() {
        // 16 bytes per lane at 16 lane: 32 words in 32 banks of row 0
        SmemStats s = passes("shli r2, r1, 4\nsts.128 [r2], r4\nlds.128 r8, [r2]");
        assertEquals(1, s.stores(1));
        assertEquals(1, s.loads(1));
        assertEquals(0, s.multiPass());
        // every lane reads the same word (broadcast), and 4 bytes per lane at 4 lane (8 words, 8 banks)
        s = passes("lds r3, [r0 + 0x40]\nshli r2, r1, 2\nlds r4, [r2 + 0x200]\nsts.8 [r1 + 0x1000], r1");
        assertEquals(3, s.loads(1) + s.stores(1));
        assertEquals(0, s.extraPasses());
        // 32 lane: lanes l and l + 16 share bank 2l mod 32 in rows 0 and 1
        s = passes("shli r2, r1, 5\nlds.64 r4, [r2]");
        assertEquals(1, s.loads(2));
        assertEquals(1, s.extraPasses());
        // 256 lane: banks 0 and 16, 16 rows each
        s = passes("shli r2, r1, 8\nsts [r2 + 0x10], r1");
        assertEquals(1, s.stores(16));
        assertEquals(15, s.extraPasses());
        // 512 lane: bank 0 in 32 rows
        s = passes("shli r2, r1, 9\nlds.128 r4, [r2]");
        assertEquals(1, s.loads(32));
        assertEquals(31, s.extraPasses());
        // half the lanes on word 0, half on word 32 (bank 0, rows 0 and 1): sharing counts once
        s = passes("andi r2, r1, 1\nshli r2, r2, 9\nlds r4, [r2]");
        assertEquals(1, s.loads(2));
        // masked lanes do not count: lanes 0 .. 4 active at 512 lane -> 5 rows of bank 0
        s = passes("shli r2, r1, 9\nslti r3, r1, 5\nsetmask r3\nsts [r2], r1\nunmask");
        assertEquals(1, s.stores(5));
        assertEquals(4, s.extraPasses());
        // no active lane: one pass
        s = passes("shli r2, r1, 9\nsetmask r0\nlds r4, [r2]\nunmask");
        assertEquals(1, s.loads(1));
        assertEquals(0, s.multiPass());
    }

    /** m, n, k, group size, group columns, symmetric (1/0), FP32 output (1/0). */
    private static final int[][] SHAPES = {
        {16, 16, 16, 16, 1, 0, 0},     // one step
        {1, 1, 16, 16, 1, 1, 0},       // one row and column
        {5, 100, 64, 32, 2, 0, 0},     // partial tile; N % 8 != 0: the one-element output path
        {20, 130, 96, 48, 8, 0, 1},    // two row tiles; groups across chunks; FP32 one-element path
        {33, 300, 192, 64, 4, 1, 1},   // three row tiles; symmetric; FP32 stores
        {40, 520, 320, 64, 1, 0, 0},   // several tiles per core, five chunks
    };

    private static final SimtConfig[] CONFIGS = {
        SimtConfig.DEFAULTS,
        SimtConfig.DEFAULTS.withCores(1).withWarps(1),
        new SimtConfig(2, 8, 2, 32 << 10, 40, 32),
    };

    @Test
    void romKernelsNeedOnePassExceptTheAStagingStores() {
        SplittableRandom rnd = new SplittableRandom(21);
        for (SimtConfig cfg : CONFIGS) {
            for (int[] sh : SHAPES) {
                for (int bits : new int[] {2, 4, 8}) {
                    for (GemmMode mode : GemmMode.values()) {
                        checkKernel(cfg, mode, bits, sh, rnd);
                    }
                }
            }
        }
    }

    /**
     * Runs one GEMM, checks C against the reference, and checks its bank statistics: every load
     * takes one pass; every store one pass except the A staging stores, which take 4. A staging
     * store writes 4 rows of the chunk (8 segments of 16 bytes each) into a buffer whose k16
     * blocks are 512-byte fragments, so the 4 blocks of one (row, half) fall into one bank in 4
     * rows (pacq.pasm explains why no layout avoids it). The warps of a tile store the 4 row
     * groups of a chunk once each, for every chunk: 4 ceil(K / 64) per tile.
     */
    private static void checkKernel(SimtConfig cfg, GemmMode mode, int bits, int[] sh, SplittableRandom rnd) {
        int m = sh[0];
        int n = sh[1];
        int k = sh[2];
        boolean sym = sh[5] != 0;
        boolean f32 = sh[6] != 0;
        QuantizedWeights w = RandomProblems.weights(rnd, k, n, new QuantSpec(bits, sh[3], sh[4], sym));
        short[] a = RandomProblems.activations(rnd, m, k, 4f).toBits();
        PackedWeights pw = PackedWeights.pack(w);
        byte[] wb = mode == GemmMode.KPACKED ? KPackedWeights.pack(w).weights() : pw.weights();
        DeviceMemory mem = new DeviceMemory(16L << 20);
        long addrA = 1 << 20;
        long addrW = align(addrA + 2L * a.length);
        long addrS = align(addrW + wb.length);
        long addrZ = align(addrS + pw.scales().length);
        byte[] zeros = sym ? new byte[0] : pw.zeros();
        long addrC = align(addrZ + zeros.length);
        ByteBuffer ab = ByteBuffer.allocate(2 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : a) {
            ab.putShort(v);
        }
        mem.write(addrA, ab.array(), 0, ab.capacity());
        mem.write(addrW, wb, 0, wb.length);
        mem.write(addrS, pw.scales(), 0, pw.scales().length);
        mem.write(addrZ, zeros, 0, zeros.length);
        GemmCommand cmd = new GemmCommand(0, mode, bits, f32, sym, m, n, k, sh[3], sh[4], addrA, addrW, addrS,
                sym ? 0 : addrZ, addrC);
        SimtEngine engine = new SimtEngine(cfg);
        engine.run(cmd, mem, () -> false);
        String what = cfg.describe() + ": " + mode + " INT" + bits + " m" + m + "n" + n + "k" + k + " g" + sh[3] + "x"
                + sh[4] + (sym ? " sym" : "") + (f32 ? " F32" : " F16");
        ByteBuffer c = ByteBuffer.allocate((int) cmd.cBytes()).order(ByteOrder.LITTLE_ENDIAN);
        mem.read(addrC, c.array(), 0, c.capacity());
        if (f32) {
            int[] got = new int[m * n];
            c.asIntBuffer().get(got);
            assertArrayEquals(ReferenceGemm.gemmF32(mode, a, m, w), got, what);
        } else {
            short[] got = new short[m * n];
            c.asShortBuffer().get(got);
            assertArrayEquals(ReferenceGemm.gemmF16(mode, a, m, w), got, what);
        }

        SmemStats s = engine.smemStats();
        int tw = engine.tileWarps(KernelRom.get().kernel(mode, bits));
        long tiles = (long) ((PackedWeights.strips(n, bits) + tw - 1) / tw) * ((m + 15) / 16);
        long staging = tiles * 4 * ((k + 63) / 64);
        assertEquals(s.loads(), s.loads(1), what + ": multi-pass loads, " + s);
        assertEquals(staging, s.stores(4), what + ": A staging stores, " + s);
        assertEquals(s.stores() - staging, s.stores(1), what + ": other stores, " + s);
        assertEquals(3 * staging, s.extraPasses(), what + ": " + s);
    }

    private static long align(long x) {
        return (x + 4095) & ~4095L;
    }
}
