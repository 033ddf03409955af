package io.pacq.emu.simt;

import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.DeviceException;
import io.pacq.DeviceMemoryException;
import io.pacq.DeviceOptions;
import io.pacq.DeviceTimeoutException;
import io.pacq.DeviceUri;
import io.pacq.KernelLaunch;
import io.pacq.KernelResult;
import io.pacq.UnsupportedCommandException;
import io.pacq.abi.Abi;
import io.pacq.driver.LinkDevice;
import io.pacq.emu.EmuDevice;
import io.pacq.emu.EmuLink;
import io.pacq.emu.PlainGemmEngine;
import io.pacq.link.Link;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Device#launch} end to end on {@code emu:?model=cycle}: kernels assembled from source,
 * their outputs checked against plain Java loops, device errors as typed exceptions, and device
 * memory accounted for after every outcome.
 */
class KernelLaunchApiTest {
    private Device dev;
    private long baseline;     // device memory the driver holds for itself (ring, completion records)

    @BeforeEach
    void open() {
        dev = Device.open("emu:?model=cycle&mem=64M");
        baseline = dev.counters().deviceBytesInUse();
    }

    @AfterEach
    void close() {
        dev.close();
    }

    static long[] assemble(String resource) {
        try (InputStream in = KernelLaunchApiTest.class.getResourceAsStream(resource)) {
            return Assembler.assemble(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource).words();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long[] asm(String src) {
        return Assembler.assemble(src, "test.pasm").words();
    }

    /** saxpy over n random FP32 values on a grid; y = RN32(a·x + b) computed here with Math.fma. */
    private KernelResult saxpy(int n, int tilesX, int tilesY, long seed, float[] expected) {
        SplittableRandom r = new SplittableRandom(seed);
        float a = (float) (r.nextDouble() * 4 - 2);
        float[] x = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            // wide exponent range, subnormals included: RN32 of the fused product-sum must match bit for bit
            x[i] = Float.intBitsToFloat(r.nextInt() & 0xBFFF_FFFF);
            b[i] = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(-140, 20)));
            expected[i] = Math.fma(a, x[i], b[i]);
        }
        KernelLaunch l = KernelLaunch.builder(assemble("saxpy.pasm")).tiles(tilesX, tilesY)
                .arg(n).arg(Float.floatToRawIntBits(a)).input("x", x).input("b", b).output("y", 4 * n).build();
        assertEquals(2, l.bufferArg("x"));
        assertEquals(4, l.bufferArg("y"));
        return dev.launch(l).join();
    }

    private static int[] bits(float[] f) {
        int[] w = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            w[i] = Float.floatToRawIntBits(f[i]);
        }
        return w;
    }

    @Test
    void saxpyMatchesAJavaLoopBitForBitWithCountersFromTheSpec() {
        int n = 1000;                      // 31 full warps and a tail of 8 lanes; 24 warps in a 3x2 grid
        float[] expected = new float[n];
        KernelResult res = saxpy(n, 3, 2, 1, expected);
        assertArrayEquals(bits(expected), res.outputInts("y"));
        // docs/simt.md 7: each warp iteration loads x and b and stores y over its contiguous, 64-byte
        // aligned chunk of 4 * lanes bytes: 64 * ceil(4 * lanes / 64) bytes per access.
        long chunkBytes = 0;
        for (int base = 0; base < n; base += 32) {
            int lanes = Math.min(32, n - base);
            chunkBytes += 64L * ((4L * lanes + 63) / 64);
        }
        CommandStats s = res.stats();
        assertEquals(2 * chunkBytes, s.dmemReadBytes());
        assertEquals(chunkBytes, s.dmemWriteBytes());
        assertEquals(n, s.mulOps());            // one ffma per active lane
        assertEquals(n, s.addOps());
        assertTrue(s.cycles() > Abi.CMD_OVERHEAD_CYCLES, "cycles " + s.cycles());
        assertTrue(s.instructions() > 0);
        assertEquals(baseline, dev.counters().deviceBytesInUse(), "device memory leaked");
        assertEquals(1, dev.counters().commandsCompleted());
        assertEquals(s, dev.counters().deviceTotals());
    }

    @Test
    void gridShapeDoesNotChangeTheResult() {
        float[] expected = new float[77];
        for (int[] grid : new int[][] {{1, 1}, {5, 1}, {1, 7}}) {
            KernelResult r = saxpy(77, grid[0], grid[1], 2, expected);
            assertArrayEquals(bits(expected), r.outputInts("y"), grid[0] + "x" + grid[1]);
        }
    }

    @Test
    void entryAndOutputsStartAsZeros() {
        // entry 2 skips the store of 7; the output's second word is never written and must read 0
        long[] prog = asm("""
                li   r1, 7
                bra  skip
                s2r  r2, arg1
                li   r3, 1
                setmask r3
                s2r  r4, arg0
                stg  [r2], r4
        skip:   exit
                """);
        KernelResult r = dev.runKernel(KernelLaunch.builder(prog).entry(2).arg(0x1234_5678).output("out", 8).build());
        assertArrayEquals(new int[] {0x1234_5678, 0}, r.outputInts("out"));
    }

    @Test
    void deviceErrorsAreTypedAndTheDeviceGoesOn() {
        record Case(String what, long[] program, long budget, int status, long info, String message) { }
        long[] spin = asm("spin: bra spin");
        for (Case c : new Case[] {
            new Case("illegal instruction", asm("nop\n.word 0x21\nexit"), 0, Abi.Status.ILLEGAL_INSTRUCTION,
                    Abi.PROG_RAM_BASE + 1, "at program word 1"),
            new Case("running off the end", asm("nop"), 0, Abi.Status.ILLEGAL_INSTRUCTION, Abi.PROG_RAM_BASE + 1,
                    "is outside the program"),
            new Case("store outside memory", asm("li r1, -64\nstg [r1], r0\nexit"), 0, Abi.Status.ADDRESS_FAULT,
                    0xFFFF_FFC0L, "device address 0xffffffc0"),
            new Case("divergence", asm("s2r r1, lane\nbz r1, x\nx: exit"), 0, Abi.Status.DIVERGENCE,
                    Abi.PROG_RAM_BASE + 1, "at program word 1"),
            new Case("watchdog", spin, 5000, Abi.Status.WATCHDOG, 5000, "within its budget of 5000 cycles"),
        }) {
            KernelLaunch l = KernelLaunch.builder(c.program()).maxCycles(c.budget()).input("in", new byte[100])
                    .output("out", 256).build();
            DeviceException e = assertThrows(DeviceException.class, () -> dev.runKernel(l), c.what());
            assertEquals(c.status(), e.status(), c.what() + ": " + e.getMessage());
            assertEquals(c.info(), e.info(), c.what());
            assertTrue(e.getMessage().contains(c.message()) && e.getMessage().contains("LAUNCH #"),
                    c.what() + ": " + e.getMessage());
            assertEquals(baseline, dev.counters().deviceBytesInUse(), c.what() + ": device memory leaked");
        }
        assertEquals(5, dev.counters().commandsFailed());
        float[] expected = new float[40];
        KernelResult r = saxpy(40, 1, 1, 3, expected);
        assertArrayEquals(bits(expected), r.outputInts("y"));
        assertEquals(0, dev.counters().resets());
    }

    @Test
    void faultInAnOutputBufferNamesIt() {
        // a misaligned store into an output buffer: the message names the buffer and the offset
        long[] prog = asm("s2r r1, arg0\nli r2, 1\nsetmask r2\nstg [r1 + 6], r0\nexit");
        KernelLaunch l = KernelLaunch.builder(prog).output("out", 60).build();
        DeviceException e = assertThrows(DeviceException.class, () -> dev.runKernel(l));
        assertEquals(Abi.Status.ADDRESS_FAULT, e.status());
        assertTrue(e.getMessage().contains("offset 6 in output 'out' (60 bytes)"), e.getMessage());
    }

    @Test
    void hostDeadlineResetsTheDeviceAndFreesTheLaunch() {
        // the default budget (2^30 cycles) outlasts a 300 ms deadline: the driver resets the device
        KernelLaunch l = KernelLaunch.builder(asm("spin: bra spin")).output("out", 4096)
                .timeout(Duration.ofMillis(300)).build();
        assertThrows(DeviceTimeoutException.class, () -> dev.runKernel(l));
        assertEquals(baseline, dev.counters().deviceBytesInUse(), "device memory leaked");
        assertEquals(1, dev.counters().timeouts());
        assertEquals(1, dev.counters().resets());
        float[] expected = new float[33];
        KernelResult r = saxpy(33, 2, 1, 4, expected);
        assertArrayEquals(bits(expected), r.outputInts("y"));
    }

    @Test
    void buffersThatDoNotFitFailWithoutLeaking() {
        KernelLaunch l = KernelLaunch.builder(asm("exit")).input("x", new byte[1 << 20]).output("y", 64 << 20).build();
        DeviceMemoryException e = assertThrows(DeviceMemoryException.class, () -> dev.runKernel(l));
        assertTrue(e.getMessage().contains("output 'y'"), e.getMessage());
        assertEquals(baseline, dev.counters().deviceBytesInUse(), "device memory leaked");
        assertEquals(1, dev.runKernel(KernelLaunch.builder(asm("exit")).output("y", 4).build()).outputNames().size());
    }

    @Test
    void concurrentLaunchesEachGetTheirOwnBuffers() {
        int n = 64;
        var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<KernelResult>>();
        var expected = new java.util.ArrayList<int[]>();
        for (int k = 0; k < 6; k++) {
            int[] in = new int[n];
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                in[i] = k * 1000 + i;
                out[i] = in[i] + k;
            }
            expected.add(out);
            // y[lane + 32 * warp-of-tile-0] = x[...] + ARG0, warps 0 and 1 of one tile
            futures.add(dev.launch(KernelLaunch.builder(asm("""
                    s2r  r1, warp
                    sltiu r2, r1, 2
                    bz   r2, done
                    shli r1, r1, 5
                    s2r  r2, lane
                    add  r1, r1, r2
                    shli r1, r1, 2
                    s2r  r3, arg1
                    add  r3, r3, r1
                    ldg  r4, [r3]
                    s2r  r5, arg0
                    add  r4, r4, r5
                    s2r  r3, arg2
                    add  r3, r3, r1
                    stg  [r3], r4
            done:   exit
                    """)).arg(k).input("x", in).output("y", 4 * n).build()));
        }
        for (int k = 0; k < futures.size(); k++) {
            assertArrayEquals(expected.get(k), futures.get(k).join().outputInts("y"), "launch " + k);
        }
        assertEquals(baseline, dev.counters().deviceBytesInUse());
    }

    @Test
    void theFunctionalEmulatorRefusesClearly() {
        try (Device f = Device.open("emu:")) {
            KernelLaunch l = KernelLaunch.builder(asm("exit")).build();
            UnsupportedCommandException e = assertThrows(UnsupportedCommandException.class, () -> f.launch(l));
            assertTrue(e.getMessage().contains("device emu: does not run kernel launches"), e.getMessage());
            assertTrue(e.getMessage().contains("emu:?model=cycle"), e.getMessage());
            assertEquals(0, f.counters().commandsSubmitted());
        }
    }

    @Test
    void aDeviceThatAnswersBadOpcodeIsReportedAsNotRunningLaunches() {
        // a functional device whose capability block wrongly claims LAUNCH: its BAD_OPCODE completion
        // becomes the same UnsupportedCommandException, with the device status as the cause
        EmuDevice emu = new EmuDevice(EmuDevice.Config.functional(16 << 20), new PlainGemmEngine(1));
        EmuLink real = new EmuLink(emu, "functional");
        Link lying = new Link() {
            @Override public int readReg(int offset) {
                int v = real.readReg(offset);
                return offset == Abi.Reg.CAP_OPCODES ? v | 1 << Abi.Opcode.LAUNCH : v;
            }
            @Override public void writeReg(int offset, int value) { real.writeReg(offset, value); }
            @Override public void writeMem(long address, ByteBuffer src) { real.writeMem(address, src); }
            @Override public void readMem(long address, ByteBuffer dst) { real.readMem(address, dst); }
            @Override public boolean awaitInterrupt(long nanos) throws InterruptedException {
                return real.awaitInterrupt(nanos);
            }
            @Override public String describe() { return real.describe(); }
            @Override public void close() { real.close(); }
        };
        try (Device d = LinkDevice.open(lying, DeviceUri.parse("emu:"), DeviceOptions.DEFAULTS, "functional")) {
            long before = d.counters().deviceBytesInUse();
            KernelLaunch l = KernelLaunch.builder(asm("exit")).output("y", 4).build();
            UnsupportedCommandException e = assertThrows(UnsupportedCommandException.class, () -> d.runKernel(l));
            assertTrue(e.getMessage().contains("does not run kernel launches"), e.getMessage());
            assertEquals(Abi.Status.BAD_OPCODE, assertInstanceOf(DeviceException.class, e.getCause()).status());
            assertEquals(before, d.counters().deviceBytesInUse());
        }
    }

    @Test
    void launchesCountInTheDeviceTotals() {
        KernelResult a = dev.runKernel(KernelLaunch.builder(asm("exit")).build());
        KernelResult b = dev.runKernel(KernelLaunch.builder(asm("nop\nexit")).tiles(2).build());
        assertEquals(a.stats().plus(b.stats()), dev.counters().deviceTotals());
        // docs/simt.md 7: every warp of every tile issues each instruction once
        assertEquals(Abi.DEFAULT_WARPS, a.stats().instructions());
        assertEquals(2L * 2 * Abi.DEFAULT_WARPS, b.stats().instructions());
    }
}
