package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DevicePool;
import io.pacq.DevicePoolException;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.LinkException;
import io.pacq.OutputType;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pool of a local emu: and two remote ones returns one emu:'s bits; a dead member is named. */
class PoolOverNetworkTest {

    @Test
    void localPlusRemoteEqualsOneDevice() {
        try (TestServers a = TestServers.emu(); TestServers b = TestServers.emu();
             Device single = Device.open("emu:?mem=256M&threads=1");
             DevicePool pool = DevicePool.open(List.of("emu:?mem=256M&threads=1", a.uri(), b.uri()),
                     DeviceOptions.DEFAULTS)) {
            SplittableRandom rnd = new SplittableRandom(21);
            QuantizedWeights w = RandomProblems.weights(rnd, 128, 330, QuantSpec.of(4, 64).withGroupCols(2));
            Fp16Matrix x = RandomProblems.activationsWithEdges(rnd, 4, 128, 3f, 0.05);
            try (WeightHandle hp = pool.upload(w, EnumSet.allOf(GemmMode.class));
                 WeightHandle hs = single.upload(w, EnumSet.allOf(GemmMode.class))) {
                for (GemmMode mode : GemmMode.values()) {
                    assertArrayEquals(single.gemm(GemmRequest.of(hs, x).withMode(mode)).f16Bits(),
                            pool.gemm(GemmRequest.of(hp, x).withMode(mode)).f16Bits(), mode.toString());
                    assertArrayEquals(single.gemm(GemmRequest.of(hs, x).withMode(mode).withOutput(OutputType.F32))
                            .f32Bits(), pool.gemm(GemmRequest.of(hp, x).withMode(mode).withOutput(OutputType.F32))
                            .f32Bits(), mode + " F32");
                }
                assertTrue(a.server.stats().getGemmsCompleted() > 0 && b.server.stats().getGemmsCompleted() > 0,
                        "both remote members did work");
            }
        }
    }

    @Test
    void aMemberWhoseServerStopsIsReported() {
        TestServers a = TestServers.emu();
        try (DevicePool pool = DevicePool.open(List.of("emu:?mem=256M&threads=1", a.uri()),
                DeviceOptions.DEFAULTS.withTimeout(Duration.ofSeconds(5)))) {
            SplittableRandom rnd = new SplittableRandom(22);
            QuantizedWeights w = RandomProblems.weights(rnd, 64, 256, QuantSpec.of(4, 64));
            WeightHandle h = pool.upload(w);
            a.close();
            DevicePoolException e = assertThrows(DevicePoolException.class,
                    () -> pool.gemm(GemmRequest.of(h, RandomProblems.activations(rnd, 1, 64, 1f))));
            assertEquals(1, e.member());
            assertEquals(a.uri(), e.memberUri());
            assertTrue(e.getCause() instanceof LinkException, String.valueOf(e.getCause()));
            assertTrue(e.getMessage().startsWith("pool member 1 (" + a.uri() + ") failed the GEMM"), e.getMessage());
            try {
                h.close();
            } catch (DevicePoolException ignored) {
                // freeing on the dead member may fail too; it was reported above
            }
        }
    }

    @Test
    void openingAPoolWithAnUnreachableMemberNamesIt() {
        DevicePoolException e = assertThrows(DevicePoolException.class, () -> DevicePool.open(
                List.of("emu:?mem=64M&threads=1", "pacq://127.0.0.1:1"), DeviceOptions.DEFAULTS));
        assertEquals(1, e.member());
        assertTrue(e.getMessage().contains("pool member 1 (pacq://127.0.0.1:1) could not be opened: cannot connect"),
                e.getMessage());
    }
}
