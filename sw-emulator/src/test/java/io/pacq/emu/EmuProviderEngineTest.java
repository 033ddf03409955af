package io.pacq.emu;

import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.InvalidRequestException;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine parameter of emu: URIs. */
class EmuProviderEngineTest {

    @ParameterizedTest
    @ValueSource(strings = {"auto", "vector", "plain"})
    void eachEngineCanBeChosenAndReturnsTheReferenceBits(String engine) {
        SplittableRandom rnd = new SplittableRandom(12);
        QuantizedWeights w = RandomProblems.weights(rnd, 512, 300, new QuantSpec(4, 64, 1, false));
        Fp16Matrix a = RandomProblems.activations(rnd, 9, 512, 2f);
        try (Device dev = Device.open("emu:?engine=" + engine + "&threads=2&mem=64M");
             WeightHandle h = dev.upload(w, EnumSet.allOf(GemmMode.class))) {
            String expect = engine.equals("auto") ? GemmEngines.defaultKind() : engine;
            assertTrue(dev.info().description().contains(expect + " engine"), dev.info().description());
            for (GemmMode mode : GemmMode.values()) {
                assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), 9, w),
                        dev.gemm(GemmRequest.of(h, a).withMode(mode)).f16Bits(), engine + " " + mode);
            }
        }
    }

    @Test
    void anUnknownEngineIsRejectedWithTheChoices() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Device.open("emu:?engine=gpu"));
        assertTrue(e.getMessage().contains("emu:?engine=gpu") && e.getMessage().contains("auto, vector or plain"),
                e.getMessage());
    }
}
