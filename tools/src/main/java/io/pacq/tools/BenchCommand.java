package io.pacq.tools;

import io.pacq.emu.bench.GemmBenchmark;
import io.pacq.emu.simt.SimtBench;
import io.pacq.net.bench.NetBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pacq bench}: the benchmarks, each reporting ratios against baselines measured in the
 * same run. Arguments after the suite name go to that benchmark.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks; every figure is measured in this run, next to its baseline.",
                "  pacq bench [engine] [--quick] [--json] [--shapes m16n4096k4096,...] [--bits 4,2] [--engine auto|vector|plain] [--threads N]",
                "      the emulator's GEMM engine vs the reference, a dequantize-then-float-GEMM baseline and the FP32 FMA peak",
                "  pacq bench simt [--quick] [cores=N warps=N mma=N smem=B dmemlat=C dmembw=B]",
                "      cycles of the PACQ, DEQUANT and P(B)k kernels on the cycle-level model, and simulation speed",
                "  pacq bench net [--device URI] [--m M --n N --k K] [--reps R] [--clients C] [--gemms-per-client G] [--parts gemm,upload,clients]",
                "      pacq:// on loopback vs the same device in process: GEMM time, upload throughput, GEMMs/s"})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Suite (engine, simt, net) and its options, passed through unparsed. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> a = new ArrayList<>(args);
        String suite = a.isEmpty() || a.get(0).startsWith("-") ? "engine" : a.remove(0);
        String[] rest = a.toArray(String[]::new);
        var out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        switch (suite) {
            case "engine" -> {
                GemmBenchmark.Report r = GemmBenchmark.run(GemmBenchmark.Options.parse(rest), out);
                if (!r.allBitExact()) {
                    spec.commandLine().getErr().println("pacq: error: a benchmarked result differs from the reference");
                    return 1;
                }
            }
            case "simt" -> SimtBench.main(rest);
            case "net" -> NetBenchmark.main(rest);
            default -> throw new IllegalArgumentException("unknown benchmark suite '" + suite
                    + "'; choose engine, simt or net");
        }
        return 0;
    }
}
