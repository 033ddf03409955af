package io.pacq.tools;

import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.WeightHandle;
import io.pacq.energy.EnergyBreakdown;
import io.pacq.energy.EnergyEvent;
import io.pacq.energy.EnergyModel;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.quant.Quantizer;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The energy model splits MUL_OPS/ADD_OPS into matrix-unit and lane work from the mode and shape
 * (docs/reproduce.md, "Multiplier kinds"). This checks the split against the real kernels on the
 * cycle model, for every width and mode, with the lane counts read off the kernel sources:
 * PACQ/KPACKED issue one FMAC per accumulator per group (padded rows x padded columns x groups);
 * DEQUANT issues HMUL2 for every weight once per 16-row tile and no lane adds.
 */
class EnergySplitOnKernelsTest {
    @Test
    void laneWorkMatchesTheKernels() {
        int m = 20, n = 40, k = 64, g = 32;             // two tile rows, a partial strip, two groups
        int rowsPad = 32;
        try (Device dev = Device.open("emu:?model=cycle")) {
            for (int bits : new int[] {2, 4, 8}) {
                int colsPad = bits == 8 ? 64 : bits == 4 ? 64 : 128;   // strips of 32 / 64 / 128 columns
                SplittableRandom rnd = new SplittableRandom(bits);
                float[] w = new float[k * n];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) rnd.nextGaussian();
                }
                QuantizedWeights qw = Quantizer.quantize(w, k, n, QuantSpec.of(bits, g));
                Fp16Matrix a = RandomProblems.activations(rnd, m, k, 2f);
                try (WeightHandle h = dev.upload(qw, EnumSet.allOf(GemmMode.class))) {
                    for (GemmMode mode : GemmMode.values()) {
                        CommandStats s = dev.gemm(GemmRequest.of(h, a).withMode(mode)).stats();
                        long products = (long) rowsPad * colsPad * k;
                        EnergyModel.Workload wl = new EnergyModel.Workload(mode, m, n, k, bits);
                        assertEquals(products, wl.matrixProducts());
                        EnergyBreakdown e = EnergyModel.standard().estimate(wl, s);
                        String what = mode + " INT" + bits;
                        if (mode == GemmMode.DEQUANT) {
                            long hmul = 2L * colsPad * k;                // every weight once per tile row
                            assertEquals(products + hmul, s.mulOps(), what);
                            assertEquals(products, s.addOps(), what);
                            assertEquals(hmul * EnergyEvent.FP16_MUL.picojoules(), e.laneMul(), 1e-6, what);
                        } else {
                            long fmac = (long) rowsPad * colsPad * (k / g);
                            assertEquals(products + fmac, s.mulOps(), what);
                            assertEquals(products + fmac, s.addOps(), what);
                            assertEquals(fmac * EnergyEvent.FP32_MUL.picojoules(), e.laneMul(), 1e-6, what);
                        }
                    }
                }
            }
        }
    }
}
