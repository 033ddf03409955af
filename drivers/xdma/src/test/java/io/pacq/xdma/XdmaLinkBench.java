package io.pacq.xdma;

import com.sun.jna.Memory;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;
import io.pacq.Fp16Matrix;
import io.pacq.GemmRequest;
import io.pacq.WeightHandle;
import io.pacq.abi.Abi;
import io.pacq.driver.LinkDevice;
import io.pacq.emu.EmuDevice;
import io.pacq.emu.EmuLink;
import io.pacq.emu.PlainGemmEngine;
import io.pacq.link.Link;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.testing.RandomProblems;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Benchmark of the XDMA link on the "XDMA over files" rig (no board):
 * <ol>
 * <li>host-side overhead per GEMM command (descriptor build, doorbell, completion) through
 *     {@code xdma:} versus the same driver logic over the in-process emulator link, measured in the
 *     same run; the time spent inside link calls is accounted separately from waiting;</li>
 * <li>the cost of each link primitive on the rig (register access by mmap and by pread, a
 *     descriptor-sized DMA, an interrupt that is already pending);</li>
 * <li>DMA throughput through 1 and 4 channels, as a sanity figure (the rig's "card memory" is a
 *     file, so this measures the host path: staging copy, system call, page cache).</li>
 * </ol>
 * The end-to-end latency on the rig also contains the rig's bridge (a thread polling the register
 * file), which a board does not have; the "in link calls" column is what the host pays.
 *
 * <p>Run: {@code ./mvnw -q -B -pl drivers/xdma -am test-compile} then
 * {@code java -cp <test classpath> io.pacq.xdma.XdmaLinkBench [commands] [dmaMiB] [dir]}; see
 * docs/board-bringup.md for the exact command.
 */
public final class XdmaLinkBench {
    private XdmaLinkBench() {}

    /**
     * @param args [commands per backend, default 3000] [MiB per DMA run, default 128]
     *             [directory for the rig, default /dev/shm or the temp dir]
     */
    public static void main(String[] args) throws Exception {
        int commands = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int dmaMiB = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        Path base = args.length > 2 ? Path.of(args[2])
                : Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        System.out.printf(Locale.ROOT, "XDMA link benchmark: %d commands per backend, %d MiB per DMA run, rig in %s, "
                + "%d CPUs, %s%n%n", commands, dmaMiB, base, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        commandOverhead(base, commands);
        primitives(base);
        throughput(base, dmaMiB);
    }

    // ----------------------------------------------------------------------------- 1. commands

    private static final int ROUNDS = 5;

    private static void commandOverhead(Path base, int commands) throws Exception {
        SplittableRandom rnd = new SplittableRandom(1);
        QuantizedWeights w = RandomProblems.weights(rnd, 64, 64, new QuantSpec(4, 32, 1, false));
        Fp16Matrix a = RandomProblems.activations(rnd, 1, 64, 1f);
        System.out.printf(Locale.ROOT, "1. Host-side overhead per GEMM command (M=1 N=64 K=64 INT4 PACQ, one at a time; "
                + "%d rounds alternating the backends)%n", ROUNDS);
        System.out.println("   backend                median e2e    p99 e2e  in link calls  link calls  of which DMA");
        String[] names = {"emu: (in-process)", "xdma: rig", "xdma: rig regs=pread", "xdma: rig irq=poll"};
        String[] queries = {null, "", "regs=pread", "irq=poll"};
        long[][] lat = new long[names.length][];
        long[][] sums = new long[names.length][3]; // link nanos, calls, dma nanos
        int per = Math.max(1, commands / ROUNDS);
        Path dir = Files.createTempDirectory(base, "xdma-bench-");
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults())) {
            for (int round = -1; round < ROUNDS; round++) {      // round -1 warms every backend up
                for (int b = 0; b < names.length; b++) {
                    TimingLink link;
                    DeviceUri uri;
                    if (queries[b] == null) {
                        EmuDevice device = new EmuDevice(EmuDevice.Config.functional(64L << 20), new PlainGemmEngine(1));
                        link = new TimingLink(new EmuLink(device, "emulator"));
                        uri = DeviceUri.parse("emu:");
                    } else {
                        uri = DeviceUri.parse(rig.uri(queries[b]));
                        link = new TimingLink(XdmaLink.open(XdmaProvider.config(uri)));
                    }
                    try (LinkDevice dev = LinkDevice.open(link, uri, DeviceOptions.DEFAULTS, names[b]);
                         WeightHandle h = dev.upload(w)) {
                        GemmRequest req = GemmRequest.of(h, a);
                        int n = round < 0 ? Math.max(500, per) : per;
                        for (int i = 0; i < 50; i++) {
                            dev.gemm(req);
                        }
                        link.reset();
                        long[] l = new long[n];
                        for (int i = 0; i < n; i++) {
                            long t0 = System.nanoTime();
                            dev.gemm(req);
                            l[i] = System.nanoTime() - t0;
                        }
                        if (round >= 0) {
                            lat[b] = lat[b] == null ? l : concat(lat[b], l);
                            sums[b][0] += link.busyNanos.get();
                            sums[b][1] += link.calls.get();
                            sums[b][2] += link.dmaNanos.get();
                        }
                    }
                }
            }
        } finally {
            deleteTree(dir);
        }
        double emuMedian = 0;
        double emuLink = 0;
        for (int b = 0; b < names.length; b++) {
            long[] l = lat[b];
            Arrays.sort(l);
            double median = l[l.length / 2] / 1e3;
            double p99 = l[(int) (l.length * 0.99)] / 1e3;
            double linkUs = sums[b][0] / 1e3 / l.length;
            if (b == 0) {
                emuMedian = median;
                emuLink = linkUs;
            }
            System.out.printf(Locale.ROOT, "   %-22s %8.1f us %8.1f us %10.2f us %11.1f %10.2f us", names[b], median, p99,
                    linkUs, sums[b][1] / (double) l.length, sums[b][2] / 1e3 / l.length);
            System.out.println(b == 0 ? "   (baseline)" : String.format(Locale.ROOT, "   e2e x%.2f, link calls x%.2f",
                    median / emuMedian, linkUs / emuLink));
        }
        System.out.println();
    }

    private static long[] concat(long[] x, long[] y) {
        long[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    /** Accounts the time spent inside link calls, waiting for interrupts apart. */
    private static final class TimingLink implements Link {
        final Link inner;
        final AtomicLong busyNanos = new AtomicLong();
        final AtomicLong dmaNanos = new AtomicLong();
        final AtomicLong calls = new AtomicLong();

        TimingLink(Link inner) {
            this.inner = inner;
        }

        void reset() {
            busyNanos.set(0);
            dmaNanos.set(0);
            calls.set(0);
        }

        private void account(long t0, boolean dma) {
            long d = System.nanoTime() - t0;
            busyNanos.addAndGet(d);
            if (dma) {
                dmaNanos.addAndGet(d);
            }
            calls.incrementAndGet();
        }

        @Override public int readReg(int offset) {
            long t0 = System.nanoTime();
            try { return inner.readReg(offset); } finally { account(t0, false); }
        }
        @Override public void writeReg(int offset, int value) {
            long t0 = System.nanoTime();
            try { inner.writeReg(offset, value); } finally { account(t0, false); }
        }
        @Override public void writeMem(long address, ByteBuffer src) {
            long t0 = System.nanoTime();
            try { inner.writeMem(address, src); } finally { account(t0, true); }
        }
        @Override public void readMem(long address, ByteBuffer dst) {
            long t0 = System.nanoTime();
            try { inner.readMem(address, dst); } finally { account(t0, true); }
        }
        @Override public boolean awaitInterrupt(long timeoutNanos) throws InterruptedException {
            return inner.awaitInterrupt(timeoutNanos); // waiting, not host work
        }
        @Override public String describe() { return inner.describe(); }
        @Override public String recoveryAdvice() { return inner.recoveryAdvice(); }
        @Override public void close() { inner.close(); }
    }

    // --------------------------------------------------------------------------- 2. primitives

    private static void primitives(Path base) throws Exception {
        System.out.println("2. Link primitives on the rig (mean per call; the rig's bridge is idle)");
        Path dir = Files.createTempDirectory(base, "xdma-bench-");
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults())) {
            try (XdmaLink mapped = XdmaLink.open(XdmaLink.Config.of(rig.prefix()))) {
                report("readReg (mmap)", 200_000, () -> mapped.readReg(Abi.Reg.CAP_MODEL));
                report("writeReg (mmap)", 200_000, () -> mapped.writeReg(Abi.Reg.SCRATCH, 0));
                ByteBuffer desc = ByteBuffer.allocate(Abi.Desc.BYTES);
                report("writeMem 128 B (pwrite)", 50_000, () -> mapped.writeMem(1 << 20, desc.clear()));
                report("readMem 128 B (pread)", 50_000, () -> mapped.readMem(1 << 20, desc.clear()));
                report("awaitInterrupt, none pending", 50_000, () -> mapped.awaitInterrupt(0));
                try (NativeFile fifo = NativeFile.open(rig.prefix() + "_events_0", LibC.O_WRONLY | LibC.O_NONBLOCK,
                        Errno.Node.EVENTS)) {
                    Memory word = new Memory(4);
                    word.setInt(0, 1);
                    report("event write + awaitInterrupt", 50_000, () -> {
                        fifo.writeFully(word, 4);
                        if (!mapped.awaitInterrupt(1_000_000_000L)) {
                            throw new IllegalStateException("event lost");
                        }
                    });
                }
            }
            try (XdmaLink pread = XdmaLink.open(new XdmaLink.Config(rig.prefix(), XdmaLink.Regs.PREAD,
                    XdmaLink.Irq.AUTO, 0, 1, DmaChannels.DEFAULT_CHUNK_BYTES))) {
                report("readReg (pread)", 100_000, () -> pread.readReg(Abi.Reg.CAP_MODEL));
                report("writeReg (pwrite)", 100_000, () -> pread.writeReg(Abi.Reg.SCRATCH, 0));
            }
        } finally {
            deleteTree(dir);
        }
        System.out.println();
    }

    private interface Op {
        void run() throws Exception;
    }

    private static void report(String name, int n, Op op) throws Exception {
        for (int i = 0; i < n / 5; i++) {
            op.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        double ns = (System.nanoTime() - t0) / (double) n;
        System.out.printf(Locale.ROOT, "   %-32s %10.3f us%n", name, ns / 1e3);
    }

    // -------------------------------------------------------------------------- 3. throughput

    private static void throughput(Path base, int mib) throws Exception {
        System.out.printf(Locale.ROOT, "3. DMA throughput on the rig (%d MiB per transfer, best of 5; host path only)%n", mib);
        System.out.println("   channels  buffer                     host-to-card   card-to-host");
        long bytes = (long) mib << 20;
        Path dir = Files.createTempDirectory(base, "xdma-bench-");
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults().withChannels(4)
                .withMemBytes(Math.max(64L << 20, bytes + (1 << 20))))) {
            ByteBuffer heap = ByteBuffer.allocate((int) bytes);
            new SplittableRandom(3).nextBytes(heap.array());
            ByteBuffer direct = ByteBuffer.allocateDirect((int) bytes + 4096).alignedSlice(4096).limit((int) bytes);
            direct.put(heap.duplicate()).clear();
            double base1 = 0;
            for (int ch : new int[] {1, 4}) {
                try (XdmaLink link = XdmaLink.open(new XdmaLink.Config(rig.prefix(), XdmaLink.Regs.AUTO,
                        XdmaLink.Irq.AUTO, 0, ch, DmaChannels.DEFAULT_CHUNK_BYTES))) {
                    for (boolean useDirect : new boolean[] {false, true}) {
                        ByteBuffer b = useDirect ? direct : heap;
                        double w = best(() -> link.writeMem(0, b.clear()), bytes);
                        double r = best(() -> link.readMem(0, b.clear()), bytes);
                        if (ch == 1 && !useDirect) {
                            base1 = w;
                        }
                        System.out.printf(Locale.ROOT, "   %8d  %-24s %9.2f GB/s %9.2f GB/s%n", ch,
                                useDirect ? "direct, page-aligned" : "heap (staged)", w, r);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "   (baseline: 1 channel, heap buffer, host-to-card %.2f GB/s)%n", base1);
        } finally {
            deleteTree(dir);
        }
    }

    private static double best(Op op, long bytes) throws Exception {
        op.run();
        double best = 0;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            op.run();
            best = Math.max(best, bytes / (double) (System.nanoTime() - t0));
        }
        return best;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
