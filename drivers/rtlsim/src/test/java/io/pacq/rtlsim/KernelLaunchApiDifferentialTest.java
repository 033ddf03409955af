package io.pacq.rtlsim;

import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.DeviceException;
import io.pacq.KernelLaunch;
import io.pacq.KernelResult;
import io.pacq.abi.Abi;
import io.pacq.emu.simt.Assembler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Device#launch} through the public API on rtlsim: (the RTL) and emu:?model=cycle: the same
 * launch gives the same output bits, cycles and activity counters, and the same device error.
 * (LaunchDifferentialTest compares the machines at the ring level; this one covers the driver's
 * part: allocation, buffer addresses as arguments, descriptor, read-back.)
 */
class KernelLaunchApiDifferentialTest {
    private static Device rtl;
    private static Device emu;

    @BeforeAll
    static void open() {
        rtl = Device.open(RtlSimTesting.uri(""));
        emu = Device.open("emu:?model=cycle");
    }

    @AfterAll
    static void close() throws Exception {
        RtlSimTesting.closeAll(rtl, emu);
    }

    /** Every lane: y[i] = RN32(x[i] * x[i] + ARG0) as FP32, and z[i] = i + tile; the grid covers n with a masked tail. */
    private static final String KERNEL = """
            s2r     r1, tile_x
            s2r     r2, nwarps
            mul     r1, r1, r2
            s2r     r3, warp
            add     r1, r1, r3
            shli    r1, r1, 5
            s2r     r4, lane
            add     r1, r1, r4          ; i
            s2r     r5, arg1            ; n
            sltu    r6, r1, r5
            setmask r6
            shli    r7, r1, 2
            s2r     r8, arg2
            add     r8, r8, r7
            ldg     r9, [r8]
            s2r     r10, arg0
            ffma    r10, r9, r9
            s2r     r8, arg3
            add     r8, r8, r7
            stg     [r8], r10
            s2r     r11, tile_x
            add     r11, r11, r1
            s2r     r8, arg4
            add     r8, r8, r7
            stg     [r8], r11
            exit
            """;

    @Test
    void sameBitsAndCounters() {
        int n = 300;
        int tiles = (n + 32 * Abi.DEFAULT_WARPS - 1) / (32 * Abi.DEFAULT_WARPS);
        SplittableRandom r = new SplittableRandom(11);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float c = 0.75f;
        KernelLaunch l = KernelLaunch.builder(Assembler.assemble(KERNEL, "square.pasm").words()).tiles(tiles)
                .arg(Float.floatToRawIntBits(c)).arg(n).input("x", x).output("y", 4 * n).output("z", 4 * n).build();
        KernelResult a = rtl.runKernel(l);
        KernelResult b = emu.runKernel(l);
        float[] y = a.outputFloats("y");
        int[] z = a.outputInts("z");
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(Math.fma(x[i], x[i], c)), Float.floatToRawIntBits(y[i]), "y[" + i + "]");
            assertEquals(i + i / (32 * Abi.DEFAULT_WARPS), z[i], "z[" + i + "]");
        }
        assertArrayEquals(b.output("y"), a.output("y"));
        assertArrayEquals(b.output("z"), a.output("z"));
        CommandStats s = a.stats();
        assertEquals(b.stats(), s);
        assertTrue(s.cycles() > Abi.CMD_OVERHEAD_CYCLES, "cycles " + s.cycles());
    }

    @Test
    void sameDeviceError() {
        long rtlBefore = rtl.counters().deviceBytesInUse();
        KernelLaunch l = KernelLaunch.builder(Assembler.assemble("spin: bra spin", "spin.pasm").words())
                .tiles(2).maxCycles(700).output("y", 64).build();
        DeviceException a = assertThrows(DeviceException.class, () -> rtl.runKernel(l));
        DeviceException b = assertThrows(DeviceException.class, () -> emu.runKernel(l));
        assertEquals(Abi.Status.WATCHDOG, a.status());
        assertEquals(b.status(), a.status());
        assertEquals(b.info(), a.info());
        assertEquals(700, a.info());
        assertEquals(rtlBefore, rtl.counters().deviceBytesInUse(), "device memory leaked on rtlsim:");
    }
}
