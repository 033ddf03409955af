package io.pacq.rtlsim;

import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.OutputType;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.rtlsim.GemmDifferentialTest.Case;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GEMMs on the RTL built with two matrix units per core (hw-fpga/build/rtlsim-mma2, pacq_top
 * MmaUnits = 2) against emu:?model=cycle&mma=2 and the reference, with GemmDifferentialTest's
 * checks: the same bits, CYCLES and counters. With two units, the warps' matrix instructions overlap:
 * an instruction goes to the lowest free unit, each unit locks its own sources, and both units'
 * C requests and D groups can fall in the same cycle.
 */
class MultiUnitDifferentialTest {
    private static Device rtl;
    private static Device emu;

    @BeforeAll
    static void open() {
        rtl = Device.open(RtlSimTesting.uri(RtlSimTesting.libraryMma2(), ""));
        emu = Device.open("emu:?model=cycle&mma=2");
    }

    @AfterAll
    static void close() throws Exception {
        RtlSimTesting.closeAll(rtl, emu);
    }

    @Test
    void theDeviceHasTwoMatrixUnitsPerCore() {
        assertEquals(2, rtl.info().mmaUnits());
        assertEquals(2, emu.info().mmaUnits());
    }

    @Test
    void theSecondUnitTakesMatrixInstructionsThatWouldWaitForTheFirst() {
        // The same GEMM waits far less for a free matrix unit (STALL_UNIT) on the RTL with two
        // units than on the one-unit machine: both units were busy at once.
        Case c = cases().stream().filter(x -> x.bits() == 4 && x.mode() == GemmMode.PACQ).findFirst().orElseThrow();
        SplittableRandom rnd = new SplittableRandom(c.seed());
        QuantizedWeights w = RandomProblems.weights(rnd, c.k(), c.n(), new QuantSpec(c.bits(), c.g(), c.gc(), c.sym()));
        Fp16Matrix a = RandomProblems.activations(rnd, c.m(), c.k(), 4f);
        try (Device one = Device.open("emu:?model=cycle&mma=1")) {
            CommandStats two = GemmDifferentialTest.run(rtl, w, a, c).stats();
            CommandStats single = GemmDifferentialTest.run(one, w, a, c).stats();
            assertTrue(single.stallUnit() > 0, () -> c + ": no unit stalls with one unit: " + single);
            assertTrue(two.stallUnit() < single.stallUnit() / 2,
                    () -> c + ": STALL_UNIT " + two.stallUnit() + " with two units, " + single.stallUnit() + " with one");
        }
    }

    static List<Case> cases() {
        // Every width x mode, two strips and several tiles, so that the warps' matrix instructions
        // run on both units at once.
        List<Case> c = new ArrayList<>(GemmDifferentialTest.everyWidthAndMode(32, 2, 128, 1001));
        long seed = 1001 + c.size();
        c.add(new Case(40, 300, 64, 4, 64, 4, false, GemmMode.PACQ, OutputType.F32, 0, seed++));
        c.add(new Case(33, 129, 64, 2, 32, 2, true, GemmMode.KPACKED, OutputType.F16, 0.1, seed++));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rtlWithTwoUnitsMatchesTheCycleModelAndTheReference(Case c) {
        GemmDifferentialTest.assertSameAsCycleModelAndReference(rtl, RtlSimTesting.libraryMma2(), emu, c);
    }
}
