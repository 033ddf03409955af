package io.pacq.xdma;

import io.pacq.Device;
import io.pacq.DeviceInfo;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The full GEMM path through {@code xdma:<rig>/xdma0}: ServiceLoader, the provider, the real JNA
 * link (mapped or pread registers, events FIFO or register polling, one or several DMA channels)
 * and the driver logic, against the reference and against {@code emu:}, bit for bit.
 */
class XdmaRigEndToEndTest {
    @TempDir
    Path dir;

    /** A few problems covering every width, both zero-point kinds and every mode. */
    private static void runProblems(Device xdma, Device emu, long seed, int count) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int p = 0; p < count; p++) {
            int bits = new int[] {2, 4, 8}[p % 3];
            boolean sym = (p / 3) % 2 == 1;
            int m = 1 + rnd.nextInt(6);
            int n = 1 + rnd.nextInt(130);
            int g = 16 << rnd.nextInt(3);
            int k = g * (1 + rnd.nextInt(3));
            QuantSpec spec = new QuantSpec(bits, g, 1 << rnd.nextInt(3), sym);
            QuantizedWeights w = RandomProblems.weights(rnd, k, n, spec);
            Fp16Matrix a = RandomProblems.activationsWithEdges(rnd, m, k, 4f, 0.05);
            try (WeightHandle hx = xdma.upload(w, EnumSet.allOf(GemmMode.class));
                 WeightHandle he = emu.upload(w, EnumSet.allOf(GemmMode.class))) {
                for (GemmMode mode : GemmMode.values()) {
                    String what = "INT" + bits + (sym ? " sym " : " asym ") + mode + " m" + m + " n" + n + " k" + k;
                    short[] ref16 = ReferenceGemm.gemmF16(mode, a.toBits(), m, w);
                    GemmResult x16 = xdma.gemm(GemmRequest.of(hx, a).withMode(mode));
                    assertArrayEquals(ref16, x16.f16Bits(), what + " F16 vs reference");
                    assertArrayEquals(emu.gemm(GemmRequest.of(he, a).withMode(mode)).f16Bits(), x16.f16Bits(),
                            what + " F16 vs emu:");
                    GemmRequest r32 = GemmRequest.of(hx, a).withMode(mode).withOutput(OutputType.F32);
                    assertArrayEquals(ReferenceGemm.gemmF32(mode, a.toBits(), m, w), xdma.gemm(r32).f32Bits(),
                            what + " F32 vs reference");
                }
            }
        }
    }

    @Test
    void defaultLinkMatchesEmuAndTheReference() {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults());
             Device xdma = Device.open(rig.uri(""));
             Device emu = Device.open("emu:?mem=64M&threads=1")) {
            DeviceInfo info = xdma.info();
            assertEquals(rig.uri(""), info.uri());
            assertTrue(info.description().contains("registers via mmap"), info.description());
            assertTrue(info.description().contains("interrupts from " + rig.prefix() + "_events_0"), info.description());
            assertEquals(64L << 20, info.memoryBytes());
            runProblems(xdma, emu, 1, 6);
            assertTrue(xdma.counters().bytesToDevice() > 0 && xdma.counters().bytesFromDevice() > 0);
            assertNull(rig.failure());
        }
    }

    @Test
    void preadRegistersPolledInterruptsAndSeveralChannelsGiveTheSameBits() {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults().withChannels(2));
             Device xdma = Device.open(rig.uri("regs=pread&irq=poll&chunk=4k"));
             Device emu = Device.open("emu:?mem=64M&threads=1")) {
            String d = xdma.info().description();
            assertTrue(d.contains("2 H2C + 2 C2H"), d);
            assertTrue(d.contains("pread/pwrite") && d.contains("status-register polling (irq=poll)"), d);
            runProblems(xdma, emu, 2, 3);
            assertNull(rig.failure());
        }
    }

    @Test
    void withoutAnEventsNodeTheLinkFallsBackToPolling() {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults().withEvents(false));
             Device xdma = Device.open(rig.uri(""));
             Device emu = Device.open("emu:?mem=64M&threads=1")) {
            String d = xdma.info().description();
            assertTrue(d.contains("status-register polling (no " + rig.prefix() + "_events_0)"), d);
            runProblems(xdma, emu, 3, 2);
        }
    }

    @Test
    void manyCommandsInFlightCompleteInOrderWithTheRightBits() {
        SplittableRandom rnd = new SplittableRandom(4);
        QuantizedWeights w = RandomProblems.weights(rnd, 128, 96, new QuantSpec(4, 32, 1, false));
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults());
             Device xdma = Device.open(rig.uri(""));
             WeightHandle h = xdma.upload(w)) {
            List<Fp16Matrix> as = new ArrayList<>();
            List<CompletableFuture<GemmResult>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Fp16Matrix a = RandomProblems.activations(rnd, 1 + rnd.nextInt(4), 128, 2f);
                as.add(a);
                fs.add(xdma.submit(GemmRequest.of(h, a)));
            }
            for (int i = 0; i < fs.size(); i++) {
                Fp16Matrix a = as.get(i);
                assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), a.rows(), w),
                        Device.await(fs.get(i)).f16Bits(), "command " + i);
            }
            assertEquals(40, xdma.counters().commandsCompleted());
            assertFalse(xdma.counters().commandsFailed() > 0);
        }
    }
}
