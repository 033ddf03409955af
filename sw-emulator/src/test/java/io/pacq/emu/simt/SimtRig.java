package io.pacq.emu.simt;

import io.pacq.CommandStats;
import io.pacq.emu.DeviceFault;
import io.pacq.emu.DeviceMemory;

import java.util.Map;

/** Test rig: assembles a program and runs it as a LAUNCH on one machine and a 16 MiB memory. */
final class SimtRig {
    /** Where {@link #lanes} programs store their result vector: 32 words of r10, lane-major. */
    static final int OUT = 0x10000;

    final SimtConfig config;
    final DeviceMemory mem = new DeviceMemory(16L << 20);
    final SimtEngine engine;

    SimtRig(SimtConfig config) {
        this.config = config;
        this.engine = new SimtEngine(config);
    }

    /** One core, one warp. */
    SimtRig() {
        this(SimtConfig.DEFAULTS.withCores(1).withWarps(1));
    }

    CommandStats run(String source, int... args) {
        return runGrid(source, 1, 1, 100_000, args);
    }

    CommandStats runGrid(String source, int tilesX, int tilesY, long maxCycles, int... args) {
        Program p = Assembler.assemble(source, "test.pasm", Map.of());
        int[] a = new int[16];
        System.arraycopy(args, 0, a, 0, args.length);
        return engine.launch(p, 0, tilesX, tilesY, a, maxCycles, mem);
    }

    /** Runs and expects a device error; returns it. */
    DeviceFault fail(String source, int... args) {
        try {
            run(source, args);
        } catch (DeviceFault f) {
            return f;
        }
        throw new AssertionError("expected a device error");
    }

    /**
     * Runs {@code body} after "s2r r1, lane" and stores r10 of every lane to OUT; returns the 32
     * values.
     */
    int[] lanes(String body) {
        run("s2r r1, lane\n" + body + "\nshli r2, r1, 2\nstg [r2 + " + OUT + "], r10\nexit\n");
        int[] v = new int[32];
        for (int l = 0; l < 32; l++) {
            v[l] = mem.readInt(OUT + 4L * l);
        }
        return v;
    }

    /** r10 of lane 0 after {@code body}. */
    int lane0(String body) {
        return lanes(body)[0];
    }

    void putInts(long address, int... values) {
        for (int i = 0; i < values.length; i++) {
            mem.writeInt(address + 4L * i, values[i]);
        }
    }

    int word(long address) {
        return mem.readInt(address);
    }
}
