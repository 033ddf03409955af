package io.pacq.emu;

import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.fp.Fp16;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both functional engines against {@link ReferenceGemm}, bit for bit, run directly on device
 * memory (no driver): random shapes, every bit width, group sizes 16 .. K, 2-D groups, symmetric
 * and asymmetric, every mode, both output types, edge activations and edge scales. The vector
 * engine runs with whatever vector width the JVM was started with (the build runs this class a
 * second time with -Dpacq.emu.vector.bits=256, so both lane layouts are covered on any machine).
 */
class EngineDifferentialTest {
    private static GemmEngine vector;
    private static GemmEngine plain;

    /** FP16 scales at the edges: subnormals, max finite, negatives, both zeros. */
    private static final short[] EDGE_SCALES = {
        (short) 0x0001, (short) 0x03FF, (short) 0x8001, (short) 0x0400, (short) 0x7BFF, (short) 0xFBFF,
        (short) 0x0000, (short) 0x8000, (short) 0xBC00, (short) 0x3C00, (short) 0x5BFF, (short) 0xC800
    };

    @BeforeAll
    static void engines() {
        // the surefire argLine adds jdk.incubator.vector: the vector engine must be testable here
        assertTrue(GemmEngines.vectorAvailable(), "the vector engine must be available to the tests");
        vector = GemmEngines.create("vector", 2);
        plain = GemmEngines.create("plain", 2);
        assertEquals("vector", vector.name());
        assertEquals("plain", plain.name());
    }

    @Test
    void theRequestedVectorWidthIsTheOneInUse() throws ReflectiveOperationException {
        String want = System.getProperty("pacq.emu.vector.bits");
        int bits = Class.forName("io.pacq.emu.VectorGemmEngine").getDeclaredField("VECTOR_BITS").getInt(null);
        if (want != null) {
            assertEquals(Integer.parseInt(want), bits);
        } else {
            assertTrue(bits == 256 || bits == 512, "vector width " + bits);
        }
    }

    @AfterAll
    static void close() {
        vector.close();
        plain.close();
    }

    private static GemmEngine engine(String name) {
        return name.equals("vector") ? vector : plain;
    }

    /** Runs one GEMM on an engine and checks both output types of every given mode. */
    private static void check(GemmEngine e, QuantizedWeights w, short[] a, int m, GemmMode mode, String what) {
        for (boolean f32 : new boolean[] {false, true}) {
            long bytes = Staging.bytesNeeded(w, m, mode, f32);
            DeviceMemory mem = new DeviceMemory(Math.max(1, (bytes + DeviceMemory.PAGE_BYTES - 1) / DeviceMemory.PAGE_BYTES)
                    * DeviceMemory.PAGE_BYTES);
            GemmCommand c = Staging.stage(mem, w, a, m, mode, f32);
            e.run(c, mem, () -> false);
            String msg = e.name() + " " + what + " " + mode + (f32 ? " F32" : " F16");
            if (f32) {
                assertArrayEquals(ReferenceGemm.gemmF32(mode, a, m, w), Staging.readF32(mem, c), msg);
            } else {
                assertArrayEquals(ReferenceGemm.gemmF16(mode, a, m, w), Staging.readF16(mem, c), msg);
            }
        }
    }

    /** Weights whose scales are edge values with probability p (else random ones). */
    private static QuantizedWeights withEdgeScales(SplittableRandom rnd, int k, int n, QuantSpec spec, double p) {
        QuantizedWeights base = RandomProblems.weights(rnd, k, n, spec);
        byte[] codes = new byte[k * n];
        for (int r = 0; r < k; r++) {
            for (int col = 0; col < n; col++) {
                codes[r * n + col] = (byte) base.code(r, col);
            }
        }
        int gRows = base.groupRows();
        int gCols = base.groupColumns();
        short[] scales = new short[gRows * gCols];
        byte[] zeros = spec.symmetric() ? null : new byte[scales.length];
        for (int gr = 0; gr < gRows; gr++) {
            for (int gc = 0; gc < gCols; gc++) {
                int i = gr * gCols + gc;
                scales[i] = rnd.nextDouble() < p ? EDGE_SCALES[rnd.nextInt(EDGE_SCALES.length)]
                        : base.scale(gr * spec.groupSize(), gc * spec.groupCols());
                if (zeros != null) {
                    zeros[i] = (byte) base.zero(gr * spec.groupSize(), gc * spec.groupCols());
                }
            }
        }
        return new QuantizedWeights(k, n, spec.bits(), spec.groupSize(), spec.groupCols(), codes, scales, zeros);
    }

    /** A random problem: M 1..64, odd N, K up to 4096 with M*N kept small when K is large. */
    private static void randomCase(GemmEngine e, SplittableRandom rnd, int bits, boolean edges) {
        int k = 16 * (1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 256 : 24));  // up to 4096, mostly <= 384
        int budget = k > 1024 ? 2_000 : 20_000;                          // M*N limit keeps the reference quick
        int m = 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 64);
        int nMax = Math.max(1, Math.min(400, budget / m));
        int n = 1 + 2 * rnd.nextInt((nMax + 1) / 2);                      // odd
        int g = pickGroup(rnd, k);
        int gn = 1 << rnd.nextInt(4);                                      // 1, 2, 4, 8 columns
        QuantSpec spec = new QuantSpec(bits, g, gn, rnd.nextBoolean());
        QuantizedWeights w = edges ? withEdgeScales(rnd, k, n, spec, 0.3) : RandomProblems.weights(rnd, k, n, spec);
        Fp16Matrix a = edges ? RandomProblems.activationsWithEdges(rnd, m, k, 8f, 0.05)
                : RandomProblems.activations(rnd, m, k, 4f);
        GemmMode mode = GemmMode.values()[rnd.nextInt(GemmMode.values().length)];
        check(e, w, a.toBits(), m, mode, "INT" + bits + " m" + m + "n" + n + "k" + k + " g" + g + " gn" + gn
                + (spec.symmetric() ? " sym" : " asym") + (edges ? " edges" : ""));
    }

    /** A group size dividing k: 16, k, or a random multiple of 16 in between. */
    private static int pickGroup(SplittableRandom rnd, int k) {
        int units = k / 16;
        return switch (rnd.nextInt(4)) {
            case 0 -> 16;
            case 1 -> k;
            default -> {
                int u;
                do {
                    u = 1 + rnd.nextInt(units);
                } while (units % u != 0);
                yield 16 * u;
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "plain"})
    void randomShapesEveryWidthAndMode(String engine) {
        SplittableRandom rnd = new SplittableRandom(20250101);
        for (int i = 0; i < 40; i++) {
            for (int bits : new int[] {2, 4, 8}) {
                randomCase(engine(engine), rnd, bits, false);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "plain"})
    void edgeActivationsAndEdgeScales(String engine) {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 30; i++) {
            for (int bits : new int[] {2, 4, 8}) {
                randomCase(engine(engine), rnd, bits, true);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "plain"})
    void everyModeAndWidthOnFixedShapes(String engine) {
        // the shapes that pick each code path of the vector engine: 1-2 rows (decoded in
        // registers), 3..5 rows (4-row blocks plus single rows), groups shorter than, equal to
        // and longer than a decode chunk, N not a multiple of a strip, and problems large enough
        // to run in parallel (> 2^22 multiply-adds), one of them split by rows (N within a strip)
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] shapes = {{1, 1, 16, 16}, {1, 65, 256, 256}, {2, 129, 512, 128}, {3, 63, 160, 32},
                          {4, 33, 1024, 1024}, {5, 127, 384, 48}, {17, 17, 64, 16}, {64, 31, 2304, 768},
                          {1, 1601, 2816, 2816}, {2, 99, 240, 48}, {1, 300, 1088, 64}};
        for (int[] s : shapes) {
            for (int bits : new int[] {2, 4, 8}) {
                for (boolean sym : new boolean[] {false, true}) {
                    QuantSpec spec = new QuantSpec(bits, s[3], bits == 8 ? 1 : 4, sym);
                    QuantizedWeights w = RandomProblems.weights(rnd, s[2], s[1], spec);
                    short[] a = RandomProblems.activationsWithFiniteEdges(rnd, s[0], s[2], 16f, 0.02).toBits();
                    for (GemmMode mode : GemmMode.values()) {
                        check(engine(engine), w, a, s[0], mode, "INT" + bits + " m" + s[0] + "n" + s[1] + "k" + s[2]
                                + " g" + s[3] + (sym ? " sym" : " asym"));
                    }
                }
            }
        }
    }

    @Test
    void largeKWithExtremeActivationsOverflowsLikeTheReference() {
        // +-65504 activations times |d| up to 255 and scales up to 65504 reach FP32 overflow and
        // Inf - Inf = NaN inside the groups: the engines must produce the same Inf/NaN bits
        SplittableRandom rnd = new SplittableRandom(11);
        int k = 4096;
        for (int bits : new int[] {2, 4, 8}) {
            QuantizedWeights w = withEdgeScales(rnd, k, 9, new QuantSpec(bits, 256, 1, false), 0.5);
            short[] a = new short[3 * k];
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextBoolean() ? (short) 0x7BFF : (short) 0xFBFF;
            }
            for (GemmMode mode : GemmMode.values()) {
                check(vector, w, a, 3, mode, "INT" + bits + " +-65504 activations");
                check(plain, w, a, 3, mode, "INT" + bits + " +-65504 activations");
            }
        }
    }

    @Test
    void vectorAndPlainAgreeOnLargerProblems() {
        // shapes too large for the reference in a unit test: the engines checked against it
        // above must also agree with each other here (K = 4096, many strips, row splits)
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{16, 515, 4096, 128}, {1, 1025, 4096, 64}, {33, 257, 2048, 2048}};
        for (int[] s : shapes) {
            for (int bits : new int[] {2, 4, 8}) {
                QuantizedWeights w = RandomProblems.weights(rnd, s[2], s[1], new QuantSpec(bits, s[3], 1, false));
                short[] a = RandomProblems.activationsWithEdges(rnd, s[0], s[2], 4f, 0.001).toBits();
                for (GemmMode mode : GemmMode.values()) {
                    DeviceMemory mv = new DeviceMemory(64L << 20);
                    DeviceMemory mp = new DeviceMemory(64L << 20);
                    GemmCommand cv = Staging.stage(mv, w, a, s[0], mode, true);
                    GemmCommand cp = Staging.stage(mp, w, a, s[0], mode, true);
                    vector.run(cv, mv, () -> false);
                    plain.run(cp, mp, () -> false);
                    assertArrayEquals(Staging.readF32(mp, cp), Staging.readF32(mv, cv),
                            "INT" + bits + " m" + s[0] + "n" + s[1] + "k" + s[2] + " " + mode);
                }
            }
        }
    }

    @Test
    void newScalesAndZerosAtTheSameAddressesAreSeen() {
        // the vector engine caches decoded scale tables per weight array; overwriting the
        // weights in place (same addresses, same shape) must never leave a stale table in use
        SplittableRandom rnd = new SplittableRandom(8);
        DeviceMemory mem = new DeviceMemory(16L << 20);
        short[] a = RandomProblems.activations(rnd, 2, 256, 2f).toBits();
        for (int round = 0; round < 4; round++) {
            QuantizedWeights w = RandomProblems.weights(rnd, 256, 130, new QuantSpec(4, 64, 2, round % 2 == 0));
            for (GemmMode mode : GemmMode.values()) {
                GemmCommand c = Staging.stage(mem, w, a, 2, mode, true);
                vector.run(c, mem, () -> false);
                assertArrayEquals(ReferenceGemm.gemmF32(mode, a, 2, w), Staging.readF32(mem, c), "round " + round + " " + mode);
            }
            // only one scale changes: the table must still be rebuilt
            QuantizedWeights w2 = withOneScaleChanged(w);
            GemmCommand c = Staging.stage(mem, w2, a, 2, GemmMode.PACQ, true);
            vector.run(c, mem, () -> false);
            assertArrayEquals(ReferenceGemm.gemmF32(GemmMode.PACQ, a, 2, w2), Staging.readF32(mem, c), "round " + round);
        }
    }

    private static QuantizedWeights withOneScaleChanged(QuantizedWeights w) {
        byte[] codes = new byte[w.k() * w.n()];
        for (int r = 0; r < w.k(); r++) {
            for (int col = 0; col < w.n(); col++) {
                codes[r * w.n() + col] = (byte) w.code(r, col);
            }
        }
        short[] scales = new short[w.groupRows() * w.groupColumns()];
        byte[] zeros = w.symmetric() ? null : new byte[scales.length];
        for (int gr = 0; gr < w.groupRows(); gr++) {
            for (int gc = 0; gc < w.groupColumns(); gc++) {
                scales[gr * w.groupColumns() + gc] = w.scale(gr * w.groupSize(), gc * w.groupCols());
                if (zeros != null) {
                    zeros[gr * w.groupColumns() + gc] = (byte) w.zero(gr * w.groupSize(), gc * w.groupCols());
                }
            }
        }
        scales[scales.length / 2] = (short) (scales[scales.length / 2] ^ 0x8000); // flip one sign
        return new QuantizedWeights(w.k(), w.n(), w.bits(), w.groupSize(), w.groupCols(), codes, scales, zeros);
    }

    @Test
    void weightsAcrossADeviceMemoryPageBoundary() {
        // the vector engine reads weight words in place from the 1 MiB pages and copies only
        // what straddles a page: put both layouts' weights across a page boundary, at an address
        // that is 64 mod 128 so that a K-packed row of a strip straddles it
        SplittableRandom rnd = new SplittableRandom(21);
        for (int bits : new int[] {2, 4, 8}) {
            QuantizedWeights w = RandomProblems.weights(rnd, 256, 200, new QuantSpec(bits, 64, 1, false));
            short[] a = RandomProblems.activations(rnd, 3, 256, 2f).toBits();
            for (GemmMode mode : GemmMode.values()) {
                for (GemmEngine e : new GemmEngine[] {vector, plain}) {
                    DeviceMemory mem = new DeviceMemory(4L << 20);
                    GemmCommand s = Staging.stage(mem, w, a, 3, mode, false);
                    byte[] words = mode == GemmMode.KPACKED ? io.pacq.quant.KPackedWeights.pack(w).weights()
                            : io.pacq.quant.PackedWeights.pack(w).weights();
                    long addrW = DeviceMemory.PAGE_BYTES - 4096 - 64;
                    mem.write(addrW, words, 0, words.length);
                    GemmCommand c = new GemmCommand(0, mode, bits, false, false, 3, w.n(), w.k(), w.groupSize(),
                            w.groupCols(), s.addrA(), addrW, s.addrScales(), s.addrZeros(), s.addrC());
                    e.run(c, mem, () -> false);
                    assertArrayEquals(ReferenceGemm.gemmF16(mode, a, 3, w), Staging.readF16(mem, c),
                            e.name() + " INT" + bits + " " + mode);
                }
            }
        }
    }

    @Test
    void autoPicksAnAvailableEngineAndUnknownNamesAreRejected() {
        GemmEngine e = GemmEngines.create("auto", 1);
        try {
            assertEquals(GemmEngines.defaultKind(), e.name());
        } finally {
            e.close();
        }
        IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GemmEngines.create("turbo", 1));
        assertTrue(ex.getMessage().contains("auto, vector or plain"), ex.getMessage());
    }

    @Test
    void abortedCommandStopsEarlyWithoutFailing() {
        SplittableRandom rnd = new SplittableRandom(1);
        QuantizedWeights w = RandomProblems.weights(rnd, 1024, 256, new QuantSpec(4, 128, 1, false));
        short[] a = RandomProblems.activations(rnd, 4, 1024, 1f).toBits();
        for (GemmEngine e : new GemmEngine[] {vector, plain}) {
            DeviceMemory mem = new DeviceMemory(16L << 20);
            GemmCommand c = Staging.stage(mem, w, a, 4, GemmMode.PACQ, false);
            e.run(c, mem, () -> true); // must return, output unspecified
            // the engine is still usable afterwards
            e.run(c, mem, () -> false);
            assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a, 4, w), Staging.readF16(mem, c), e.name());
        }
    }

    @Test
    void fp16OutputOfTheEdgesIsEncodedAsTheContractSays() {
        // a hand-made case: A = [65504, 65504], d = 7 for both rows (q = 15, z = 8), s = 1:
        // p = 65504*7 + 65504*7 = 917056, exact in FP32; acc = 917056 > 65504: RN16 gives +Inf
        byte[] codes = {15, 15};
        QuantizedWeights w = new QuantizedWeights(16, 1, 4, 16, 1, pad(codes, 16), new short[] {0x3C00}, null);
        short[] a = new short[16];
        a[0] = 0x7BFF;
        a[1] = 0x7BFF;
        for (GemmEngine e : new GemmEngine[] {vector, plain}) {
            DeviceMemory mem = new DeviceMemory(16L << 20);
            GemmCommand c = Staging.stage(mem, w, a, 1, GemmMode.PACQ, false);
            e.run(c, mem, () -> false);
            // rows 2..15 have q = 0, so d = -8 times A = 0: they add +0 (or -0) to p, which stays 917056
            assertEquals((short) 0x7C00, Staging.readF16(mem, c)[0], e.name());
            GemmCommand c32 = Staging.stage(mem, w, a, 1, GemmMode.PACQ, true);
            e.run(c32, mem, () -> false);
            assertEquals(Float.floatToIntBits(917056f), Staging.readF32(mem, c32)[0], e.name());
            assertEquals(917056f, 65504f * 7 * 2);
        }
        assertEquals((short) 0x7C00, Fp16.fromFloat(917056f));
    }

    private static byte[] pad(byte[] first, int len) {
        byte[] out = new byte[len];
        System.arraycopy(first, 0, out, 0, first.length);
        return out;
    }
}
