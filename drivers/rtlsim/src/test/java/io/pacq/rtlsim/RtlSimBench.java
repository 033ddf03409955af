package io.pacq.rtlsim;

import com.sun.jna.Pointer;
import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.driver.LinkDevice;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.SplittableRandom;

/**
 * Simulation-speed benchmark of the Verilated RTL (not a test; run it with
 * {@code drivers/rtlsim/bench.sh}, see docs/rtl.md).
 *
 * <p>Reports, for the default machine: the harness's idle clock rate (the floor: one clock edge
 * pair through the whole Verilated device with nothing to do), and for GEMM m16 n256 k1024 INT4
 * (PACQ and DEQUANT) the wall time on rtlsim:, the simulated clock cycles per second, the
 * device cycles of the command, and the wall time of the same GEMM on emu:?model=cycle and on the
 * functional emulator measured in the same run, as ratios. Every result is checked against the
 * reference. Median of {@code -Dbench.runs} (default 3) runs after one warm-up. Also prints a
 * table of device cycles on rtlsim: next to emu:?model=cycle for several shapes, with any
 * activity counter that differs.
 */
public final class RtlSimBench {
    private RtlSimBench() {}

    public static void main(String[] args) {
        int runs = Integer.getInteger("bench.runs", 3);
        Path lib = RtlSimProvider.locate(null);
        RtlSimLibrary native_ = RtlSimProvider.load(lib);

        // 1. Idle clocking: the cost of the harness and of evaluating the whole device.
        Pointer sim = native_.pacq_sim_create("");
        long idleCycles = 2_000_000;
        long t0 = System.nanoTime();
        native_.pacq_sim_run(sim, idleCycles, 0);
        double idleRate = idleCycles / ((System.nanoTime() - t0) / 1e9);
        String desc = native_.pacq_sim_describe(sim);
        native_.pacq_sim_destroy(sim);
        System.out.printf("rtlsim: %s%n", desc);
        System.out.printf("idle clock rate: %.0f cycles/s%n", idleRate);

        // 2. Cycle counts and activity counters, rtlsim vs the cycle model, for several shapes.
        cycleTable();

        SplittableRandom rnd = new SplittableRandom(2025);
        int m = 16, n = 256, k = 1024;
        QuantizedWeights w = RandomProblems.weights(rnd, k, n, new QuantSpec(4, 128, 1, false));
        Fp16Matrix a = RandomProblems.activations(rnd, m, k, 2f);
        for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT}) {
            short[] ref = ReferenceGemm.gemmF16(mode, a.toBits(), m, w);
            // rtlsim, keeping the link to read the simulated clock.
            Pointer s = native_.pacq_sim_create("");
            RtlSimLink link = new RtlSimLink(native_, s, native_.pacq_sim_describe(s));
            double[] wall = new double[runs];
            long devCycles = 0;
            long clocks = 0;
            try (Device d = LinkDevice.open(link, DeviceUri.parse("rtlsim:"),
                    DeviceOptions.DEFAULTS.withTimeout(Duration.ofMinutes(30)), desc);
                 WeightHandle h = d.upload(w, EnumSet.of(mode))) {
                check(ref, d.gemm(GemmRequest.of(h, a).withMode(mode)), "rtlsim warm-up");
                for (int i = 0; i < runs; i++) {
                    long c0 = link.cycles();
                    long s0 = System.nanoTime();
                    GemmResult r = d.gemm(GemmRequest.of(h, a).withMode(mode));
                    wall[i] = (System.nanoTime() - s0) / 1e9;
                    clocks = link.cycles() - c0;
                    devCycles = r.stats().cycles();
                    check(ref, r, "rtlsim");
                }
            }
            double rtl = median(wall);
            double emuCycle = time("emu:?model=cycle", w, a, mode, ref, runs);
            double emuFunc = time("emu:", w, a, mode, ref, runs);
            System.out.printf("m%dn%dk%d INT4 %s: rtlsim %.3f s (%d device cycles, %d simulated clocks, %.0f clocks/s); "
                            + "emu:?model=cycle %.3f s (rtlsim/emu-cycle %.1fx); emu: %.4f s (rtlsim/emu %.0fx)%n",
                    m, n, k, mode, rtl, devCycles, clocks, clocks / rtl, emuCycle, rtl / emuCycle, emuFunc, rtl / emuFunc);
        }
    }

    /** One row per shape: device cycles and instructions on rtlsim and emu:?model=cycle. */
    private static void cycleTable() {
        record Shape(int m, int n, int k, int bits, int g, GemmMode mode) {}
        Shape[] shapes = {
            new Shape(16, 64, 64, 4, 32, GemmMode.PACQ), new Shape(16, 256, 256, 2, 128, GemmMode.PACQ),
            new Shape(40, 300, 128, 4, 64, GemmMode.PACQ), new Shape(33, 96, 128, 8, 64, GemmMode.DEQUANT),
            new Shape(16, 128, 256, 4, 128, GemmMode.KPACKED), new Shape(16, 256, 1024, 4, 128, GemmMode.PACQ),
            new Shape(16, 256, 1024, 4, 128, GemmMode.DEQUANT),
        };
        System.out.println("| shape | bits | mode | rtlsim cycles | emu:?model=cycle cycles | instructions | counters |");
        System.out.println("|---|---|---|---:|---:|---:|---|");
        try (Device rtl = Device.open("rtlsim:?lib=" + RtlSimProvider.locate(null)); Device emu = Device.open("emu:?model=cycle")) {
            SplittableRandom rnd = new SplittableRandom(7);
            for (Shape s : shapes) {
                QuantizedWeights w = RandomProblems.weights(rnd, s.k(), s.n(), new QuantSpec(s.bits(), s.g(), 1, false));
                Fp16Matrix a = RandomProblems.activations(rnd, s.m(), s.k(), 2f);
                short[] ref = ReferenceGemm.gemmF16(s.mode(), a.toBits(), s.m(), w);
                GemmResult r = run(rtl, w, a, s.mode());
                GemmResult e = run(emu, w, a, s.mode());
                check(ref, r, "rtlsim");
                check(ref, e, "emu:?model=cycle");
                java.util.List<String> d = Records.diff(e.stats(), r.stats());
                System.out.printf("| m%dn%dk%d | INT%d | %s | %d | %d | %d | %s |%n", s.m(), s.n(), s.k(), s.bits(),
                        s.mode(), r.stats().cycles(), e.stats().cycles(), r.stats().instructions(),
                        d.isEmpty() ? "all 13 equal" : String.join("; ", d));
            }
        }
    }

    private static GemmResult run(Device d, QuantizedWeights w, Fp16Matrix a, GemmMode mode) {
        try (WeightHandle h = d.upload(w, EnumSet.of(mode))) {
            return d.gemm(GemmRequest.of(h, a).withMode(mode));
        }
    }

    private static double time(String uri, QuantizedWeights w, Fp16Matrix a, GemmMode mode, short[] ref, int runs) {
        double[] t = new double[runs];
        try (Device d = Device.open(uri); WeightHandle h = d.upload(w, EnumSet.of(mode))) {
            check(ref, d.gemm(GemmRequest.of(h, a).withMode(mode)), uri + " warm-up");
            for (int i = 0; i < runs; i++) {
                long s0 = System.nanoTime();
                check(ref, d.gemm(GemmRequest.of(h, a).withMode(mode)), uri);
                t[i] = (System.nanoTime() - s0) / 1e9;
            }
        }
        return median(t);
    }

    private static void check(short[] ref, GemmResult r, String what) {
        if (!Arrays.equals(ref, r.f16Bits())) {
            throw new IllegalStateException(what + " returned bits that differ from the reference");
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
