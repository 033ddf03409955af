package io.pacq.net.server;

import io.pacq.Device;
import io.pacq.DeviceCounters;
import io.pacq.DeviceInfo;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantizedWeights;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Delegates to another device but completes GEMM futures only when the test says so, on the
 * test's thread. Not thread-safe.
 */
final class ManualDevice implements Device {
    private final Device inner;
    /** A held GEMM: the device's own future and the one handed out. */
    record Held(CompletableFuture<GemmResult> inner, CompletableFuture<GemmResult> out) {
    }

    final ArrayDeque<Held> held = new ArrayDeque<>();

    ManualDevice(Device inner) {
        this.inner = inner;
    }

    @Override public DeviceInfo info() { return inner.info(); }
    @Override public WeightHandle upload(QuantizedWeights w, Set<GemmMode> m) { return inner.upload(w, m); }
    @Override public DeviceCounters counters() { return inner.counters(); }
    @Override public void close() { inner.close(); }

    @Override
    public CompletableFuture<GemmResult> submit(GemmRequest r) {
        CompletableFuture<GemmResult> out = new CompletableFuture<>();
        held.add(new Held(inner.submit(r), out));
        return out;
    }

    /** Completes the oldest held GEMM; false when none is held. */
    boolean completeNext() {
        Held h = held.poll();
        if (h == null) {
            return false;
        }
        h.out().complete(h.inner().join());
        return true;
    }
}
