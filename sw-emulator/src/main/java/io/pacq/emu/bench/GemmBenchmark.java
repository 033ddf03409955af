package io.pacq.emu.bench;

import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.emu.DeviceMemory;
import io.pacq.emu.GemmCommand;
import io.pacq.emu.GemmEngine;
import io.pacq.emu.GemmEngines;
import io.pacq.emu.Staging;
import io.pacq.fp.Fp16;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;

import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

/**
 * The emulator's GEMM benchmark ({@code pacq bench}). For each shape and bit width, in one run:
 * <ul>
 *   <li><b>engine direct</b>: the functional engine on operands already in device memory;</li>
 *   <li><b>engine via Device</b>: the same through {@code Device.open("emu:...")} (driver,
 *       command ring, copies of A and C), what an application sees;</li>
 *   <li><b>reference</b>: {@link ReferenceGemm} (single-threaded plain loops), timed on a sample
 *       of columns and scaled to N (said so in the output);</li>
 *   <li><b>dequant baseline</b>: dequantize the packed weights to FP32, then an FP32 GEMM, on
 *       all threads, vectorized with the Vector API when present ({@link DequantGemm});</li>
 *   <li><b>FP32 peak</b>: this machine's vector FMA throughput on the same threads.</li>
 * </ul>
 * Rates are GFLOP/s-equivalent, 2*M*N*K / time. The engine's output is checked bit for bit
 * against the reference on the sampled columns and against the Device path on all of them; a
 * mismatch is reported and fails the run. Weights: asymmetric, group size 128 (K when K is
 * smaller), seeded random codes, scales and zeros; A uniform in (-1, 1). PACQ mode, FP16 output.
 *
 * <p>Timing: a warm-up, then repeated calls for a fixed time; the median call time is reported
 * (robust on a shared machine), with the best alongside. Default total about a minute and a half;
 * {@code --quick} about 15 s.
 *
 * <p>Not thread-safe; run one at a time (it uses every core).
 */
public final class GemmBenchmark {
    private GemmBenchmark() {}

    /** A GEMM shape, written mMnNkK. */
    public record Shape(int m, int n, int k) {
        /** Parses "m16n4096k4096". */
        public static Shape parse(String s) {
            java.util.regex.Matcher x = java.util.regex.Pattern.compile("m(\\d+)n(\\d+)k(\\d+)").matcher(s.trim());
            if (!x.matches()) {
                throw new IllegalArgumentException("shape '" + s + "': expected mMnNkK, e.g. m16n4096k4096");
            }
            Shape sh = new Shape(Integer.parseInt(x.group(1)), Integer.parseInt(x.group(2)), Integer.parseInt(x.group(3)));
            if (sh.m < 1 || sh.n < 1 || sh.k < 16 || sh.k % 16 != 0) {
                throw new IllegalArgumentException("shape '" + s + "': M, N >= 1 and K a multiple of 16");
            }
            return sh;
        }

        /** 2*M*N*K. */
        public double flops() {
            return 2.0 * m * n * k;
        }

        @Override
        public String toString() {
            return "m" + m + "n" + n + "k" + k;
        }
    }

    /**
     * What to run.
     *
     * @param shapes   GEMM shapes
     * @param bits     weight widths (2, 4, 8)
     * @param engine   engine of the emulator: auto, vector or plain
     * @param threads  worker threads for the engine and the baseline
     * @param quick    short warm-up and measurement (about 15 s in all)
     * @param json     print one JSON object instead of the table
     * @param seed     random seed of weights and activations
     */
    public record Options(List<Shape> shapes, List<Integer> bits, String engine, int threads, boolean quick,
                          boolean json, long seed) {
        /** The paper's and LLM shapes, INT4 and INT2, auto engine, every core. */
        public static final List<Shape> DEFAULT_SHAPES = List.of(new Shape(16, 16, 16), new Shape(16, 4096, 4096),
                new Shape(1, 4096, 4096), new Shape(16, 11008, 4096));

        public Options {
            shapes = List.copyOf(shapes);
            bits = List.copyOf(bits);
            if (shapes.isEmpty() || bits.isEmpty()) {
                throw new IllegalArgumentException("at least one shape and one bit width");
            }
            for (int b : bits) {
                if (b != 2 && b != 4 && b != 8) {
                    throw new IllegalArgumentException("bits must be 2, 4 or 8, got " + b);
                }
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /** Defaults: {@link #DEFAULT_SHAPES}, INT4 and INT2, auto engine, all processors. */
        public static Options defaults() {
            return new Options(DEFAULT_SHAPES, List.of(4, 2), "auto", Runtime.getRuntime().availableProcessors(),
                    false, false, 1);
        }

        /**
         * Parses command-line options: {@code --quick}, {@code --json},
         * {@code --shapes m16n4096k4096,...}, {@code --bits 4,2}, {@code --engine auto|vector|plain},
         * {@code --threads N}, {@code --seed S}.
         *
         * @throws IllegalArgumentException naming the bad option
         */
        public static Options parse(String... args) {
            Options o = defaults();
            List<Shape> shapes = o.shapes;
            List<Integer> bits = o.bits;
            String engine = o.engine;
            int threads = o.threads;
            boolean quick = false;
            boolean json = false;
            long seed = o.seed;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> quick = true;
                    case "--json" -> json = true;
                    case "--shapes" -> shapes = Arrays.stream(value(args, ++i, a).split(",")).map(Shape::parse).toList();
                    case "--bits" -> bits = Arrays.stream(value(args, ++i, a).split(",")).map(String::trim)
                            .map(Integer::valueOf).toList();
                    case "--engine" -> engine = value(args, ++i, a);
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option '" + a
                            + "'; expected --quick, --json, --shapes, --bits, --engine, --threads, --seed");
                }
            }
            return new Options(shapes, bits, engine, threads, quick, json, seed);
        }

        private static String value(String[] args, int i, String opt) {
            if (i >= args.length) {
                throw new IllegalArgumentException("option " + opt + " needs a value");
            }
            return args[i];
        }

        long warmupNanos() {
            return quick ? 100_000_000L : 500_000_000L;
        }

        long measureNanos() {
            return quick ? 250_000_000L : 1_500_000_000L;
        }
    }

    /** A timing: median and best seconds per call over {@code calls} calls. */
    public record Timing(double medianSeconds, double bestSeconds, int calls) {
        /** GFLOP/s-equivalent of the median call for a shape. */
        public double gflops(Shape s) {
            return s.flops() / medianSeconds / 1e9;
        }
    }

    /**
     * One (shape, bits) line.
     *
     * @param referenceColumns columns the reference ran on (its time is scaled by N / this)
     * @param bitExact         the engine matched the reference on those columns and the Device
     *                         path on all columns
     */
    public record Row(Shape shape, int bits, Timing engineDirect, Timing engineDevice, Timing reference,
                      int referenceColumns, Timing baseline, boolean bitExact) {}

    /** Everything measured. */
    public record Report(String engine, int threads, double peakGflops, String baselineKind, List<Row> rows) {
        /** True when every row was bit-exact. */
        public boolean allBitExact() {
            return rows.stream().allMatch(Row::bitExact);
        }
    }

    /** Runs with {@link Options#parse} of the arguments and prints to stdout; exit status 1 on a mismatch. */
    public static void main(String[] args) {
        Report r = run(Options.parse(args), System.out);
        if (!r.allBitExact()) {
            System.exit(1);
        }
    }

    /**
     * Runs the benchmark and prints the table (or JSON) to out. Progress lines go to out too in
     * table mode.
     *
     * @return what was measured; check {@link Report#allBitExact()}
     */
    public static Report run(Options o, PrintStream out) {
        ForkJoinPool pool = new ForkJoinPool(o.threads());
        GemmEngine engine = GemmEngines.create(o.engine(), o.threads());
        try {
            double peak = peak(pool, o);
            List<Row> rows = new ArrayList<>();
            String baselineKind = null;
            if (!o.json()) {
                out.printf(Locale.ROOT, "PacQ emulator GEMM benchmark: engine %s, %d threads, FP32 FMA peak %.0f GFLOP/s%n",
                        engine.name(), o.threads(), peak);
            }
            // compile the hot paths before anything is timed (the JIT competes with the
            // measured threads for the same cores otherwise)
            for (int bits : o.bits()) {
                for (Shape warm : List.of(new Shape(16, 1024, 1024), new Shape(1, 2048, 1024), new Shape(16, 16, 16))) {
                    if (!o.json()) {
                        out.printf(Locale.ROOT, "  warming up on %s INT%d ...%n", warm, bits);
                    }
                    new Case(warm, bits, o, engine, pool).warmUp();
                }
            }
            for (Shape s : o.shapes()) {
                for (int bits : o.bits()) {
                    if (!o.json()) {
                        out.printf(Locale.ROOT, "  measuring %s INT%d ...%n", s, bits);
                    }
                    Case c = new Case(s, bits, o, engine, pool);
                    rows.add(c.measure());
                    baselineKind = c.baseline.describe();
                }
            }
            Report report = new Report(engine.name(), o.threads(), peak, baselineKind, rows);
            if (o.json()) {
                out.println(json(report));
            } else {
                printTable(report, out);
            }
            return report;
        } finally {
            engine.close();
            pool.shutdown();
        }
    }

    // ------------------------------------------------------------------------------- one case

    private static final class Case {
        final Shape s;
        final int bits;
        final Options o;
        final GemmEngine engine;
        final QuantizedWeights w;
        final short[] a;
        final float[] af;
        final DequantGemm baseline;

        Case(Shape s, int bits, Options o, GemmEngine engine, ForkJoinPool pool) {
            this.s = s;
            this.bits = bits;
            this.o = o;
            this.engine = engine;
            SplittableRandom rnd = new SplittableRandom(o.seed() * 31 + s.hashCode() * 7L + bits);
            this.w = randomWeights(rnd, s.k(), s.n(), new QuantSpec(bits, Math.min(128, s.k()), 1, false));
            this.a = new short[s.m() * s.k()];
            this.af = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = Fp16.fromFloat((float) (rnd.nextDouble() * 2 - 1));
                af[i] = Fp16.toFloat(a[i]);
            }
            this.baseline = newBaseline(new BaselineWeights(w), pool);
        }

        /** Runs every timed path for the warm-up time, untimed. */
        void warmUp() {
            long need = Staging.bytesNeeded(w, s.m(), GemmMode.PACQ, false);
            DeviceMemory mem = new DeviceMemory((need + DeviceMemory.PAGE_BYTES - 1) / DeviceMemory.PAGE_BYTES
                    * DeviceMemory.PAGE_BYTES);
            GemmCommand cmd = Staging.stage(mem, w, a, s.m(), GemmMode.PACQ, false);
            long each = o.quick() ? 400_000_000L : 700_000_000L;
            GemmBenchmark.time(() -> engine.run(cmd, mem, () -> false), each, 0);
            GemmBenchmark.time(() -> baseline.run(af, s.m()), each / 2, 0);
        }

        Row measure() {
            // engine, directly on device memory
            long need = Staging.bytesNeeded(w, s.m(), GemmMode.PACQ, false);
            DeviceMemory mem = new DeviceMemory((need + DeviceMemory.PAGE_BYTES - 1) / DeviceMemory.PAGE_BYTES
                    * DeviceMemory.PAGE_BYTES);
            GemmCommand cmd = Staging.stage(mem, w, a, s.m(), GemmMode.PACQ, false);
            Timing direct = time(() -> engine.run(cmd, mem, () -> false));
            short[] directOut = Staging.readF16(mem, cmd);

            // engine, through the Device API
            long devMem = Math.max(64L << 20, (need * 2 + (8L << 20)) / DeviceMemory.PAGE_BYTES * DeviceMemory.PAGE_BYTES);
            Timing device;
            short[] deviceOut;
            try (Device dev = Device.open("emu:?engine=" + engine.name() + "&threads=" + o.threads() + "&mem=" + devMem);
                 WeightHandle h = dev.upload(w)) {
                GemmRequest req = GemmRequest.of(h, Fp16Matrix.ofBits(s.m(), s.k(), a));
                GemmResult[] last = new GemmResult[1];
                device = time(() -> last[0] = dev.gemm(req));
                deviceOut = last[0].f16Bits();
            }

            // reference on a sample of columns
            int cols = Math.min(s.n(), Math.max(1, (int) Math.min(s.n(), 2_000_000L / ((long) s.m() * s.k()))));
            QuantizedWeights sample = firstColumns(w, cols);
            short[][] refOut = new short[1][];
            Timing refSample = GemmBenchmark.time(() -> refOut[0] = ReferenceGemm.gemmF16(GemmMode.PACQ, a, s.m(), sample),
                    Math.min(o.warmupNanos(), 100_000_000L), o.measureNanos() / 2);
            double scale = (double) s.n() / cols;
            Timing reference = new Timing(refSample.medianSeconds() * scale, refSample.bestSeconds() * scale,
                    refSample.calls());

            Timing base = time(() -> baseline.run(af, s.m()));

            boolean exact = Arrays.equals(directOut, deviceOut);
            for (int r = 0; r < s.m() && exact; r++) {
                for (int c = 0; c < cols; c++) {
                    if (directOut[r * s.n() + c] != refOut[0][r * cols + c]) {
                        exact = false;
                        break;
                    }
                }
            }
            return new Row(s, bits, direct, device, reference, cols, base, exact);
        }

        Timing time(Runnable call) {
            return GemmBenchmark.time(call, o.warmupNanos(), o.measureNanos());
        }
    }

    /** Warm-up for warm nanos (at least one call), then calls for measure nanos (at least 3). */
    static Timing time(Runnable call, long warm, long measure) {
        long end = System.nanoTime() + warm;
        do {
            call.run();
        } while (System.nanoTime() < end);
        List<Long> times = new ArrayList<>();
        end = System.nanoTime() + measure;
        do {
            long t0 = System.nanoTime();
            call.run();
            times.add(System.nanoTime() - t0);
        } while (System.nanoTime() < end || times.size() < 3);
        long[] t = times.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Timing(t[t.length / 2] / 1e9, t[0] / 1e9, t.length);
    }

    // ------------------------------------------------------------------ baseline and peak

    private static final MethodHandle VECTOR_BASELINE;
    private static final MethodHandle VECTOR_PEAK;

    static {
        MethodHandle ctor = null;
        MethodHandle peak = null;
        if (GemmEngines.vectorAvailable()) {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                Class<?> cls = l.findClass("io.pacq.emu.bench.VectorDequantGemm");
                ctor = l.findConstructor(cls, MethodType.methodType(void.class, BaselineWeights.class, ForkJoinPool.class));
                peak = l.findStatic(cls, "peakGflops",
                        MethodType.methodType(double.class, ForkJoinPool.class, int.class, long.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                ctor = null;
                peak = null;
            }
        }
        VECTOR_BASELINE = ctor;
        VECTOR_PEAK = peak;
    }

    static DequantGemm newBaseline(BaselineWeights w, ForkJoinPool pool) {
        if (VECTOR_BASELINE != null) {
            try {
                return (DequantGemm) VECTOR_BASELINE.invoke(w, pool);
            } catch (Throwable e) {
                throw new IllegalStateException("could not create the vector baseline", e);
            }
        }
        return new ScalarDequantGemm(w, pool);
    }

    private static double peak(ForkJoinPool pool, Options o) {
        long nanos = o.quick() ? 200_000_000L : 1_000_000_000L;
        if (VECTOR_PEAK != null) {
            try {
                return (double) VECTOR_PEAK.invoke(pool, o.threads(), nanos);
            } catch (Throwable e) {
                throw new IllegalStateException("could not measure the FP32 peak", e);
            }
        }
        return ScalarDequantGemm.peakGflops(pool, o.threads(), nanos);
    }

    // ------------------------------------------------------------------------------ helpers

    /** Seeded random weights: uniform codes and zeros, scales in [2^-10, 2^-4]. */
    static QuantizedWeights randomWeights(SplittableRandom rnd, int k, int n, QuantSpec spec) {
        int bits = spec.bits();
        byte[] codes = new byte[k * n];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) rnd.nextInt(1 << bits);
        }
        int entries = (k / spec.groupSize()) * ((n + spec.groupCols() - 1) / spec.groupCols());
        short[] scales = new short[entries];
        byte[] zeros = spec.symmetric() ? null : new byte[entries];
        for (int i = 0; i < entries; i++) {
            scales[i] = Fp16.fromFloat((float) Math.scalb(1.0 + rnd.nextDouble(), -4 - rnd.nextInt(7)));
            if (zeros != null) {
                zeros[i] = (byte) rnd.nextInt(1 << bits);
            }
        }
        return new QuantizedWeights(k, n, bits, spec.groupSize(), spec.groupCols(), codes, scales, zeros);
    }

    /** The first cols columns of w (gn = 1). */
    static QuantizedWeights firstColumns(QuantizedWeights w, int cols) {
        int k = w.k();
        byte[] codes = new byte[k * cols];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < cols; c++) {
                codes[r * cols + c] = (byte) w.code(r, c);
            }
        }
        int groups = k / w.groupSize();
        short[] scales = new short[groups * cols];
        byte[] zeros = w.symmetric() ? null : new byte[groups * cols];
        for (int g = 0; g < groups; g++) {
            for (int c = 0; c < cols; c++) {
                scales[g * cols + c] = w.scale(g * w.groupSize(), c);
                if (zeros != null) {
                    zeros[g * cols + c] = (byte) w.zero(g * w.groupSize(), c);
                }
            }
        }
        return new QuantizedWeights(k, cols, w.bits(), w.groupSize(), 1, codes, scales, zeros);
    }

    private static void printTable(Report r, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-16s %4s  %10s %10s %10s %10s  %8s %8s %9s  %s%n", "shape", "bits", "engine",
                "via Device", "dequant", "reference", "eng/deq", "eng/ref", "eng/peak", "bit-exact");
        out.printf(Locale.ROOT, "%-16s %4s  %10s %10s %10s %10s  %8s %8s %9s%n", "", "", "GFLOP/s", "GFLOP/s",
                "GFLOP/s", "GFLOP/s", "", "", "");
        for (Row row : r.rows()) {
            Shape s = row.shape();
            double eng = row.engineDirect().gflops(s);
            double deq = row.baseline().gflops(s);
            double ref = row.reference().gflops(s);
            out.printf(Locale.ROOT, "%-16s %4s  %10s %10s %10s %10s  %7.2fx %7.0fx %8.1f%%  %s%n",
                    s, "INT" + row.bits(), rate(eng), rate(row.engineDevice().gflops(s)), rate(deq), rate(ref),
                    eng / deq, eng / ref, 100 * eng / r.peakGflops(), row.bitExact() ? "yes" : "NO");
        }
        out.println();
        out.printf(Locale.ROOT, "engine: %s engine directly on device memory; via Device: Device.open(\"emu:\"), "
                + "including the driver and the copies of A and C%n", r.engine());
        out.printf(Locale.ROOT, "dequant: dequantize to FP32 then FP32 GEMM, %s, %d threads%n", r.baselineKind(),
                r.threads());
        out.printf(Locale.ROOT, "reference: ReferenceGemm, 1 thread, timed on the first columns (%s) and scaled to N%n",
                r.rows().stream().map(x -> x.shape() + ":" + x.referenceColumns()).distinct()
                        .reduce((x, y) -> x + ", " + y).orElse(""));
        out.printf(Locale.ROOT, "FP32 FMA peak of this machine, %d threads: %.0f GFLOP/s; GFLOP/s = 2*M*N*K / median "
                + "time per call; PACQ mode, FP16 output, asymmetric groups of 128%n", r.threads(), r.peakGflops());
        if (!r.allBitExact()) {
            out.println("ERROR: the engine's output differs from the reference or the Device path (rows marked NO)");
        }
    }

    private static String rate(double gflops) {
        return String.format(Locale.ROOT, gflops >= 10 ? "%.1f" : gflops >= 0.1 ? "%.2f" : "%.4f", gflops);
    }

    private static String json(Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "{\"engine\":\"%s\",\"threads\":%d,\"fp32PeakGflops\":%.1f,"
                + "\"baseline\":\"%s\",\"allBitExact\":%b,\"rows\":[", r.engine(), r.threads(), r.peakGflops(),
                r.baselineKind(), r.allBitExact()));
        for (int i = 0; i < r.rows().size(); i++) {
            Row row = r.rows().get(i);
            Shape s = row.shape();
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"shape\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"bits\":%d,\"engineGflops\":%.2f,"
                            + "\"deviceGflops\":%.2f,\"dequantBaselineGflops\":%.2f,\"referenceGflops\":%.4f,"
                            + "\"referenceColumns\":%d,\"engineSeconds\":%.6g,\"deviceSeconds\":%.6g,"
                            + "\"baselineSeconds\":%.6g,\"referenceSecondsScaled\":%.6g,\"engineBestGflops\":%.2f,"
                            + "\"deviceBestGflops\":%.2f,\"dequantBaselineBestGflops\":%.2f,\"bitExact\":%b}",
                    s, s.m(), s.n(), s.k(), row.bits(), row.engineDirect().gflops(s), row.engineDevice().gflops(s),
                    row.baseline().gflops(s), row.reference().gflops(s), row.referenceColumns(),
                    row.engineDirect().medianSeconds(), row.engineDevice().medianSeconds(),
                    row.baseline().medianSeconds(), row.reference().medianSeconds(),
                    s.flops() / row.engineDirect().bestSeconds() / 1e9, s.flops() / row.engineDevice().bestSeconds() / 1e9,
                    s.flops() / row.baseline().bestSeconds() / 1e9, row.bitExact()));
        }
        return b.append("]}").toString();
    }
}
