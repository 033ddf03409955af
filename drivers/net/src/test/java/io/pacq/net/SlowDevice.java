package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceCounters;
import io.pacq.DeviceInfo;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantizedWeights;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device that delegates to another but holds every GEMM result until {@link #release()} (or
 * for a fixed delay): a device in the middle of a long command, for shutdown and deadline
 * tests. Thread-safe.
 */
final class SlowDevice implements Device {
    private final Device inner;
    private volatile CountDownLatch gate = new CountDownLatch(1);
    private final long delayMs;
    final AtomicInteger started = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slow-device");
        t.setDaemon(true);
        return t;
    });

    /** delayMs < 0: hold until released. */
    SlowDevice(Device inner, long delayMs) {
        this.inner = inner;
        this.delayMs = delayMs;
    }

    void release() {
        gate.countDown();
    }

    @Override public DeviceInfo info() { return inner.info(); }
    @Override public WeightHandle upload(QuantizedWeights w, Set<GemmMode> modes) { return inner.upload(w, modes); }
    @Override public DeviceCounters counters() { return inner.counters(); }

    @Override
    public CompletableFuture<GemmResult> submit(GemmRequest request) {
        started.incrementAndGet();
        CompletableFuture<GemmResult> out = new CompletableFuture<>();
        inner.submit(request).whenComplete((r, ex) -> {
            Runnable finish = () -> {
                if (ex != null) {
                    out.completeExceptionally(ex);
                } else {
                    out.complete(r);
                }
            };
            if (delayMs >= 0) {
                timer.schedule(finish, delayMs, TimeUnit.MILLISECONDS);
            } else {
                CountDownLatch g = gate;
                new Thread(() -> {
                    try {
                        g.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    finish.run();
                }, "slow-device-hold").start();
            }
        });
        return out;
    }

    @Override
    public void close() {
        release();
        timer.shutdownNow();
        inner.close();
    }
}
