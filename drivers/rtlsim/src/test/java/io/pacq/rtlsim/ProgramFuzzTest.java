package io.pacq.rtlsim;

import io.pacq.emu.DeviceMemory;
import io.pacq.emu.simt.Assembler;
import io.pacq.emu.simt.Program;
import io.pacq.emu.simt.SimtConfig;
import io.pacq.emu.simt.SimtEngine;
import io.pacq.emu.simt.SmemStats;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The random programs of {@link ProgramFuzz} on the cycle model alone (no RTL needed): they
 * assemble, are the same for the same seed, run to the end on the grid and memory layout
 * {@link ProgramFuzz} defines for them (no address fault), and their shared-memory accesses
 * take several passes of the banks.
 */
class ProgramFuzzTest {
    @Test
    void programsRunOnTheCycleModelWithMultiPassSharedAccesses() {
        SimtEngine engine = new SimtEngine(SimtConfig.DEFAULTS);
        for (long seed = 1; seed <= 12; seed++) {
            String src = ProgramFuzz.program(seed, 160);
            assertEquals(src, ProgramFuzz.program(seed, 160), "seed " + seed);
            Program p = Assembler.assemble(src, "fuzz-" + seed + ".pasm", Map.of());
            DeviceMemory mem = new DeviceMemory(16L << 20);
            ProgramFuzz.Inputs data = ProgramFuzz.inputs(seed);
            mem.write(ProgramFuzz.IN, data.in(), 0, data.in().length);
            mem.write(ProgramFuzz.SCRATCH, data.scratch(), 0, data.scratch().length);
            int[] args = new int[16];
            args[0] = ProgramFuzz.IN;
            args[1] = ProgramFuzz.OUT;
            args[2] = ProgramFuzz.SCRATCH;
            engine.launch(p, 0, ProgramFuzz.TX, ProgramFuzz.TY, args, 2_000_000, mem);   // throws DeviceFault on a fault
        }
        SmemStats s = engine.smemStats();
        // 2-way: lane * 32; 4-way: (lane & 3) * 512; 3-way (and others): random words
        for (int passes = 2; passes <= 4; passes++) {
            assertTrue(s.loads(passes) > 0 && s.stores(passes) > 0, passes + "-way: " + s);
        }
    }
}
