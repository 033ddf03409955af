package io.pacq.emu;

import io.pacq.Device;
import io.pacq.DeviceClosedException;
import io.pacq.DeviceCounters;
import io.pacq.DeviceMemoryException;
import io.pacq.DeviceOptions;
import io.pacq.DeviceTimeoutException;
import io.pacq.DeviceUri;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.InvalidRequestException;
import io.pacq.LinkException;
import io.pacq.PacqException;
import io.pacq.ResourceLeakException;
import io.pacq.WeightHandle;
import io.pacq.driver.LinkDevice;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver logic ({@link LinkDevice}) through the emulator's register model, with its fault
 * injection: hangs, failed transfers, a reset that never finishes; resource accounting, use after
 * close, cancellation, bad requests, memory exhaustion, and many submitting threads. Every result
 * that comes back is checked against the reference, so a lost, duplicated or mixed-up result
 * fails.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkDeviceFaultTest {
    private final SplittableRandom rnd = new SplittableRandom(99);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private EmuDevice emu;

    @AfterEach
    void closeAll() {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception ignored) {
                // tests that care about close assert it themselves
            }
        }
    }

    private Device open(long memBytes, Duration timeout) {
        emu = new EmuDevice(EmuDevice.Config.functional(memBytes), GemmEngines.create("auto", 2));
        Device d = LinkDevice.open(new EmuLink(emu, "test emulator"), DeviceUri.parse("emu:"),
                DeviceOptions.DEFAULTS.withTimeout(timeout), "test emulator");
        toClose.add(d);
        return d;
    }

    private QuantizedWeights weights(int k, int n) {
        return RandomProblems.weights(rnd, k, n, new QuantSpec(4, 32, 1, false));
    }

    private Fp16Matrix activations(int m, int k) {
        return RandomProblems.activations(rnd, m, k, 2f);
    }

    private static void assertMatches(QuantizedWeights w, Fp16Matrix a, GemmResult r) {
        assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), a.rows(), w), r.f16Bits());
    }

    /** The exception a failed future carries. */
    private static Throwable failure(CompletableFuture<?> f) {
        PacqException e = assertThrows(PacqException.class, () -> Device.await(f));
        return e;
    }

    // ------------------------------------------------------------------------------ hangs

    @Test
    void hungCommandTimesOutInTimeResetsTheDeviceAndTheOthersAreRedispatched() {
        Device dev = open(64L << 20, Duration.ofSeconds(30));
        QuantizedWeights w = weights(128, 100);
        WeightHandle h = dev.upload(w);
        toClose.add(h);
        Fp16Matrix a0 = activations(3, 128);
        Fp16Matrix a1 = activations(2, 128);
        Fp16Matrix a2 = activations(5, 128);

        emu.injectHang();
        long t0 = System.nanoTime();
        CompletableFuture<GemmResult> hung = dev.submit(GemmRequest.of(h, a0).withTimeout(Duration.ofMillis(300)));
        CompletableFuture<GemmResult> next1 = dev.submit(GemmRequest.of(h, a1));   // queued behind the hang
        CompletableFuture<GemmResult> next2 = dev.submit(GemmRequest.of(h, a2));

        Throwable e = failure(hung);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertInstanceOf(DeviceTimeoutException.class, e);
        assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
        assertTrue(e.getMessage().contains("was reset"), e.getMessage());
        // the deadline plus one poll interval and the reset, not the 30 s default
        assertTrue(waitedMs >= 290 && waitedMs < 3000, "timed out after " + waitedMs + " ms");

        assertMatches(w, a1, Device.await(next1));
        assertMatches(w, a2, Device.await(next2));
        Fp16Matrix a3 = activations(4, 128);
        assertMatches(w, a3, dev.gemm(GemmRequest.of(h, a3)));

        DeviceCounters c = dev.counters();
        assertEquals(1, c.timeouts());
        assertEquals(1, c.resets());
        assertEquals(1, c.commandsFailed());
        assertEquals(3, c.commandsCompleted());
    }

    @Test
    void resetThatNeverFinishesLeavesTheDeviceUnusableWithAClearError() {
        Device dev = open(64L << 20, Duration.ofSeconds(30));
        QuantizedWeights w = weights(64, 40);
        WeightHandle h = dev.upload(w);
        emu.injectStuckReset(true);
        emu.injectHang();
        CompletableFuture<GemmResult> hung = dev.submit(GemmRequest.of(h, activations(1, 64))
                .withTimeout(Duration.ofMillis(200)));
        CompletableFuture<GemmResult> queued = dev.submit(GemmRequest.of(h, activations(1, 64)));

        Throwable e = failure(hung);
        assertInstanceOf(DeviceTimeoutException.class, e);
        assertTrue(e.getMessage().contains("unusable"), e.getMessage());
        Throwable q = failure(queued);
        assertInstanceOf(LinkException.class, q);
        assertTrue(q.getMessage().contains("unusable"), q.getMessage());

        LinkException later = assertThrows(LinkException.class, () -> dev.submit(GemmRequest.of(h, activations(1, 64))));
        assertTrue(later.getMessage().contains("unusable"), later.getMessage());
        assertThrows(LinkException.class, () -> dev.upload(w));
        h.close();
        dev.close(); // must not hang on the dead card
    }

    // -------------------------------------------------------------------------- transfers

    @Test
    void failedTransferFailsOnlyThatCommandWithAClearError() {
        Device dev = open(64L << 20, Duration.ofSeconds(30));
        QuantizedWeights w = weights(96, 33);
        WeightHandle h = dev.upload(w);
        toClose.add(h);

        emu.injectTransferFailures(1);
        Throwable e = failure(dev.submit(GemmRequest.of(h, activations(2, 96))));
        assertInstanceOf(LinkException.class, e);
        assertTrue(e.getMessage().contains("could not send"), e.getMessage());
        assertTrue(e.getMessage().contains("injected host-to-card transfer failure"), e.getMessage());

        Fp16Matrix a = activations(2, 96);
        assertMatches(w, a, dev.gemm(GemmRequest.of(h, a)));
    }

    @Test
    @Timeout(60)
    void aBugWhileSendingACommandFailsThatCommandAndNeverWedgesTheQueue() {
        emu = new EmuDevice(EmuDevice.Config.functional(64L << 20), GemmEngines.create("auto", 2));
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        EmuLink inner = new EmuLink(emu, "test emulator");
        io.pacq.link.Link buggy = new io.pacq.link.Link() {
            public int readReg(int offset) { return inner.readReg(offset); }
            public void writeReg(int offset, int value) { inner.writeReg(offset, value); }
            public void writeMem(long address, java.nio.ByteBuffer src) {
                if (armed.getAndSet(false)) {
                    throw new IllegalStateException("a bug in the link");   // not a LinkException
                }
                inner.writeMem(address, src);
            }
            public void readMem(long address, java.nio.ByteBuffer dst) { inner.readMem(address, dst); }
            public boolean awaitInterrupt(long timeoutNanos) throws InterruptedException {
                return inner.awaitInterrupt(timeoutNanos);
            }
            public String describe() { return inner.describe(); }
            public void close() { inner.close(); }
        };
        Device dev = LinkDevice.open(buggy, DeviceUri.parse("emu:"), DeviceOptions.DEFAULTS.withTimeout(
                Duration.ofSeconds(30)), "test emulator");
        toClose.add(dev);
        QuantizedWeights w = weights(64, 40);
        WeightHandle h = dev.upload(w);
        long inUse = dev.counters().deviceBytesInUse();

        armed.set(true);
        Throwable e = failure(dev.submit(GemmRequest.of(h, activations(2, 64))));
        assertTrue(e.getMessage().contains("internal error preparing"), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(inUse, dev.counters().deviceBytesInUse(), "the failed command's memory is freed");

        Fp16Matrix a = activations(3, 64);
        assertMatches(w, a, dev.gemm(GemmRequest.of(h, a)));
        h.close();
        dev.close();   // returns: nothing is left in the backlog
    }

    @Test
    void failedUploadTransferFreesWhatTheUploadHeld() {
        Device dev = open(64L << 20, Duration.ofSeconds(30));
        long before = dev.counters().deviceBytesInUse();
        emu.injectTransferFailures(1);
        QuantizedWeights w = weights(64, 64);
        LinkException e = assertThrows(LinkException.class, () -> dev.upload(w));
        assertTrue(e.getMessage().contains("could not upload weights"), e.getMessage());
        assertTrue(e.getMessage().contains("injected host-to-card transfer failure"), e.getMessage());
        assertEquals(before, dev.counters().deviceBytesInUse());
        assertEquals(0, dev.counters().liveHandles());
        try (WeightHandle h = dev.upload(w)) {
            Fp16Matrix a = activations(1, 64);
            assertMatches(w, a, dev.gemm(GemmRequest.of(h, a)));
        }
    }

    @Test
    void failedCompletionReadFailsThatCommandResetsAndTheNextOneWorks() {
        Device dev = open(64L << 20, Duration.ofSeconds(30));
        QuantizedWeights w = weights(64, 50);
        WeightHandle h = dev.upload(w);
        toClose.add(h);
        emu.injectReadFailures(1); // the completion record of the next command cannot be read
        Throwable e = failure(dev.submit(GemmRequest.of(h, activations(1, 64))));
        assertInstanceOf(LinkException.class, e);
        assertTrue(e.getMessage().contains("injected card-to-host transfer failure"), e.getMessage());
        assertTrue(e.getMessage().contains("was reset"), e.getMessage());
        Fp16Matrix a = activations(3, 64);
        assertMatches(w, a, dev.gemm(GemmRequest.of(h, a)));
        assertEquals(1, dev.counters().resets());
    }

    // ------------------------------------------------------------------------- resources

    @Test
    void closingWithLiveHandlesReportsTheLeakAndFreesTheMemory() {
        Device dev = open(64L << 20, Duration.ofSeconds(30));
        long base = dev.counters().deviceBytesInUse();
        dev.upload(weights(256, 300));
        dev.upload(weights(128, 64));
        assertTrue(dev.counters().deviceBytesInUse() > base);
        ResourceLeakException e = assertThrows(ResourceLeakException.class, dev::close);
        assertTrue(e.getMessage().contains("2 open weight handle(s)"), e.getMessage());
        assertEquals(0, dev.counters().liveHandles());
        assertEquals(base, dev.counters().deviceBytesInUse());
        dev.close(); // idempotent, and no second report
    }

    @Test
    void useAfterCloseThrowsDeviceClosed() {
        Device dev = open(64L << 20, Duration.ofSeconds(30));
        QuantizedWeights w = weights(32, 16);
        WeightHandle h = dev.upload(w);
        h.close();
        dev.close();
        assertThrows(DeviceClosedException.class, () -> dev.upload(w));
        assertThrows(DeviceClosedException.class, () -> dev.submit(GemmRequest.of(h, activations(1, 32))));
    }

    @Test
    void closedHandleWrongShapeAndForeignHandleAreRejectedAtSubmit() {
        Device dev = open(64L << 20, Duration.ofSeconds(30));
        Device other = open(64L << 20, Duration.ofSeconds(30));
        QuantizedWeights w = weights(64, 20);
        WeightHandle h = dev.upload(w);
        WeightHandle foreign = other.upload(w);
        toClose.add(h);
        toClose.add(foreign);

        InvalidRequestException shape = assertThrows(InvalidRequestException.class,
                () -> dev.submit(GemmRequest.of(h, activations(2, 48))));
        assertTrue(shape.getMessage().contains("K = 64"), shape.getMessage());
        InvalidRequestException own = assertThrows(InvalidRequestException.class,
                () -> dev.submit(GemmRequest.of(foreign, activations(2, 64))));
        assertTrue(own.getMessage().contains("does not belong"), own.getMessage());
        WeightHandle closed = dev.upload(w);
        closed.close();
        InvalidRequestException c = assertThrows(InvalidRequestException.class,
                () -> dev.submit(GemmRequest.of(closed, activations(2, 64))));
        assertTrue(c.getMessage().contains("closed"), c.getMessage());
        InvalidRequestException kp = assertThrows(InvalidRequestException.class,
                () -> dev.submit(GemmRequest.of(h, activations(2, 64)).withMode(GemmMode.KPACKED)));
        assertTrue(kp.getMessage().contains("K-packed"), kp.getMessage());
    }

    @Test
    void deviceMemoryExhaustionIsReportedAndTheDeviceStaysUsable() {
        Device dev = open(16L << 20, Duration.ofSeconds(30));
        QuantizedWeights big = RandomProblems.weights(rnd, 4096, 8192, new QuantSpec(8, 4096, 1, true)); // 32 MiB
        DeviceMemoryException e = assertThrows(DeviceMemoryException.class, () -> dev.upload(big));
        assertTrue(e.getMessage().contains("exhausted"), e.getMessage());

        // weights that fit, but an output that does not: the command fails, the device lives on
        QuantizedWeights w = RandomProblems.weights(rnd, 16, 4096, new QuantSpec(2, 16, 1, true));
        try (WeightHandle h = dev.upload(w)) {
            Throwable f = failure(dev.submit(GemmRequest.of(h, activations(4000, 16))));
            assertInstanceOf(DeviceMemoryException.class, f);
            Fp16Matrix a = activations(2, 16);
            assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), 2, w),
                    dev.gemm(GemmRequest.of(h, a)).f16Bits());
        }
    }

    // ---------------------------------------------------------------------- cancellation

    @Test
    void cancelledCommandsFreeTheirMemoryAndDoNotDisturbTheOthers() throws Exception {
        Device dev = open(64L << 20, Duration.ofSeconds(30));
        QuantizedWeights w = weights(256, 200);
        WeightHandle h = dev.upload(w);
        long withWeights = dev.counters().deviceBytesInUse();
        List<Fp16Matrix> as = new ArrayList<>();
        List<CompletableFuture<GemmResult>> fs = new ArrayList<>();
        emu.injectHang(); // the first command sits on the device so that the rest queue up
        CompletableFuture<GemmResult> first = dev.submit(GemmRequest.of(h, activations(1, 256))
                .withTimeout(Duration.ofMillis(300)));
        for (int i = 0; i < 12; i++) {
            Fp16Matrix a = activations(1 + i % 5, 256);
            as.add(a);
            fs.add(dev.submit(GemmRequest.of(h, a)));
        }
        for (int i = 0; i < fs.size(); i += 3) {
            assertTrue(fs.get(i).cancel(true));
        }
        assertInstanceOf(DeviceTimeoutException.class, failure(first));
        for (int i = 0; i < fs.size(); i++) {
            if (i % 3 == 0) {
                int idx = i;
                assertThrows(CancellationException.class, () -> fs.get(idx).join());
            } else {
                assertMatches(w, as.get(i), Device.await(fs.get(i)));
            }
        }
        // every command's activation and output buffers came back
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (dev.counters().deviceBytesInUse() != withWeights && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(withWeights, dev.counters().deviceBytesInUse());
        h.close();
    }

    // ----------------------------------------------------------------------- concurrency

    @Test
    void manyThreadsSubmittingGetTheirOwnResults() throws Exception {
        Device dev = open(256L << 20, Duration.ofSeconds(30));
        int threads = 8;
        int perThread = 25;
        QuantizedWeights[] ws = {weights(64, 70), weights(128, 33)};
        WeightHandle[] hs = {dev.upload(ws[0]), dev.upload(ws[1])};
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 1000 + t;
                done.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    start.await();
                    List<CompletableFuture<GemmResult>> fs = new ArrayList<>();
                    List<Fp16Matrix> as = new ArrayList<>();
                    List<Integer> which = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        int wi = r.nextInt(2);
                        Fp16Matrix a = RandomProblems.activations(r, 1 + r.nextInt(6), ws[wi].k(), 3f);
                        as.add(a);
                        which.add(wi);
                        fs.add(dev.submit(GemmRequest.of(hs[wi], a)));
                    }
                    for (int i = 0; i < perThread; i++) {
                        GemmResult res = Device.await(fs.get(i));
                        QuantizedWeights w = ws[which.get(i)];
                        assertEquals(as.get(i).rows(), res.m());
                        assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, as.get(i).toBits(), as.get(i).rows(), w),
                                res.f16Bits());
                    }
                    return perThread;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(50, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, total);
            DeviceCounters c = dev.counters();
            assertEquals(threads * perThread, c.commandsSubmitted());
            assertEquals(threads * perThread, c.commandsCompleted());
            assertEquals(0, c.commandsFailed());
        } finally {
            pool.shutdownNow();
        }
        for (WeightHandle h : hs) {
            h.close();
        }
        assertFalse(hs[0].isOpen());
    }
}
