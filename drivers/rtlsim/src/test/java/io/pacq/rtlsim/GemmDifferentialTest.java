package io.pacq.rtlsim;

import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.OutputType;
import io.pacq.WeightHandle;
import io.pacq.abi.Abi;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * GEMMs through the public Device API on three backends: rtlsim: (the RTL), emu:?model=cycle (the
 * cycle-level model) and the reference (io.pacq.ref.ReferenceGemm). The RTL's bits must equal the
 * reference's (and so the emulator's), and its cycle count and every activity counter must equal
 * the cycle model's; differences are reported as numbers. Shapes cover M = 1, odd N, partial
 * strips and tiles, every bit width, group sizes from 16 to K, 2-D groups, symmetric and
 * asymmetric zero points, all three modes, FP16 and FP32 output and edge-value activations. A
 * mismatch reruns the command on a traced RTL device and prints the waveform's path.
 */
class GemmDifferentialTest {
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

    /** One GEMM: shape, quantization, mode, output, activation edge probability, seed. */
    record Case(int m, int n, int k, int bits, int g, int gc, boolean sym, GemmMode mode, OutputType out, double edges,
                long seed) {
        @Override
        public String toString() {
            return String.format("m%dn%dk%d INT%d g%d gc%d %s %s %s%s", m, n, k, bits, g, gc, sym ? "sym" : "asym", mode,
                    out, edges > 0 ? " edges" : "");
        }
    }

    static List<Case> cases() {
        // Every width x mode, one full strip.
        List<Case> c = everyWidthAndMode(16, 1, 64, 1);
        long seed = 1 + c.size();
        // Shapes: M = 1, M not a multiple of 16, odd N, partial strips, several tiles over both cores.
        c.add(new Case(1, 7, 16, 4, 16, 1, false, GemmMode.PACQ, OutputType.F16, 0, seed++));
        c.add(new Case(1, 200, 128, 2, 64, 1, true, GemmMode.PACQ, OutputType.F32, 0, seed++));
        c.add(new Case(5, 33, 48, 8, 16, 1, false, GemmMode.DEQUANT, OutputType.F16, 0, seed++));
        c.add(new Case(17, 65, 32, 4, 32, 1, false, GemmMode.PACQ, OutputType.F32, 0, seed++));
        c.add(new Case(40, 300, 64, 4, 64, 4, false, GemmMode.PACQ, OutputType.F16, 0, seed++));
        c.add(new Case(33, 129, 64, 2, 32, 2, true, GemmMode.KPACKED, OutputType.F16, 0, seed++));
        c.add(new Case(20, 70, 96, 8, 32, 2, false, GemmMode.DEQUANT, OutputType.F32, 0, seed++));
        // Group sizes from 16 to K, 2-D groups up to 32 columns.
        c.add(new Case(16, 64, 256, 4, 16, 1, false, GemmMode.PACQ, OutputType.F16, 0, seed++));
        c.add(new Case(16, 64, 256, 4, 256, 8, false, GemmMode.PACQ, OutputType.F16, 0, seed++));
        c.add(new Case(16, 128, 128, 2, 128, 32, true, GemmMode.DEQUANT, OutputType.F16, 0, seed++));
        c.add(new Case(16, 32, 160, 8, 80, 32, false, GemmMode.KPACKED, OutputType.F32, 0, seed++));
        // Edge values (+-0, subnormals, max-finite, Inf, NaN) in the activations.
        c.add(new Case(16, 64, 64, 4, 32, 1, false, GemmMode.PACQ, OutputType.F16, 0.1, seed++));
        c.add(new Case(16, 64, 64, 4, 32, 1, false, GemmMode.DEQUANT, OutputType.F32, 0.1, seed++));
        c.add(new Case(3, 40, 32, 8, 16, 1, true, GemmMode.KPACKED, OutputType.F16, 0.2, seed++));
        return c;
    }

    /** m x (strips full strips) x k GEMMs of every width and mode (groups of 32), seeds from seed. */
    static List<Case> everyWidthAndMode(int m, int strips, int k, long seed) {
        List<Case> c = new ArrayList<>();
        for (int bits : new int[] {2, 4, 8}) {
            for (GemmMode mode : GemmMode.values()) {
                c.add(new Case(m, strips * 256 / bits, k, bits, 32, 1, false, mode, OutputType.F16, 0, seed++));
            }
        }
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rtlMatchesTheCycleModelAndTheReference(Case c) {
        assertSameAsCycleModelAndReference(rtl, RtlSimTesting.library(), emu, c);
    }

    /**
     * Runs c on rtl (a device of library lib) and on emu: the bits must equal the reference's and
     * emu's, CYCLES and every counter emu's; a mismatch reruns c traced and names the waveform.
     */
    static void assertSameAsCycleModelAndReference(Device rtl, Path lib, Device emu, Case c) {
        SplittableRandom rnd = new SplittableRandom(c.seed());
        QuantizedWeights w = RandomProblems.weights(rnd, c.k(), c.n(), new QuantSpec(c.bits(), c.g(), c.gc(), c.sym()));
        Fp16Matrix a = c.edges() > 0 ? RandomProblems.activationsWithEdges(rnd, c.m(), c.k(), 4f, c.edges())
                : RandomProblems.activations(rnd, c.m(), c.k(), 4f);
        GemmResult r = run(rtl, w, a, c);
        GemmResult e = run(emu, w, a, c);
        List<String> diffs = new ArrayList<>();
        if (c.out() == OutputType.F16) {
            short[] ref = ReferenceGemm.gemmF16(c.mode(), a.toBits(), c.m(), w);
            mismatch(diffs, "reference", ref, r.f16Bits());
            mismatch(diffs, "emu", e.f16Bits(), r.f16Bits());
        } else {
            int[] ref = ReferenceGemm.gemmF32(c.mode(), a.toBits(), c.m(), w);
            mismatch(diffs, "reference", ref, r.f32Bits());
            mismatch(diffs, "emu", e.f32Bits(), r.f32Bits());
        }
        diffs.addAll(Records.diff(e.stats(), r.stats()));
        if (!diffs.isEmpty()) {
            fail(c + ": rtlsim differs:\n  " + String.join("\n  ", diffs) + "\n  waveform: " + wave(lib, c, w, a));
        }
        assertEquals(e.stats(), r.stats());
    }

    @Test
    void aSlowAxiMemoryFreezesModelTimeAndKeepsTheCycleCounts() {
        // The AXI memory far slower than the timing model (first read beat 150 clocks after the
        // request, 120 for a write response, against dmemlat 40): the engine must stall model
        // time, so CYCLES and counters stay the cycle model's.
        Case c = new Case(16, 128, 256, 4, 64, 1, false, GemmMode.PACQ, OutputType.F16, 0, 77);
        SplittableRandom rnd = new SplittableRandom(c.seed());
        QuantizedWeights w = RandomProblems.weights(rnd, c.k(), c.n(), new QuantSpec(c.bits(), c.g(), c.gc(), c.sym()));
        Fp16Matrix a = RandomProblems.activations(rnd, c.m(), c.k(), 3f);
        try (Device slow = Device.open(RtlSimTesting.uri("rd_latency=150&wr_latency=120"))) {
            GemmResult r = run(slow, w, a, c);
            GemmResult e = run(emu, w, a, c);
            assertEquals(Arrays.toString(ReferenceGemm.gemmF16(c.mode(), a.toBits(), c.m(), w)),
                    Arrays.toString(r.f16Bits()));
            assertEquals(List.of(), Records.diff(e.stats(), r.stats()));
        }
    }

    @Test
    void severalCommandsInFlightCompleteInOrder() {
        SplittableRandom rnd = new SplittableRandom(99);
        QuantizedWeights w = RandomProblems.weights(rnd, 64, 64, new QuantSpec(4, 32, 1, false));
        List<Fp16Matrix> as = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            as.add(RandomProblems.activations(rnd, 1 + rnd.nextInt(20), 64, 3f));
        }
        try (WeightHandle h = rtl.upload(w, EnumSet.of(GemmMode.PACQ))) {
            var futures = new ArrayList<java.util.concurrent.CompletableFuture<GemmResult>>();
            for (Fp16Matrix a : as) {
                futures.add(rtl.submit(GemmRequest.of(h, a)));
            }
            for (int i = 0; i < as.size(); i++) {
                Fp16Matrix a = as.get(i);
                short[] ref = ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), a.rows(), w);
                assertEquals(Arrays.toString(ref), Arrays.toString(futures.get(i).join().f16Bits()), "command " + i);
            }
        }
    }

    static GemmResult run(Device d, QuantizedWeights w, Fp16Matrix a, Case c) {
        try (WeightHandle h = d.upload(w, EnumSet.of(c.mode()))) {
            return d.gemm(GemmRequest.of(h, a).withMode(c.mode()).withOutput(c.out()));
        }
    }

    private static void mismatch(List<String> diffs, String what, short[] expected, short[] actual) {
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            int n = 0;
            for (int i = 0; i < expected.length; i++) {
                n += expected[i] != actual[i] ? 1 : 0;
            }
            diffs.add(String.format("bits vs %s: %d of %d differ, first at %d (%s 0x%04x, rtl 0x%04x)", what, n,
                    expected.length, at, what, expected[at], actual[at]));
        }
    }

    private static void mismatch(List<String> diffs, String what, int[] expected, int[] actual) {
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            int n = 0;
            for (int i = 0; i < expected.length; i++) {
                n += expected[i] != actual[i] ? 1 : 0;
            }
            diffs.add(String.format("bits vs %s: %d of %d differ, first at %d (%s 0x%08x, rtl 0x%08x)", what, n,
                    expected.length, at, what, expected[at], actual[at]));
        }
    }

    /** Reruns the GEMM on a fresh traced device of lib; returns the waveform's path. */
    private static String wave(Path lib, Case c, QuantizedWeights w, Fp16Matrix a) {
        Path file = Waves.dir().resolve(lib.getParent().getFileName() + "-"
                + c.toString().replaceAll("[^A-Za-z0-9_.-]", "_") + ".fst");
        try {
            Files.createDirectories(file.getParent());
            try (Device d = Device.open(RtlSimTesting.uri(lib, "trace=" + file))) {
                run(d, w, a, c);
            }
            return file.toString();
        } catch (Exception e) {
            return file + " (the rerun failed: " + e.getMessage() + ")";
        }
    }

    static {
        // The library's machine is the ABI default one, like emu:?model=cycle's.
        if (Abi.DEFAULT_CORES < 1) {
            throw new IllegalStateException("ABI defaults missing");
        }
    }
}
