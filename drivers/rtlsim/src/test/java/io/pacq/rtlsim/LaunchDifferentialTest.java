package io.pacq.rtlsim;

import io.pacq.abi.Abi;
import io.pacq.emu.EmuDevice;
import io.pacq.emu.EmuLink;
import io.pacq.emu.simt.Assembler;
import io.pacq.emu.simt.Program;
import io.pacq.emu.simt.SimtConfig;
import io.pacq.emu.simt.SimtEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.pacq.rtlsim.ProgramFuzz.IN;
import static io.pacq.rtlsim.ProgramFuzz.OUT;
import static io.pacq.rtlsim.ProgramFuzz.SCRATCH;
import static io.pacq.rtlsim.ProgramFuzz.TX;
import static io.pacq.rtlsim.ProgramFuzz.TY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * LAUNCH commands on the RTL (rtlsim) and on the cycle-level emulator, compared record for record
 * and byte for byte: directed error cases (their status and ERR_INFO; the counters of a failed
 * command are not normative) and random programs over the whole ISA (status, cycles, every
 * activity counter and the memory they wrote). The emulator runs the machine the library was built
 * for (the ABI defaults). A mismatch reruns the command on a fresh RTL device with a waveform and
 * prints its path.
 */
class LaunchDifferentialTest {
    private static final long PROG = 0x10_0000;
    /** Watchdog of the test programs: far above what they need, so a runaway one ends soon. */
    private static final long BUDGET = 2_000_000;

    private static RingSide emu;
    private static RingSide rtl;

    @BeforeAll
    static void open() {
        rtl = new RingSide(RtlSimTesting.link(""), "rtlsim");
        emu = cycleModel();
    }

    /** The cycle-level emulator of the machine the libraries are built for (the ABI defaults). */
    static RingSide cycleModel() {
        SimtConfig cfg = SimtConfig.DEFAULTS;
        EmuDevice.Config caps = new EmuDevice.Config(1L << 32, cfg.cores(), cfg.warps(), Abi.SIMT_LANES,
                cfg.smemBytes(), cfg.mmaUnits(), 1024, Abi.Model.EMU_CYCLE, Abi.DEFAULT_CLOCK_KHZ, cfg.dmemLatency(),
                cfg.dmemBytesPerCycle());
        EmuDevice dev = new EmuDevice(caps, new SimtEngine(cfg));
        return new RingSide(new EmuLink(dev, "emulator (cycle)"), "emu:?model=cycle");
    }

    @AfterAll
    static void close() throws Exception {
        RtlSimTesting.closeAll(rtl, emu);
    }

    // ------------------------------------------------------------------------------ fuzzing

    @ParameterizedTest(name = "random program, seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void randomProgramsMatchRecordAndMemory(long seed) {
        fuzz(emu, rtl, RtlSimTesting.library(), seed);
    }

    /** Random program `seed` of ProgramFuzz on rtl (a device of library lib) and on emu. */
    static void fuzz(RingSide emu, RingSide rtl, Path lib, long seed) {
        String src = ProgramFuzz.program(seed, 160);
        Program p = Assembler.assemble(src, "fuzz-" + seed + ".pasm", Map.of());
        ProgramFuzz.Inputs data = ProgramFuzz.inputs(seed);
        byte[] in = data.in();
        byte[] scratch = data.scratch();
        List<Waves.Image> images = List.of(new Waves.Image(PROG, RingSide.bytes(p.words())), new Waves.Image(IN, in),
                new Waves.Image(SCRATCH, scratch), new Waves.Image(OUT, new byte[in.length]));
        ByteBuffer d = RingSide.launch((int) seed, PROG, p.size(), 0, TX, TY, BUDGET, IN, OUT, SCRATCH);
        compare(emu, rtl, lib, "fuzz-" + seed, d, true, images, new long[][] {{OUT, in.length}, {SCRATCH, scratch.length}}, src);
    }

    // ---------------------------------------------------------------------------- directed

    @Test
    void matrixInstructionsEveryKindAndWidth() {
        // Every warp: A, B, z from the input, then each matrix instruction and a store of its D
        // registers (only those: other registers are unspecified at command start) to its region.
        StringBuilder s = new StringBuilder("""
                s2r     r1, lane
                shli    r2, r1, 4
                s2r     r3, arg0
                add     r3, r3, r2
                ldg.128 r40, [r3]
                ldg.128 r44, [r3 + 512]
                ldg     r48, [r3 + 1024]
                s2r     r5, warp
                muli    r5, r5, 49152
                s2r     r6, arg1
                add     r5, r5, r6
                add     r5, r5, r2
                """);
        int out = 0;
        for (String op : new String[] {"hmma.z r64, r40, r44", "hmma r64, r40, r44", "pmma.z r64, r40, r44, r49, 2",
            "pmma r64, r40, r44, r49, 2", "pmma.z r64, r40, r44, r49, 4", "pmma r64, r40, r44, r49, 4",
            "pmma.z r64, r40, r44, r49, 8", "kmma.z r64, r40, r44, r49, 2", "kmma r64, r40, r44, r49, 4",
            "kmma.z r64, r40, r44, r49, 8"}) {
            int bits = op.startsWith("hmma") ? 0 : op.charAt(op.length() - 1) - '0';
            int dregs = bits == 0 ? 8 : 8 * 16 / bits;
            if (bits != 0) {
                s.append(String.format("andi    r49, r48, %d%n", (int) (((1L << bits) - 1) * 0x01010101L)));
            }
            s.append(op).append('\n');
            for (int q = 0; q < dregs / 4; q++) {
                s.append("stg.128 [r5 + ").append(out).append("], r").append(64 + 4 * q).append('\n');
                out += 512;
            }
        }
        s.append("exit\n");
        runProgram("matrix", s.toString(), 1, 1, 0, true);
    }

    @Test
    void illegalInstructionsFailWithTheirPc() {
        // add r130, r1, r2 and opcode 0x7F: words the assembler refuses to write
        runProgram("illegal-register", "nop\n.word 0x02018210\nexit\n", 1, 1, 0, false);
        runProgram("undefined-opcode", "nop\nnop\n.word 0x7F\nexit\n", 1, 1, 0, false);
        // pmma r64, r8, r12, r16 with bits = 3
        runProgram("bad-bits", ".word 0x000003100C084061\nexit\n", 1, 1, 0, false);
        runProgram("pc-outside", "nop\nbra 1000\nexit\n", 1, 1, 0, false);
        runProgram("s2r-undefined", ".word 0x0000000C00000109\nexit\n", 1, 1, 0, false);   // s2r r1, 12
    }

    @Test
    void divergentBranchFails() {
        runProgram("divergence", "s2r r1, lane\nandi r1, r1, 1\nbz r1, 2\nnop\nexit\n", 1, 1, 0, false);
    }

    @Test
    void addressFaultsReportTheLowestFaultingLane() {
        runProgram("global-unaligned", "s2r r1, lane\nshli r2, r1, 2\naddi r2, r2, 2\nldg r3, [r2 + 0x100000]\nexit\n",
                1, 1, 0, false);
        runProgram("shared-out-of-range", "s2r r1, lane\nshli r2, r1, 12\nlds r3, [r2]\nexit\n", 1, 1, 0, false);
    }

    @Test
    void watchdogStopsARunawayKernel() {
        runProgram("watchdog", "loop: bra loop\n", 2, 1, 500, false);
    }

    @Test
    void badLaunchDescriptorsAreRefused() {
        Program p = Assembler.assemble("exit\n", "exit.pasm", Map.of());
        List<Waves.Image> images = List.of(new Waves.Image(PROG, RingSide.bytes(p.words())));
        compare("tiles-0", RingSide.launch(1, PROG, 1, 0, 0, 1, 0), false, images, new long[0][], "exit");
        compare("entry-past-end", RingSide.launch(2, PROG, 1, 1, 1, 1, 0), false, images, new long[0][], "exit");
        compare("unaligned-program", RingSide.launch(3, PROG + 8, 1, 0, 1, 1, 0), false, images, new long[0][], "exit");
        compare("too-long", RingSide.launch(4, PROG, Abi.PROG_RAM_WORDS + 1, 0, 1, 1, 0), false, images, new long[0][],
                "exit");
    }

    @Test
    void barriersAndExitsReleaseWarps() {
        // Warps leave at different times; the rest meet at barriers, some after others exited.
        runProgram("barriers", """
                s2r     r1, warp
                s2r     r2, lane
                shli    r3, r2, 2
                seqi    r4, r1, 0
                bnz     r4, done
                bar
                seqi    r4, r1, 1
                bnz     r4, done
                bar
                muli    r5, r1, 128
                add     r5, r5, r3
                s2r     r6, arg1
                add     r5, r5, r6
                stg     [r5], r1
        done:   exit
                """, 2, 2, 0, true);
    }

    // ------------------------------------------------------------------------------ helpers

    private void runProgram(String name, String src, int tx, int ty, long budget, boolean ok) {
        Program p = Assembler.assemble(src, name + ".pasm", Map.of());
        SplittableRandom r = new SplittableRandom(name.hashCode());
        byte[] in = new byte[64 << 10];
        r.nextBytes(in);
        List<Waves.Image> images = List.of(new Waves.Image(PROG, RingSide.bytes(p.words())), new Waves.Image(IN, in),
                new Waves.Image(OUT, new byte[256 << 10]));
        ByteBuffer d = RingSide.launch(name.hashCode(), PROG, p.size(), 0, tx, ty, budget == 0 ? BUDGET : budget,
                IN, OUT);
        compare(name, d, ok, images, ok ? new long[][] {{OUT, 256 << 10}} : new long[0][], src);
    }

    private static void compare(String name, ByteBuffer desc, boolean ok, List<Waves.Image> images, long[][] regions,
                                String src) {
        compare(emu, rtl, RtlSimTesting.library(), name, desc, ok, images, regions, src);
    }

    /** Runs one descriptor on both; the records (whole, or status and ERR_INFO) and regions must agree. */
    private static void compare(RingSide emu, RingSide rtl, Path lib, String name, ByteBuffer desc, boolean ok,
                                List<Waves.Image> images, long[][] regions, String src) {
        for (RingSide s : List.of(emu, rtl)) {
            for (Waves.Image i : images) {
                s.write(i.address(), i.bytes());
            }
        }
        ByteBuffer e = emu.run(desc.duplicate(), 60_000);
        ByteBuffer t = rtl.run(desc.duplicate(), 120_000);
        List<String> diffs = new ArrayList<>();
        if (e.getInt(Abi.Cpl.STATUS) != t.getInt(Abi.Cpl.STATUS) || e.getLong(Abi.Cpl.ERR_INFO) != t.getLong(Abi.Cpl.ERR_INFO)) {
            diffs.add("record: emu " + RingSide.describe(e) + " | rtl " + RingSide.describe(t));
        }
        if (ok) {
            assertEquals(Abi.Status.OK, e.getInt(Abi.Cpl.STATUS), name + ": the emulator failed: " + RingSide.describe(e));
            diffs.addAll(Records.diff(e, t));
            for (long[] reg : regions) {
                byte[] a = emu.read(reg[0], (int) reg[1]);
                byte[] b = rtl.read(reg[0], (int) reg[1]);
                int at = Arrays.mismatch(a, b);
                if (at >= 0) {
                    int n = 0;
                    for (int i = 0; i < a.length; i++) {
                        n += a[i] != b[i] ? 1 : 0;
                    }
                    diffs.add(String.format("memory at 0x%x: %d of %d bytes differ, first at +0x%x (emu 0x%02x, rtl 0x%02x)",
                            reg[0], n, reg[1], at, a[at], b[at]));
                }
            }
        } else {
            assertEquals(true, e.getInt(Abi.Cpl.STATUS) != Abi.Status.OK, name + ": expected a failure from the emulator");
        }
        if (!diffs.isEmpty()) {
            String wave = Waves.rerun(lib, name, desc, images);
            fail(name + ": rtlsim differs from emu:?model=cycle:\n  " + String.join("\n  ", diffs)
                    + "\n  waveform: " + wave + "\n  program:\n" + src);
        }
    }
}
