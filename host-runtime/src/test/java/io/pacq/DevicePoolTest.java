package io.pacq;

import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import io.pacq.testing.ReferenceDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sharding along N across devices gives the oracle's bits for the whole matrix. */
class DevicePoolTest {

    static DevicePool pool(int members) {
        List<Device> ds = new java.util.ArrayList<>();
        for (int i = 0; i < members; i++) {
            ds.add(new ReferenceDevice("ref:" + i, 1L << 30));
        }
        return DevicePool.of(ds);
    }

    @ParameterizedTest(name = "members={0} N={1} INT{2} gn={3}")
    @CsvSource({
        "3, 200, 4, 1",
        "2, 64, 4, 1",
        "4, 300, 2, 8",
        "3, 97, 8, 32",
        "5, 40, 4, 4",
    })
    void bitIdenticalToTheWholeMatrix(int members, int n, int bits, int gn) {
        SplittableRandom rnd = new SplittableRandom(members * 1000L + n);
        int k = 64;
        QuantizedWeights w = RandomProblems.weights(rnd, k, n, new QuantSpec(bits, 32, gn, false));
        Fp16Matrix a = RandomProblems.activationsWithEdges(rnd, 3, k, 2f, 0.05);
        try (DevicePool p = pool(members); WeightHandle h = p.upload(w, EnumSet.allOf(GemmMode.class))) {
            for (GemmMode mode : GemmMode.values()) {
                assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), 3, w),
                        p.gemm(GemmRequest.of(h, a).withMode(mode)).f16Bits(), mode.toString());
                assertArrayEquals(ReferenceGemm.gemmF32(mode, a.toBits(), 3, w),
                        p.gemm(GemmRequest.of(h, a).withMode(mode).withOutput(OutputType.F32)).f32Bits(), mode + " F32");
            }
            assertEquals(n, h.n());
        }
    }

    @Test
    void sliceEqualsTheColumnsCutFromTheU8Codes() {
        // odd N (the last shard ends inside a byte of the packed rows), every width, 2-D groups
        SplittableRandom rnd = new SplittableRandom(77);
        for (int bits : new int[] {2, 4, 8}) {
            for (int n : new int[] {1, 97, 301}) {
                for (boolean sym : new boolean[] {false, true}) {
                    int k = 32;
                    int gn = 1 << rnd.nextInt(4);
                    QuantizedWeights w = RandomProblems.weights(rnd, k, n, new QuantSpec(bits, 16, gn, sym));
                    byte[] codes = w.codes();
                    short[] scales = w.scales();
                    byte[] zeros = w.zeros();
                    int gAll = w.groupColumns();
                    for (DevicePool.Shard sh : DevicePool.plan(n, bits, gn, 3)) {
                        int cols = sh.cols();
                        byte[] c = new byte[k * cols];
                        for (int r = 0; r < k; r++) {
                            System.arraycopy(codes, r * n + sh.from(), c, r * cols, cols);
                        }
                        int g0 = sh.from() / gn;
                        int gCols = (sh.to() + gn - 1) / gn - g0;
                        short[] sc = new short[(k / 16) * gCols];
                        byte[] z = sym ? null : new byte[sc.length];
                        for (int gr = 0; gr < k / 16; gr++) {
                            System.arraycopy(scales, gr * gAll + g0, sc, gr * gCols, gCols);
                            if (!sym) {
                                System.arraycopy(zeros, gr * gAll + g0, z, gr * gCols, gCols);
                            }
                        }
                        assertEquals(new QuantizedWeights(k, cols, bits, 16, gn, c, sc, z),
                                DevicePool.slice(w, sh.from(), sh.to()), "INT" + bits + " N=" + n + " " + sh);
                    }
                }
            }
        }
    }

    @Test
    void planCutsOnStripsAndGroupsAndCoversEveryColumn() {
        List<DevicePool.Shard> p = DevicePool.plan(300, 4, 1, 3);   // INT4 strip: 64 columns, 5 units
        assertEquals(List.of(new DevicePool.Shard(0, 0, 128), new DevicePool.Shard(1, 128, 256),
                new DevicePool.Shard(2, 256, 300)), p);
        assertEquals(List.of(new DevicePool.Shard(0, 0, 40)), DevicePool.plan(40, 4, 1, 4)); // one strip, one member
        List<DevicePool.Shard> q = DevicePool.plan(1000, 2, 32, 4);   // INT2 strip: 128 columns
        for (DevicePool.Shard s : q) {
            assertEquals(0, s.from() % 128);
        }
        assertEquals(1000, q.get(q.size() - 1).to());
    }

    @Test
    void aFailedMemberIsReportedNotSkipped() {
        ReferenceDevice good = new ReferenceDevice("ref:good", 1L << 30);
        Failing failing = new Failing(new ReferenceDevice("ref:failing", 1L << 30));
        try (DevicePool p = DevicePool.of(List.of(good, failing))) {
            SplittableRandom rnd = new SplittableRandom(1);
            QuantizedWeights w = RandomProblems.weights(rnd, 32, 128, QuantSpec.of(4, 32));
            try (WeightHandle h = p.upload(w)) {
                Fp16Matrix a = RandomProblems.activations(rnd, 1, 32, 1f);
                failing.fail = true;
                DevicePoolException e = assertThrows(DevicePoolException.class, () -> p.gemm(GemmRequest.of(h, a)));
                assertEquals(1, e.member());
                assertEquals("ref:failing", e.memberUri());
                assertTrue(e.getMessage().startsWith("pool member 1 (ref:failing) failed the GEMM: device on fire"),
                        e.getMessage());
                assertTrue(e.getCause() instanceof DeviceException);
                failing.fail = false;
                assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), 1, w), p.gemm(GemmRequest.of(h, a))
                        .f16Bits());
            }
        }
    }

    @Test
    void aFailedUploadFreesTheOtherShards() {
        ReferenceDevice big = new ReferenceDevice("ref:big", 1L << 30);
        ReferenceDevice small = new ReferenceDevice("ref:small", 1000);
        try (DevicePool p = DevicePool.of(List.of(big, small))) {
            QuantizedWeights w = RandomProblems.weights(new SplittableRandom(2), 32, 128, QuantSpec.of(4, 32));
            DevicePoolException e = assertThrows(DevicePoolException.class, () -> p.upload(w));
            assertEquals(1, e.member());
            assertTrue(e.getCause() instanceof DeviceMemoryException);
            assertEquals(0, big.counters().liveHandles(), "the shard on member 0 was freed");
        }
    }

    @Test
    void infoAndCountersCombineTheMembers() {
        try (DevicePool p = pool(2)) {
            assertEquals("pool:ref:0,ref:1", p.info().uri());
            assertEquals(2L << 30, p.info().memoryBytes());
            assertEquals(Set.of(2, 4, 8), p.info().bits());
            QuantizedWeights w = RandomProblems.weights(new SplittableRandom(3), 32, 256, QuantSpec.of(4, 32));
            try (WeightHandle h = p.upload(w)) {
                p.gemm(GemmRequest.of(h, RandomProblems.activations(new SplittableRandom(4), 1, 32, 1f)));
                assertEquals(2, p.counters().commandsSubmitted(), "one command per shard");
                assertEquals(1, p.counters().liveHandles());
            }
        }
    }

    /** Fails its GEMMs on demand, asynchronously like a device reporting an error status. */
    static final class Failing implements Device {
        final Device inner;
        volatile boolean fail;

        Failing(Device inner) {
            this.inner = inner;
        }

        @Override public DeviceInfo info() { return inner.info(); }
        @Override public WeightHandle upload(QuantizedWeights w, Set<GemmMode> m) { return inner.upload(w, m); }
        @Override public DeviceCounters counters() { return inner.counters(); }
        @Override public void close() { inner.close(); }

        @Override
        public CompletableFuture<GemmResult> submit(GemmRequest r) {
            if (fail) {
                return CompletableFuture.failedFuture(new DeviceException(7, 0, "device on fire"));
            }
            return inner.submit(r);
        }
    }
}
