package io.pacq.emu.simt;

import io.pacq.CommandStats;
import io.pacq.emu.DeviceMemory;

import java.util.Map;

/** Test rig: assembles a program, runs it as a LAUNCH on a fresh machine and memory. */
final class SimtRig {
    final SimtConfig config;
    final DeviceMemory mem = new DeviceMemory(16L << 20);
    final SimtEngine engine;

    SimtRig(SimtConfig config) {
        this.config = config;
        this.engine = new SimtEngine(config);
    }

    SimtRig() {
        this(SimtConfig.DEFAULTS.withCores(1).withWarps(1));
    }

    CommandStats run(String source, int... args) {
        return run(source, 1, 1, args);
    }

    CommandStats run(String source, int tilesX, int tilesY, int... args) {
        Program p = Assembler.assemble(source, "test.pasm", Map.of());
        int[] a = new int[16];
        System.arraycopy(args, 0, a, 0, args.length);
        return engine.launch(p, 0, tilesX, tilesY, a, 100_000, mem);
    }

    int word(long address) {
        return mem.readInt(address);
    }
}
