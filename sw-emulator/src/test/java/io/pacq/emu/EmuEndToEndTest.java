package io.pacq.emu;

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
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** GEMMs through Device.open("emu:") against the reference, bit for bit. */
class EmuEndToEndTest {

    @Test
    void allModesAndWidthsMatchTheReference() {
        SplittableRandom rnd = new SplittableRandom(42);
        try (Device dev = Device.open("emu:?mem=256M")) {
            for (int bits : new int[] {2, 4, 8}) {
                for (boolean sym : new boolean[] {false, true}) {
                    int m = 1 + rnd.nextInt(7);
                    int n = 1 + rnd.nextInt(150);
                    int g = 16 << rnd.nextInt(3);
                    int k = g * (1 + rnd.nextInt(4));
                    QuantSpec spec = new QuantSpec(bits, g, 1 << rnd.nextInt(3), sym);
                    QuantizedWeights w = RandomProblems.weights(rnd, k, n, spec);
                    Fp16Matrix a = RandomProblems.activationsWithEdges(rnd, m, k, 4f, 0.05);
                    try (WeightHandle h = dev.upload(w, EnumSet.allOf(GemmMode.class))) {
                        for (GemmMode mode : GemmMode.values()) {
                            String what = "INT" + bits + " " + mode + " m" + m + "n" + n + "k" + k + " g" + g;
                            GemmResult r16 = dev.gemm(GemmRequest.of(h, a).withMode(mode));
                            assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), m, w), r16.f16Bits(), what);
                            GemmResult r32 = dev.gemm(GemmRequest.of(h, a).withMode(mode).withOutput(OutputType.F32));
                            assertArrayEquals(ReferenceGemm.gemmF32(mode, a.toBits(), m, w), r32.f32Bits(), what);
                        }
                    }
                }
            }
        }
    }
}
