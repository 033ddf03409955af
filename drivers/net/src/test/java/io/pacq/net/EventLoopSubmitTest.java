package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceCounters;
import io.pacq.DeviceInfo;
import io.pacq.DeviceOptions;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's event loops submit GEMMs themselves, but never wait for a device that holds its
 * lock through an upload (as LinkDevice does): such a GEMM goes to a device thread instead.
 */
class EventLoopSubmitTest {
    /** Upload and submit share one monitor; an upload can be held inside it. */
    static final class LockingDevice implements Device {
        final Device inner;
        final Object monitor = new Object();
        volatile boolean holdNext;
        final CountDownLatch uploading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        LockingDevice(Device inner) {
            this.inner = inner;
        }

        @Override public DeviceInfo info() { return inner.info(); }
        @Override public DeviceCounters counters() { return inner.counters(); }
        @Override public void close() { inner.close(); }

        @Override
        public WeightHandle upload(QuantizedWeights w, Set<GemmMode> modes) {
            synchronized (monitor) {
                if (holdNext) {
                    holdNext = false;
                    uploading.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return inner.upload(w, modes);
            }
        }

        @Override
        public CompletableFuture<GemmResult> submit(GemmRequest r) {
            synchronized (monitor) {
                return inner.submit(r);
            }
        }
    }

    @Test
    void aGemmDuringAnUploadDoesNotStallTheEventLoop() throws Exception {
        SplittableRandom rnd = new SplittableRandom(21);
        QuantizedWeights w = RandomProblems.weights(rnd, 64, 40, QuantSpec.of(4, 32));
        QuantizedWeights w2 = RandomProblems.weights(rnd, 64, 72, QuantSpec.of(4, 32));
        Fp16Matrix a = RandomProblems.activations(rnd, 3, 64, 2f);
        LockingDevice dev = new LockingDevice(Device.open("emu:?mem=64M&threads=1"));
        // one event loop for every session: if it waited for the device, nobody would be served
        try (TestServers served = new TestServers(dev, TestServers.base().ioThreads(1).deviceThreads(2).build());
             Device c1 = served.client(); Device c2 = served.client();
             WeightHandle h = c1.upload(w)) {
            dev.holdNext = true;
            CompletableFuture<WeightHandle> held = CompletableFuture.supplyAsync(() -> c2.upload(w2));
            assertTrue(dev.uploading.await(20, TimeUnit.SECONDS), "the upload reached the device");
            CompletableFuture<GemmResult> gemm = c1.submit(GemmRequest.of(h, a));
            // the event loop is free: a new session completes its handshake while the GEMM waits
            // for the device's lock on a device thread
            Thread.sleep(50);
            try (Device c3 = Device.open(served.uri() + "?connect_timeout_ms=5000",
                    DeviceOptions.DEFAULTS.withTimeout(Duration.ofSeconds(30)).withClientName("third"))) {
                assertNotNull(c3.info());
            }
            assertFalse(gemm.isDone(), "the GEMM waits for the upload holding the device");
            dev.release.countDown();
            assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), 3, w),
                    gemm.get(20, TimeUnit.SECONDS).f16Bits());
            held.get(20, TimeUnit.SECONDS).close();
        } finally {
            dev.release.countDown();
        }
    }
}
