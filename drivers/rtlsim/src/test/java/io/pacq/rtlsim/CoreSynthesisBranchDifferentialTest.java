package io.pacq.rtlsim;

import io.pacq.Device;
import io.pacq.rtlsim.GemmDifferentialTest.Case;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

/**
 * The core as Yosys synthesizes it: the library built with the core's SYNTHESIS branches
 * (hw-fpga/build/rtlsim-core-syn), where its 32 ALU and 32 FP lanes and its LSU byte paths (36
 * pacq_lane_merge, 64 pacq_lane_pick) are module instances and the register file's write data are
 * driven in every cycle, instead of the simulation branches' loops. GEMMs of every width and mode,
 * and the random programs over the whole ISA (stores of every size merging into banks and blocks,
 * multi-pass shared-memory loads, byte and half-word global loads), must give the cycle model's
 * bits, records, counters and memory.
 */
class CoreSynthesisBranchDifferentialTest {
    private static Device rtl;
    private static Device emu;
    private static RingSide rtlRing;
    private static RingSide emuRing;

    @BeforeAll
    static void open() {
        rtl = Device.open(RtlSimTesting.uri(RtlSimTesting.libraryCoreSyn(), ""));
        emu = Device.open("emu:?model=cycle");
        rtlRing = new RingSide(RtlSimTesting.link(RtlSimTesting.libraryCoreSyn(), ""), "rtlsim (core synthesis branches)");
        emuRing = LaunchDifferentialTest.cycleModel();
    }

    @AfterAll
    static void close() throws Exception {
        RtlSimTesting.closeAll(rtl, emu, rtlRing, emuRing);
    }

    static List<Case> gemms() {
        return GemmDifferentialTest.everyWidthAndMode(16, 1, 64, 7001);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gemms")
    void gemmsMatchTheCycleModelAndTheReference(Case c) {
        GemmDifferentialTest.assertSameAsCycleModelAndReference(rtl, RtlSimTesting.libraryCoreSyn(), emu, c);
    }

    @ParameterizedTest(name = "random program, seed {0}")
    @ValueSource(longs = {1, 2, 3})   // about 35 s each: the lanes as instances run in every cycle
    void randomProgramsMatchRecordAndMemory(long seed) {
        LaunchDifferentialTest.fuzz(emuRing, rtlRing, RtlSimTesting.libraryCoreSyn(), seed);
    }
}
