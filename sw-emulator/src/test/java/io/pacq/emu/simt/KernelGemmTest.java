package io.pacq.emu.simt;

import io.pacq.Device;
import io.pacq.DeviceOptions;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.EnumSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in GEMM kernels on the cycle-level model, through the whole Device API, against
 * {@link ReferenceGemm} bit for bit: every mode, bit width, group size and group width,
 * symmetric and asymmetric, FP16 and FP32 output, edge-value activations, shapes from m1n4k16
 * to m64n512k1024, and several machine configurations.
 */
class KernelGemmTest {
    private static final DeviceOptions OPTS = DeviceOptions.DEFAULTS.withTimeout(Duration.ofMinutes(5));

    /** Runs every mode and both output types of one problem and checks them. */
    private static void check(Device dev, int m, int n, int k, QuantSpec spec, SplittableRandom rnd, boolean edges) {
        QuantizedWeights w = RandomProblems.weights(rnd, k, n, spec);
        Fp16Matrix a = edges ? RandomProblems.activationsWithEdges(rnd, m, k, 4f, 0.03)
                : RandomProblems.activations(rnd, m, k, 4f);
        try (WeightHandle h = dev.upload(w, EnumSet.allOf(GemmMode.class))) {
            for (GemmMode mode : GemmMode.values()) {
                String what = dev.info().uri() + " INT" + spec.bits() + " " + mode + " m" + m + "n" + n + "k" + k + " g"
                        + spec.groupSize() + "x" + spec.groupCols() + (spec.symmetric() ? " sym" : " asym");
                GemmResult r16 = dev.gemm(GemmRequest.of(h, a).withMode(mode));
                assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), m, w), r16.f16Bits(), what + " F16");
                assertTrue(r16.stats().cycles() > 0 && r16.stats().instructions() > 0, what);
                GemmResult r32 = dev.gemm(GemmRequest.of(h, a).withMode(mode).withOutput(OutputType.F32));
                assertArrayEquals(ReferenceGemm.gemmF32(mode, a.toBits(), m, w), r32.f32Bits(), what + " F32");
            }
        }
    }

    @Test
    void smallestShapes() {
        SplittableRandom rnd = new SplittableRandom(11);
        try (Device dev = Device.open("emu:?model=cycle&mem=64M", OPTS)) {
            for (int bits : new int[] {2, 4, 8}) {
                check(dev, 1, 4, 16, new QuantSpec(bits, 16, 1, false), rnd, false);
                check(dev, 1, 1, 16, new QuantSpec(bits, 16, 1, true), rnd, true);
                check(dev, 16, 16, 16, new QuantSpec(bits, 16, 1, false), rnd, false);
            }
        }
    }

    @Test
    void randomSmallProblems() {
        SplittableRandom rnd = new SplittableRandom(12);
        int[] groupSizes = {16, 32, 48, 64, 128};
        try (Device dev = Device.open("emu:?model=cycle&mem=64M", OPTS)) {
            for (int i = 0; i < 24; i++) {
                int bits = new int[] {2, 4, 8}[i % 3];
                int g = groupSizes[rnd.nextInt(groupSizes.length)];
                int k = g * (1 + rnd.nextInt(Math.max(1, 192 / g)));
                int m = 1 + rnd.nextInt(40);
                int n = 1 + rnd.nextInt(300);
                int gn = 1 << rnd.nextInt(6);
                check(dev, m, n, k, new QuantSpec(bits, g, gn, rnd.nextBoolean()), rnd, i % 4 == 0);
            }
        }
    }

    @Test
    void outputEdgeCases() {
        // partial row blocks, N not a multiple of the store widths (8 FP16 / 4 FP32), K not a
        // multiple of the 64-k chunk, groups spanning chunks
        SplittableRandom rnd = new SplittableRandom(13);
        try (Device dev = Device.open("emu:?model=cycle&mem=64M", OPTS)) {
            for (int bits : new int[] {2, 4, 8}) {
                check(dev, 17, 12, 48, new QuantSpec(bits, 48, 4, false), rnd, false);   // N % 8 = 4: FP16 slow, FP32 fast
                check(dev, 33, 37, 80, new QuantSpec(bits, 16, 1, false), rnd, true);    // odd N
                check(dev, 5, 200, 96, new QuantSpec(bits, 96, 8, true), rnd, false);    // g = 96 spans two chunks
                check(dev, 3, 129, 208, new QuantSpec(bits, 208, 32, false), rnd, false); // one group, K % 64 = 16
            }
        }
    }

    @Test
    void largestShape() {
        SplittableRandom rnd = new SplittableRandom(14);
        try (Device dev = Device.open("emu:?model=cycle&mem=128M", OPTS)) {
            for (int bits : new int[] {2, 4, 8}) {
                QuantizedWeights w = RandomProblems.weights(rnd, 1024, 512, new QuantSpec(bits, 128, 1, false));
                Fp16Matrix a = RandomProblems.activations(rnd, 64, 1024, 2f);
                try (WeightHandle h = dev.upload(w, EnumSet.allOf(GemmMode.class))) {
                    for (GemmMode mode : GemmMode.values()) {
                        GemmResult r = dev.gemm(GemmRequest.of(h, a).withMode(mode));
                        assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), 64, w), r.f16Bits(),
                                "m64n512k1024 INT" + bits + " " + mode);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cores=1&warps=1", "cores=3&warps=2", "warps=8", "smem=16k", "mma=2&dmembw=8&dmemlat=7",
        "cores=5&warps=3&smem=32k"})
    void machineConfigurations(String params) {
        // warps=8 fits only 7 INT2 warps in 64 KiB (odd strips per tile); smem=16k fits one
        SplittableRandom rnd = new SplittableRandom(params.hashCode());
        try (Device dev = Device.open("emu:?model=cycle&mem=64M&" + params, OPTS)) {
            for (int bits : new int[] {2, 4, 8}) {
                check(dev, 20, 700, 128, new QuantSpec(bits, 64, 2, false), rnd, false);
            }
        }
    }
}
