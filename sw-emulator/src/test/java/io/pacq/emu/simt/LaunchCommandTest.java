package io.pacq.emu.simt;

import io.pacq.Device;
import io.pacq.DeviceInfo;
import io.pacq.InvalidRequestException;
import io.pacq.abi.Abi;
import io.pacq.emu.EmuDevice;
import io.pacq.emu.PlainGemmEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LAUNCH commands and device errors at the register level: descriptors written to the ring of
 * an {@link EmuDevice} running the cycle model, completion records read back (docs/simt.md 8, 9.2).
 */
class LaunchCommandTest {
    private static final long RING = 0x1000;
    private static final long CPL = 0x2000;
    private static final long PROG = 0x10000;
    private static final int SLOTS = 8;

    private EmuDevice dev;
    private int tail;

    private EmuDevice open(boolean cycle) {
        long mem = 16L << 20;
        SimtConfig cfg = SimtConfig.DEFAULTS;
        EmuDevice.Config caps = cycle
                ? new EmuDevice.Config(mem, cfg.cores(), cfg.warps(), 32, cfg.smemBytes(), cfg.mmaUnits(), 64,
                        Abi.Model.EMU_CYCLE, Abi.DEFAULT_CLOCK_KHZ, cfg.dmemLatency(), cfg.dmemBytesPerCycle())
                : EmuDevice.Config.functional(mem);
        dev = new EmuDevice(caps, cycle ? new SimtEngine(cfg) : new PlainGemmEngine(1));
        dev.writeReg(Abi.Reg.RING_BASE_LO, (int) RING);
        dev.writeReg(Abi.Reg.RING_ENTRIES, SLOTS);
        dev.writeReg(Abi.Reg.CPL_BASE_LO, (int) CPL);
        dev.writeReg(Abi.Reg.CTRL, Abi.CtrlBits.ENABLE);
        tail = 0;
        return dev;
    }

    @AfterEach
    void close() {
        if (dev != null) {
            dev.close();
        }
    }

    /** Submits a descriptor and waits for its completion record. */
    private ByteBuffer submit(ByteBuffer desc) throws InterruptedException {
        int slot = tail % SLOTS;
        dev.memory().write(RING + (long) slot * Abi.Desc.BYTES, desc.duplicate().clear());
        dev.writeReg(Abi.Reg.SQ_TAIL, ++tail);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (dev.readReg(Abi.Reg.CPL_COUNT) != tail) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no completion");
            }
            Thread.sleep(1);
        }
        ByteBuffer rec = ByteBuffer.allocate(Abi.Cpl.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        dev.memory().read(CPL + (long) slot * Abi.Cpl.BYTES, rec);
        return rec.flip();
    }

    private static ByteBuffer launch(int words, int entry, int tilesX, int tilesY, int maxCycles, int... args) {
        ByteBuffer d = ByteBuffer.allocate(Abi.Desc.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        d.put(Abi.Desc.OPCODE, (byte) Abi.Opcode.LAUNCH);
        d.putInt(Abi.Desc.SEQ, 77);
        d.putInt(Abi.Desc.LAUNCH_TILES_X, tilesX);
        d.putInt(Abi.Desc.LAUNCH_TILES_Y, tilesY);
        d.putInt(Abi.Desc.LAUNCH_PROG_WORDS, words);
        d.putInt(Abi.Desc.LAUNCH_ENTRY, entry);
        d.putInt(Abi.Desc.LAUNCH_MAX_CYCLES, maxCycles);
        d.putLong(Abi.Desc.LAUNCH_PROG_ADDR, PROG);
        for (int i = 0; i < args.length; i++) {
            d.putInt(Abi.Desc.LAUNCH_ARGS + 4 * i, args[i]);
        }
        return d;
    }

    private int load(String src) {
        return load(Assembler.assemble(src, "t.pasm", Map.of()).words());
    }

    private int load(long... words) {
        for (int i = 0; i < words.length; i++) {
            dev.memory().writeLong(PROG + 8L * i, words[i]);
        }
        return words.length;
    }

    private ByteBuffer run(String src, int maxCycles) throws InterruptedException {
        return submit(launch(load(src), 0, 1, 1, maxCycles));
    }

    @Test
    void launchRunsAProgramOverAGrid() throws InterruptedException {
        open(true);
        // every tile's warp 0 writes ARG0 + tile index at OUT + 4 * tile
        int words = load("""
                s2r  r1, warp
                bnz  r1, done
                s2r  r2, tile_y
                s2r  r3, ntiles_x
                mul  r2, r2, r3
                s2r  r3, tile_x
                add  r2, r2, r3
                s2r  r4, arg0
                add  r4, r4, r2
                shli r2, r2, 2
                s2r  r5, arg1
                add  r2, r2, r5
                li   r6, 1
                setmask r6        ; lane 0 only
                stg  [r2], r4
        done:   exit
                """);
        ByteBuffer rec = submit(launch(words, 0, 3, 2, 0, 1000, 0x30000));
        assertEquals(77, rec.getInt(Abi.Cpl.SEQ));
        assertEquals(Abi.Status.OK, rec.getInt(Abi.Cpl.STATUS));
        for (int t = 0; t < 6; t++) {
            assertEquals(1000 + t, dev.memory().readInt(0x30000 + 4L * t));
        }
        assertTrue(rec.getLong(Abi.Cpl.CYCLES) > Abi.CMD_OVERHEAD_CYCLES);
        assertEquals(6 * (16 + 3 * 3), rec.getLong(Abi.Cpl.INSTRUCTIONS));   // per tile: 16 for warp 0, 3 for each idle warp
        assertEquals(6 * 64, rec.getLong(Abi.Cpl.DMEM_WRITE_BYTES));
        assertEquals(rec.getLong(Abi.Cpl.CYCLES), dev.readReg(Abi.Reg.CYCLES_LO) & 0xFFFFFFFFL);
        assertTrue((dev.readReg(Abi.Reg.CAP_OPCODES) & 1 << Abi.Opcode.LAUNCH) != 0);
    }

    @Test
    void entryPointAndCycleBudgetAreHonoured() throws InterruptedException {
        open(true);
        int words = load("stg [r0 + 0x30000], r0\nexit\nli r1, 9\nstg [r0 + 0x30000], r1\nexit");
        ByteBuffer rec = submit(launch(words, 2, 1, 1, 10_000));
        assertEquals(Abi.Status.OK, rec.getInt(Abi.Cpl.STATUS));
        assertEquals(9, dev.memory().readInt(0x30000));
    }

    @Test
    void illegalInstructions() throws InterruptedException {
        open(true);
        int base = Abi.PROG_RAM_BASE;
        record Case(long word, String what) {}
        for (Case c : new Case[] {
            new Case(0L, "opcode 0"),
            new Case(0x21L, "undefined opcode 0x21"),
            new Case(Assembler.word(Abi.Isa.ADD, 200, 1, 2, 0), "register field 200"),
            new Case(Assembler.word(Abi.Isa.PMMA, 8, 0, 4, 16 | 3 << 8), "PMMA bits 3"),
            new Case(Assembler.word(Abi.Isa.PMMA, 100, 0, 4, 16 | 2 << 8), "PMMA accumulators past r127"),
            new Case(Assembler.word(Abi.Isa.S2R, 1, 0, 0, 12), "undefined special register"),
            new Case(Assembler.word(Abi.Isa.UNPK, 1, 2, 0, 17 << 8), "UNPK len 17"),
            new Case(Assembler.word(Abi.Isa.LDG_128, 126, 0, 0, 0), "LDG.128 past r127")}) {
            load(Assembler.word(Abi.Isa.NOP, 0, 0, 0, 0), c.word());
            ByteBuffer rec = submit(launch(2, 0, 1, 1, 0));
            assertEquals(Abi.Status.ILLEGAL_INSTRUCTION, rec.getInt(Abi.Cpl.STATUS), c.what());
            assertEquals(base + 1, rec.getLong(Abi.Cpl.ERR_INFO), c.what());
        }
        // running off the end of the program, and a branch before its start
        ByteBuffer rec = run("nop\nnop", 0);
        assertEquals(Abi.Status.ILLEGAL_INSTRUCTION, rec.getInt(Abi.Cpl.STATUS));
        assertEquals(base + 2, rec.getLong(Abi.Cpl.ERR_INFO));
        rec = run("bra . - 5", 0);
        assertEquals(Abi.Status.ILLEGAL_INSTRUCTION, rec.getInt(Abi.Cpl.STATUS));
        assertEquals(base - 5, rec.getLong(Abi.Cpl.ERR_INFO));
        // the first failure is latched in ERR_CODE / ERR_INFO; STATUS.ERROR is set
        assertEquals(Abi.Status.ILLEGAL_INSTRUCTION, dev.readReg(Abi.Reg.ERR_CODE));
        assertEquals(base + 1, dev.readReg(Abi.Reg.ERR_INFO));
        assertNotEquals(0, dev.readReg(Abi.Reg.STATUS) & Abi.StatusBits.ERROR);
    }

    @Test
    void addressFaults() throws InterruptedException {
        open(true);
        ByteBuffer rec = run("li r1, 0x00FFFFFC\nldg.64 r2, [r1]\nexit", 0);   // crosses the end of 16 MiB
        assertEquals(Abi.Status.ADDRESS_FAULT, rec.getInt(Abi.Cpl.STATUS));
        assertEquals(0x00FFFFFCL, rec.getLong(Abi.Cpl.ERR_INFO));
        rec = run("s2r r1, lane\nshli r1, r1, 2\naddi r1, r1, 0x1002\nstg [r1], r0\nexit", 0);   // misaligned
        assertEquals(Abi.Status.ADDRESS_FAULT, rec.getInt(Abi.Cpl.STATUS));
        assertEquals(0x1002L, rec.getLong(Abi.Cpl.ERR_INFO));
        rec = run("s2r r1, lane\nshli r1, r1, 12\nlds r2, [r1]\nexit", 0);   // lane 16 is the first at 64 KiB
        assertEquals(Abi.Status.ADDRESS_FAULT, rec.getInt(Abi.Cpl.STATUS));
        assertEquals((1L << 32) + 16 * 4096, rec.getLong(Abi.Cpl.ERR_INFO));
        // an inactive lane's address is never checked
        rec = run("s2r r1, lane\nslti r2, r1, 16\nsetmask r2\nshli r1, r1, 12\nlds r2, [r1]\nexit", 0);
        assertEquals(Abi.Status.OK, rec.getInt(Abi.Cpl.STATUS));
    }

    @Test
    void divergenceAndWatchdog() throws InterruptedException {
        open(true);
        ByteBuffer rec = run("s2r r1, lane\nslti r1, r1, 3\nnop\nbnz r1, x\nx: exit", 0);
        assertEquals(Abi.Status.DIVERGENCE, rec.getInt(Abi.Cpl.STATUS));
        assertEquals(Abi.PROG_RAM_BASE + 3, rec.getLong(Abi.Cpl.ERR_INFO));
        rec = run("spin: bra spin", 5000);
        assertEquals(Abi.Status.WATCHDOG, rec.getInt(Abi.Cpl.STATUS));
        assertEquals(5000, rec.getLong(Abi.Cpl.ERR_INFO));
        // the device goes on working after errors
        rec = run("exit", 0);
        assertEquals(Abi.Status.OK, rec.getInt(Abi.Cpl.STATUS));
    }

    @Test
    void softResetAbortsARunningKernel() throws InterruptedException {
        open(true);
        int words = load("spin: bra spin");
        int slot = tail % SLOTS;
        dev.memory().write(RING + (long) slot * Abi.Desc.BYTES, launch(words, 0, 1, 1, 0).clear());
        dev.writeReg(Abi.Reg.SQ_TAIL, ++tail);
        Thread.sleep(50);
        assertNotEquals(0, dev.readReg(Abi.Reg.STATUS) & Abi.StatusBits.BUSY);
        dev.writeReg(Abi.Reg.CTRL, Abi.CtrlBits.SOFT_RESET);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((dev.readReg(Abi.Reg.CTRL) & Abi.CtrlBits.SOFT_RESET) != 0) {
            assertTrue(System.nanoTime() < deadline, "reset did not finish");
            Thread.sleep(1);
        }
        assertEquals(0, dev.readReg(Abi.Reg.CPL_COUNT));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tiles x 0, 0, 1, 4, 0, " + PROG,
        "tiles y 0, 1, 0, 4, 0, " + PROG,
        "grid over 2^24, 8192, 4096, 4, 0, " + PROG,
        "no program, 1, 1, 0, 0, " + PROG,
        "program too long, 1, 1, 4097, 0, " + PROG,
        "entry past the end, 1, 1, 4, 4, " + PROG,
        "misaligned program, 1, 1, 4, 0, " + (PROG + 8),
    })
    void badLaunchDescriptors(String what, int tx, int ty, int words, int entry, long addr) throws InterruptedException {
        open(true);
        ByteBuffer d = launch(words, entry, tx, ty, 0);
        d.putLong(Abi.Desc.LAUNCH_PROG_ADDR, addr);
        assertEquals(Abi.Status.BAD_DESCRIPTOR, submit(d).getInt(Abi.Cpl.STATUS), what);
    }

    @Test
    void programOutsideMemory() throws InterruptedException {
        open(true);
        ByteBuffer d = launch(16, 0, 1, 1, 0);
        d.putLong(Abi.Desc.LAUNCH_PROG_ADDR, (16L << 20) - 64);
        ByteBuffer rec = submit(d);
        assertEquals(Abi.Status.ADDRESS_FAULT, rec.getInt(Abi.Cpl.STATUS));
        assertEquals((16L << 20) - 64, rec.getLong(Abi.Cpl.ERR_INFO));
    }

    @Test
    void functionalModelRejectsLaunch() throws InterruptedException {
        open(false);
        ByteBuffer rec = submit(launch(load("exit"), 0, 1, 1, 0));
        assertEquals(Abi.Status.BAD_OPCODE, rec.getInt(Abi.Cpl.STATUS));
        assertEquals(0, dev.readReg(Abi.Reg.CAP_OPCODES) & 1 << Abi.Opcode.LAUNCH);
    }

    @Test
    void gemmOperandsAbove4GiBAreABadDescriptor() throws InterruptedException {
        long mem = 8L << 30;   // allocated lazily
        dev = new EmuDevice(new EmuDevice.Config(mem, 2, 4, 32, 65536, 1, 64, Abi.Model.EMU_CYCLE, 200000, 40, 32),
                new SimtEngine(SimtConfig.DEFAULTS));
        dev.writeReg(Abi.Reg.RING_BASE_LO, (int) RING);
        dev.writeReg(Abi.Reg.RING_ENTRIES, SLOTS);
        dev.writeReg(Abi.Reg.CPL_BASE_LO, (int) CPL);
        dev.writeReg(Abi.Reg.CTRL, Abi.CtrlBits.ENABLE);
        ByteBuffer d = ByteBuffer.allocate(Abi.Desc.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        d.put(Abi.Desc.OPCODE, (byte) Abi.Opcode.GEMM);
        d.put(Abi.Desc.BITS, (byte) 4);
        d.put(Abi.Desc.FLAGS, (byte) Abi.DescFlags.SYMMETRIC);
        d.putInt(Abi.Desc.M, 1);
        d.putInt(Abi.Desc.N, 64);
        d.putInt(Abi.Desc.K, 16);
        d.putInt(Abi.Desc.GROUP_SIZE, 16);
        d.putInt(Abi.Desc.GROUP_COLS, 1);
        d.putLong(Abi.Desc.ADDR_A, 0x10000);
        d.putLong(Abi.Desc.ADDR_W, 5L << 30);
        d.putLong(Abi.Desc.ADDR_SCALES, 0x20000);
        d.putLong(Abi.Desc.ADDR_C, 0x30000);
        assertEquals(Abi.Status.BAD_DESCRIPTOR, submit(d).getInt(Abi.Cpl.STATUS));
    }

    @Test
    void cycleModelIsOpenedByUri() {
        try (Device d = Device.open("emu:?model=cycle&cores=3&warps=2&mma=2&smem=32k&dmemlat=50&dmembw=16&mem=64M")) {
            DeviceInfo info = d.info();
            assertEquals("EMU_CYCLE", info.model());
            assertEquals(3, info.cores());
            assertEquals(2, info.warps());
            assertEquals(32, info.lanes());
            assertEquals(2, info.mmaUnits());
            assertEquals(32 << 10, info.smemBytes());
            assertEquals(Abi.DEFAULT_CLOCK_KHZ, info.clockKhz());
            assertTrue(info.description().contains("3 cores x 2 warps x 32 lanes"), info.description());
            assertTrue(info.description().contains("16 B/cycle 50 cycles latency"), info.description());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "emu:?model=cycle&cores=0         | cores must be 1 .. 64, got 0",
        "emu:?model=cycle&warps=17        | warps must be 1 .. 16, got 17",
        "emu:?model=cycle&mma=5           | mma must be 1 .. 4, got 5",
        "emu:?model=cycle&smem=20k        | smem must be a multiple of 16 KiB",
        "emu:?model=cycle&dmembw=48       | dmembw must be 8, 16, 32 or 64",
        "emu:?model=cycle&dmemlat=0       | dmemlat must be 1 .. 1000, got 0",
        "emu:?model=cycle&threads=2       | 'threads' does not apply to model=cycle",
        "emu:?model=fast                  | model must be functional or cycle, got 'fast'",
        "emu:?cores=2                     | 'cores' needs model=cycle",
        "emu:?model=cycle&cores=x         | cores=x is not a number",
    })
    void badCycleModelUris(String uri, String message) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Device.open(uri));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
