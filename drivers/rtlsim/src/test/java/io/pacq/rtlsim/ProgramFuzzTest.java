package io.pacq.rtlsim;

import io.pacq.abi.Abi;
import io.pacq.emu.DeviceMemory;
import io.pacq.emu.simt.Assembler;
import io.pacq.emu.simt.Program;
import io.pacq.emu.simt.SimtConfig;
import io.pacq.emu.simt.SimtEngine;
import io.pacq.emu.simt.SmemStats;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The random programs of {@link ProgramFuzz} on the cycle model alone (no RTL needed): they
 * assemble, are the same for the same seed, run to the end on the grid and memory layout
 * {@link LaunchDifferentialTest} gives them (no address fault), and their shared-memory accesses
 * take several passes of the banks.
 */
class ProgramFuzzTest {
    private static final int TX = 3;
    private static final int TY = 2;
    private static final int IN = 0x20_0000;
    private static final int OUT = 0x80_0000;
    private static final int SCRATCH = 0xE0_0000;

    @Test
    void programsRunOnTheCycleModelWithMultiPassSharedAccesses() {
        SimtEngine engine = new SimtEngine(SimtConfig.DEFAULTS);
        int slots = TX * TY * Abi.DEFAULT_WARPS;
        for (long seed = 1; seed <= 12; seed++) {
            String src = ProgramFuzz.program(seed, 160);
            assertEquals(src, ProgramFuzz.program(seed, 160), "seed " + seed);
            Program p = Assembler.assemble(src, "fuzz-" + seed + ".pasm", Map.of());
            DeviceMemory mem = new DeviceMemory(16L << 20);
            byte[] in = new byte[slots * ProgramFuzz.IN_STRIDE];
            byte[] scratch = new byte[slots * ProgramFuzz.SCRATCH_STRIDE];
            SplittableRandom r = new SplittableRandom(seed * 7919);
            r.nextBytes(in);
            r.nextBytes(scratch);
            mem.write(IN, in, 0, in.length);
            mem.write(SCRATCH, scratch, 0, scratch.length);
            int[] args = new int[16];
            args[0] = IN;
            args[1] = OUT;
            args[2] = SCRATCH;
            engine.launch(p, 0, TX, TY, args, 2_000_000, mem);   // throws DeviceFault on a fault
        }
        SmemStats s = engine.smemStats();
        // 2-way: lane * 32; 4-way: (lane & 3) * 512; 3-way (and others): random words
        for (int passes = 2; passes <= 4; passes++) {
            assertTrue(s.loads(passes) > 0 && s.stores(passes) > 0, passes + "-way: " + s);
        }
    }
}
