package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A well-behaved client that runs checked GEMMs in a loop on its own thread while a test
 * abuses the server: proof that the server keeps serving others.
 */
final class GoodClient implements AutoCloseable {
    final AtomicInteger ok = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    GoodClient(String uri, DeviceOptions options) {
        thread = new Thread(() -> {
            SplittableRandom rnd = new SplittableRandom(99);
            QuantizedWeights w = RandomProblems.weights(rnd, 64, 48, QuantSpec.of(4, 32));
            try (Device dev = Device.open(uri, options.withTimeout(Duration.ofSeconds(20)).withClientName("good"));
                 WeightHandle h = dev.upload(w)) {
                while (!stop) {
                    Fp16Matrix a = RandomProblems.activations(rnd, 2, 64, 2f);
                    short[] got = dev.gemm(GemmRequest.of(h, a)).f16Bits();
                    if (!Arrays.equals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), 2, w), got)) {
                        throw new AssertionError("wrong result on the good client");
                    }
                    ok.incrementAndGet();
                    Thread.sleep(2);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "good-client");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until at least n more GEMMs than now have succeeded; fails on a failure. */
    void progresses(int n) throws InterruptedException {
        int target = ok.get() + n;
        long end = System.nanoTime() + 20_000_000_000L;
        while (ok.get() < target) {
            check();
            if (System.nanoTime() > end) {
                throw new AssertionError("the good client made no progress: " + ok.get() + " < " + target);
            }
            Thread.sleep(5);
        }
        check();
    }

    void check() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the good client failed", t);
        }
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        check();
    }
}
