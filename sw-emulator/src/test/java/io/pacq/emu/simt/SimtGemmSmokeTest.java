package io.pacq.emu.simt;

import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class SimtGemmSmokeTest {
    @Test
    void small() {
        SplittableRandom rnd = new SplittableRandom(1);
        try (Device dev = Device.open("emu:?model=cycle&mem=64M")) {
            System.out.println(dev.info());
            for (int bits : new int[] {4, 2, 8}) {
                int m = 16, n = 64, k = 64;
                QuantizedWeights w = RandomProblems.weights(rnd, k, n, new QuantSpec(bits, 32, 1, false));
                Fp16Matrix a = RandomProblems.activations(rnd, m, k, 2f);
                try (WeightHandle h = dev.upload(w, EnumSet.allOf(GemmMode.class))) {
                    for (GemmMode mode : GemmMode.values()) {
                        GemmResult r = dev.gemm(GemmRequest.of(h, a).withMode(mode));
                        System.out.println(bits + " " + mode + " " + r.stats());
                        assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), m, w), r.f16Bits(), mode + " " + bits);
                    }
                }
            }
        }
    }
}
