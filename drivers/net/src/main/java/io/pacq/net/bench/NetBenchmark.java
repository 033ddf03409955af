package io.pacq.net.bench;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.Fp16Matrix;
import io.pacq.GemmRequest;
import io.pacq.WeightHandle;
import io.pacq.net.server.PacqServer;
import io.pacq.net.server.ServerConfig;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The remote-device benchmark, on loopback, against a baseline measured in the same run:
 * <ol>
 *   <li>one GEMM (default m16 n4096 k4096 INT4) through pacq:// vs the same device in-process;</li>
 *   <li>weight-upload throughput through pacq:// (bytes of codes + scales + zeros per second),
 *       next to the in-process upload of the same weights;</li>
 *   <li>GEMMs/s for m1 (same N, K) with C concurrent clients, each with its own connection and
 *       its own weights, next to one in-process caller;</li>
 *   <li>("latency", not in the default set) the round trip of a tiny GEMM (m1 n64 k64) through
 *       pacq:// vs in-process, median of many: the fixed cost of a remote call.</li>
 * </ol>
 * The server and the in-process runs share one device instance, so both sides use the same
 * engine. Run: {@code java -cp pacq.jar io.pacq.net.bench.NetBenchmark [--device emu:] [--m 16]
 * [--n 4096] [--k 4096] [--reps 7] [--clients 16] [--gemms-per-client 4] [--latency-reps 500]
 * [--parts gemm,upload,clients,latency]} ({@code --parts} picks which run; gemm, upload and clients by default).
 */
public final class NetBenchmark {
    private NetBenchmark() {}

    /** Entry point; prints a report to stdout. */
    public static void main(String[] args) throws Exception {
        String device = "emu:";
        int m = 16;
        int n = 4096;
        int k = 4096;
        int reps = 7;
        int clients = 16;
        int perClient = 4;
        int latencyReps = 500;
        Set<String> parts = DEFAULT_PARTS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--device" -> device = v;
                case "--m" -> m = Integer.parseInt(v);
                case "--n" -> n = Integer.parseInt(v);
                case "--k" -> k = Integer.parseInt(v);
                case "--reps" -> reps = Integer.parseInt(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--gemms-per-client" -> perClient = Integer.parseInt(v);
                case "--latency-reps" -> latencyReps = Integer.parseInt(v);
                case "--parts" -> parts = parts(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; see the class comment");
            }
            i++;
        }
        run(System.out, device, m, n, k, reps, clients, perClient, parts, latencyReps);
    }

    /** The names of the measurements, for {@code --parts}. */
    private static final Set<String> ALL_PARTS = Set.of("gemm", "upload", "clients", "latency");
    /** What runs without {@code --parts}. */
    private static final Set<String> DEFAULT_PARTS = Set.of("gemm", "upload", "clients");

    private static Set<String> parts(String list) {
        Set<String> out = new java.util.HashSet<>();
        for (String p : list.split(",")) {
            if (!ALL_PARTS.contains(p.trim())) {
                throw new IllegalArgumentException("--parts: unknown part '" + p + "'; choose from gemm, upload, clients, latency");
            }
            out.add(p.trim());
        }
        return out;
    }

    /** Runs the three measurements and prints them. */
    public static void run(PrintStream out, String deviceUri, int m, int n, int k, int reps, int clients, int perClient)
            throws Exception {
        run(out, deviceUri, m, n, k, reps, clients, perClient, DEFAULT_PARTS, 500);
    }

    /**
     * Runs the chosen measurements ("gemm", "upload", "clients", "latency") and prints them;
     * latencyReps round trips are timed for "latency".
     */
    public static void run(PrintStream out, String deviceUri, int m, int n, int k, int reps, int clients, int perClient,
                           Set<String> parts, int latencyReps) throws Exception {
        SplittableRandom rnd = new SplittableRandom(1);
        QuantizedWeights w = weights(rnd, k, n);
        long payload = payloadBytes(w);
        Fp16Matrix a = activations(rnd, m, k);
        Fp16Matrix a1 = activations(rnd, 1, k);
        DeviceOptions opts = DeviceOptions.DEFAULTS.withTimeout(Duration.ofMinutes(10)).withClientName("bench");
        try (Device dev = Device.open(deviceUri, opts);
             PacqServer server = PacqServer.start(dev, ServerConfig.builder().port(0).serverName("bench").build());
             Device remote = Device.open(server.uri(), opts)) {
            out.printf(Locale.ROOT, "device: %s%nserver: %s (loopback)%nJava %s, %d processors%n%n",
                    dev.info().description(), server.uri(), Runtime.version(), Runtime.getRuntime().availableProcessors());

            // 2. uploads (first, so the GEMM step has its weights)
            if (parts.contains("upload")) {
                upload(out, w, payload, reps, dev, remote, opts);
            }
            // 1. one GEMM, in-process vs remote, interleaved
            if (parts.contains("gemm")) {
                gemm(out, deviceUri, m, n, k, reps, dev, remote, w, a);
            }
            // 4. the fixed cost of a call
            if (parts.contains("latency")) {
                latency(out, deviceUri, latencyReps, dev, remote);
            }
            // 3. throughput with concurrent clients
            if (parts.contains("clients")) {
                clients(out, n, k, clients, perClient, dev, server, w, a1, opts);
            }
            var s = server.stats();
            out.printf(Locale.ROOT, "%nserver: %d GEMMs, latency p50 %d us, p99 %d us; %d bytes in, %d bytes out%n",
                    s.getGemmsCompleted(), s.getGemmLatencyP50Us(), s.getGemmLatencyP99Us(), s.getBytesReceived(),
                    s.getBytesSent());
        }
    }

    /**
     * Upload of w in-process, through pacq:// to the device, and through pacq:// to a server
     * that discards after the CRC check, one of each per round so that all three see the same
     * load. Rates are of the weights' size with one byte per code (the same yardstick whatever
     * goes on the wire); the wire rate is of the bytes the client sent.
     */
    private static void upload(PrintStream out, QuantizedWeights w, long payload, int reps, Device dev, Device remote,
                               DeviceOptions opts) throws Exception {
        double[] localUp = new double[Math.max(8, reps)];
        double[] remoteUp = new double[localUp.length];
        double[] wireUp = new double[localUp.length];
        long wire;
        try (PacqServer discard = PacqServer.start(new DiscardDevice(dev.info()),
                ServerConfig.builder().port(0).serverName("bench-discard").build());
             Device sink = Device.open(discard.uri(), opts)) {
            for (int i = 0; i < 3; i++) {          // warm-up: JIT of the copy, CRC and check loops
                sink.upload(w).close();
                dev.upload(w).close();
                remote.upload(w).close();
            }
            long sent0 = sink.counters().bytesToDevice();
            for (int i = 0; i < localUp.length; i++) {
                long t0 = System.nanoTime();
                sink.upload(w).close();
                wireUp[i] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                dev.upload(w).close();
                localUp[i] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                remote.upload(w).close();
                remoteUp[i] = (System.nanoTime() - t0) / 1e9;
            }
            wire = (sink.counters().bytesToDevice() - sent0) / localUp.length;
        }
        out.printf(Locale.ROOT, "2. weight upload, %.1f MiB of codes + scales + zeros with one byte per code, %.1f MiB "
                + "on the wire (median of %d, best)%n", payload / 1048576.0, wire / 1048576.0, localUp.length);
        out.printf(Locale.ROOT, "   in-process             %10.2f ms   %7.2f GB/s   (best %.2f ms)%n",
                median(localUp) * 1e3, payload / median(localUp) / 1e9, min(localUp) * 1e3);
        out.printf(Locale.ROOT, "   pacq:// to the device  %10.2f ms   %7.2f GB/s   (best %.2f ms; network + the device's "
                + "own upload)%n", median(remoteUp) * 1e3, payload / median(remoteUp) / 1e9, min(remoteUp) * 1e3);
        out.printf(Locale.ROOT, "   pacq:// protocol only  %10.2f ms   %7.2f GB/s   (best %.2f ms; wire %.2f GB/s; server "
                + "discards after the CRC check; target >= 1 GB/s)%n%n", median(wireUp) * 1e3,
                payload / median(wireUp) / 1e9, min(wireUp) * 1e3, wire / median(wireUp) / 1e9);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static void gemm(PrintStream out, String deviceUri, int m, int n, int k, int reps, Device dev,
                             Device remote, QuantizedWeights w, Fp16Matrix a) throws Exception {
        double[] local = new double[reps];
        double[] rem = new double[reps];
        try (WeightHandle hl = dev.upload(w); WeightHandle hr = remote.upload(w)) {
            for (int i = 0; i < Math.max(5, reps); i++) {   // warm-up: the JIT of both paths
                dev.gemm(GemmRequest.of(hl, a));
                remote.gemm(GemmRequest.of(hr, a));
            }
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                dev.gemm(GemmRequest.of(hl, a));
                local[i] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                remote.gemm(GemmRequest.of(hr, a));
                rem[i] = (System.nanoTime() - t0) / 1e9;
            }
            out.printf(Locale.ROOT, "1. GEMM m%dn%dk%d INT4 (median of %d)%n", m, n, k, reps);
            out.printf(Locale.ROOT, "   in-process %-9s %10.2f ms%n", deviceUri, median(local) * 1e3);
            double[] diff = new double[reps];
            for (int i = 0; i < reps; i++) {
                diff[i] = rem[i] - local[i];
            }
            out.printf(Locale.ROOT, "   pacq:// loopback       %10.2f ms   ratio %.3fx (target <= 1.2x)%n",
                    median(rem) * 1e3, median(rem) / median(local));
            out.printf(Locale.ROOT, "   network overhead       %10.2f ms   (median of the paired differences)%n%n",
                    median(diff) * 1e3);
        }
    }

    /**
     * Round trip of a GEMM so small (m1 n64 k64) that the device time is negligible: what a
     * remote call costs on top of an in-process one. Calls alternate between the two so that
     * both see the same load; medians of reps each, after a warm-up of as many.
     */
    private static void latency(PrintStream out, String deviceUri, int reps, Device dev, Device remote) {
        SplittableRandom rnd = new SplittableRandom(7);
        QuantizedWeights w = weights(rnd, 128, 64);
        Fp16Matrix a = activations(rnd, 1, 128);
        double[] local = new double[reps];
        double[] rem = new double[reps];
        try (WeightHandle hl = dev.upload(w); WeightHandle hr = remote.upload(w)) {
            for (int pass = 0; pass < 2; pass++) {     // the first pass warms up
                for (int i = 0; i < reps; i++) {
                    long t0 = System.nanoTime();
                    dev.gemm(GemmRequest.of(hl, a));
                    local[i] = (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    remote.gemm(GemmRequest.of(hr, a));
                    rem[i] = (System.nanoTime() - t0) / 1e9;
                }
            }
        }
        double[] diff = new double[reps];
        for (int i = 0; i < reps; i++) {
            diff[i] = rem[i] - local[i];
        }
        out.printf(Locale.ROOT, "4. round trip of a GEMM m1n64k128 INT4 (median of %d; p10 .. p90)%n", reps);
        out.printf(Locale.ROOT, "   in-process %-9s %10.1f us   (%.1f .. %.1f)%n", deviceUri, median(local) * 1e6,
                pct(local, 10) * 1e6, pct(local, 90) * 1e6);
        out.printf(Locale.ROOT, "   pacq:// loopback       %10.1f us   (%.1f .. %.1f)%n", median(rem) * 1e6,
                pct(rem, 10) * 1e6, pct(rem, 90) * 1e6);
        out.printf(Locale.ROOT, "   fixed remote cost      %10.1f us   (median of the paired differences)%n%n",
                median(diff) * 1e6);
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)];
    }

    private static void clients(PrintStream out, int n, int k, int clients, int perClient, Device dev,
                                PacqServer server, QuantizedWeights w, Fp16Matrix a1, DeviceOptions opts)
            throws Exception {
        // every configuration runs twice and the second run counts: the first warms the JIT
        throughput(List.of(dev), List.of(w), a1, clients * perClient);
        double localRate = throughput(List.of(dev), List.of(w), a1, clients * perClient);
        List<Device> cs = new ArrayList<>();
        List<Device> same = new ArrayList<>();
        List<QuantizedWeights> ws = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                cs.add(Device.open(server.uri(), opts.withClientName("bench-" + c)));
                same.add(dev);
                ws.add(c == 0 ? w : weights(new SplittableRandom(100 + c), k, n));
            }
            // the fair baseline: as many in-process callers, each with its own weights (the
            // device then streams C weight sets instead of one that may stay in cache)
            throughput(same, ws, a1, perClient);
            double localMany = throughput(same, ws, a1, perClient);
            throughput(cs, ws, a1, perClient);
            double rate = throughput(cs, ws, a1, perClient);
            out.printf(Locale.ROOT, "3. GEMM m1n%dk%d INT4 throughput, %d GEMMs per run%n", n, k,
                    clients * perClient);
            out.printf(Locale.ROOT, "   in-process, 1 caller   %10.1f GEMMs/s (one weight set)%n", localRate);
            out.printf(Locale.ROOT, "   in-process, %2d callers %10.1f GEMMs/s (own weights each)%n", clients,
                    localMany);
            out.printf(Locale.ROOT, "   pacq://, %2d clients    %10.1f GEMMs/s   ratio %.3fx to %d in-process callers%n",
                    clients, rate, rate / localMany, clients);
        } finally {
            for (Device d : cs) {
                d.close();
            }
        }
    }

    /**
     * GEMMs per second: one thread per entry of devs (entries may repeat a device), each with its
     * own weights, each running perCaller GEMMs after one warm-up; a fixed amount of work, timed
     * from the common start to the last result.
     */
    private static double throughput(List<Device> devs, List<QuantizedWeights> ws, Fp16Matrix a, int perCaller)
            throws Exception {
        List<WeightHandle> hs = new ArrayList<>();
        for (int i = 0; i < devs.size(); i++) {
            hs.add(devs.get(i).upload(ws.get(i)));
        }
        AtomicReference<Throwable> fail = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(devs.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < devs.size(); i++) {
            Device d = devs.get(i);
            WeightHandle h = hs.get(i);
            Thread t = new Thread(() -> {
                try {
                    d.gemm(GemmRequest.of(h, a));
                    ready.countDown();
                    start.await();
                    for (int j = 0; j < perCaller; j++) {
                        d.gemm(GemmRequest.of(h, a));
                    }
                } catch (Throwable e) {
                    fail.set(e);
                    ready.countDown();
                }
            });
            t.start();
            ts.add(t);
        }
        ready.await();
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        long t1 = System.nanoTime();
        for (WeightHandle h : hs) {
            h.close();
        }
        if (fail.get() != null) {
            throw new IllegalStateException("benchmark client failed", fail.get());
        }
        return (double) devs.size() * perCaller / ((t1 - t0) / 1e9);
    }

    private static QuantizedWeights weights(SplittableRandom rnd, int k, int n) {
        QuantSpec spec = QuantSpec.of(4, 128);
        byte[] codes = new byte[k * n];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) rnd.nextInt(16);
        }
        int groups = (k / 128) * n;
        short[] scales = new short[groups];
        byte[] zeros = new byte[groups];
        for (int i = 0; i < groups; i++) {
            scales[i] = io.pacq.fp.Fp16.fromFloat((float) (0.001 + rnd.nextDouble() * 0.01));
            zeros[i] = (byte) rnd.nextInt(16);
        }
        return new QuantizedWeights(k, n, spec.bits(), spec.groupSize(), 1, codes, scales, zeros);
    }

    private static Fp16Matrix activations(SplittableRandom rnd, int m, int k) {
        float[] v = new float[m * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return Fp16Matrix.ofFloats(m, k, v);
    }

    private static long payloadBytes(QuantizedWeights w) {
        long groups = (long) w.groupRows() * w.groupColumns();
        return (long) w.k() * w.n() + 2 * groups + (w.symmetric() ? 0 : groups);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
