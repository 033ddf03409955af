package io.pacq.net;

import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.OutputType;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote emu: returns the same bits as a local emu: and as the reference (the oracle), in
 * every mode and output type, for several shapes, over a real socket on 127.0.0.1.
 */
class RemoteEqualsLocalTest {
    static TestServers served;
    static Device remote;
    static Device local;

    @BeforeAll
    static void start() {
        served = TestServers.emu();
        remote = served.client();
        local = Device.open("emu:?mem=512M&threads=2");
    }

    @AfterAll
    static void stop() {
        remote.close();
        local.close();
        served.close();
    }

    @ParameterizedTest(name = "M={0} K={1} N={2} INT{3} g={4} gn={5} symmetric={6}")
    @CsvSource({
        "1, 64, 64, 4, 64, 1, false",
        "3, 128, 200, 2, 32, 1, true",
        "5, 256, 96, 8, 128, 4, false",
        "16, 128, 130, 4, 16, 2, false",
        "2, 32, 1, 4, 16, 1, true",
    })
    void sameBitsAsLocalAndReference(int m, int k, int n, int bits, int g, int gn, boolean sym) {
        SplittableRandom rnd = new SplittableRandom(m * 1_000_003L + k * 31L + n);
        QuantSpec spec = new QuantSpec(bits, g, gn, sym);
        QuantizedWeights w = RandomProblems.weights(rnd, k, n, spec);
        Fp16Matrix a = RandomProblems.activationsWithEdges(rnd, m, k, 4f, 0.05);
        EnumSet<GemmMode> modes = EnumSet.allOf(GemmMode.class);
        try (WeightHandle rw = remote.upload(w, modes); WeightHandle lw = local.upload(w, modes)) {
            assertEquals(k, rw.k());
            assertEquals(n, rw.n());
            assertEquals(spec, rw.spec());
            assertEquals(lw.deviceBytes(), rw.deviceBytes(), "device bytes reported by the server");
            for (GemmMode mode : modes) {
                GemmResult r16 = remote.gemm(GemmRequest.of(rw, a).withMode(mode));
                GemmResult l16 = local.gemm(GemmRequest.of(lw, a).withMode(mode));
                short[] ref16 = ReferenceGemm.gemmF16(mode, a.toBits(), m, w);
                assertArrayEquals(ref16, r16.f16Bits(), "remote F16 vs reference, " + mode);
                assertArrayEquals(l16.f16Bits(), r16.f16Bits(), "remote F16 vs local emu:, " + mode);
                assertEquals(l16.stats(), r16.stats(), "completion-record counters, " + mode);

                GemmResult r32 = remote.gemm(GemmRequest.of(rw, a).withMode(mode).withOutput(OutputType.F32));
                int[] ref32 = ReferenceGemm.gemmF32(mode, a.toBits(), m, w);
                assertArrayEquals(ref32, r32.f32Bits(), "remote F32 vs reference, " + mode);
                assertEquals(OutputType.F32, r32.type());
            }
        }
    }

    @Test
    void infoDescribesTheServedDevice() {
        assertEquals(local.info().bits(), remote.info().bits());
        assertEquals(local.info().modes(), remote.info().modes());
        assertEquals(local.info().model(), remote.info().model());
        assertEquals(served.uri(), remote.info().uri());
        assertTrue(remote.info().description().contains("served by test-server"), remote.info().description());
    }

    @Test
    void manyRequestsInFlightOnOneConnection() {
        SplittableRandom rnd = new SplittableRandom(7);
        QuantizedWeights w = RandomProblems.weights(rnd, 128, 96, QuantSpec.of(4, 32));
        try (WeightHandle h = remote.upload(w)) {
            var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<GemmResult>>();
            var inputs = new java.util.ArrayList<Fp16Matrix>();
            for (int i = 0; i < 40; i++) {
                Fp16Matrix a = RandomProblems.activations(rnd, 1 + i % 4, 128, 2f);
                inputs.add(a);
                futures.add(remote.submit(GemmRequest.of(h, a)));
            }
            for (int i = 0; i < futures.size(); i++) {
                Fp16Matrix a = inputs.get(i);
                assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), a.rows(), w),
                        Device.await(futures.get(i)).f16Bits(), "request " + i);
            }
        }
    }
}
