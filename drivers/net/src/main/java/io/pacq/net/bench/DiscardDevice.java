package io.pacq.net.bench;

import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.DeviceCounters;
import io.pacq.DeviceInfo;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.InvalidRequestException;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A device that takes weights and does nothing with them, so that a benchmark of the upload
 * path through a server measures the protocol and transport alone. Runs no GEMMs. Thread-safe.
 */
final class DiscardDevice implements Device {
    private final DeviceInfo info;

    DiscardDevice(DeviceInfo like) {
        this.info = new DeviceInfo("discard:", "discards uploads (benchmark)", like.model(), like.abiMajor(),
                like.abiMinor(), like.cores(), like.warps(), like.lanes(), like.bits(), like.modes(),
                like.memoryBytes(), like.clockKhz(), like.smemBytes(), like.mmaUnits());
    }

    @Override public DeviceInfo info() { return info; }

    @Override
    public WeightHandle upload(QuantizedWeights w, Set<GemmMode> modes) {
        return new WeightHandle() {
            private volatile boolean open = true;
            @Override public int k() { return w.k(); }
            @Override public int n() { return w.n(); }
            @Override public QuantSpec spec() {
                return new QuantSpec(w.bits(), w.groupSize(), w.groupCols(), w.symmetric());
            }
            @Override public long deviceBytes() { return 0; }
            @Override public boolean isOpen() { return open; }
            @Override public void close() { open = false; }
        };
    }

    @Override
    public CompletableFuture<GemmResult> submit(GemmRequest request) {
        throw new InvalidRequestException("the discard device runs no GEMMs");
    }

    @Override
    public DeviceCounters counters() {
        return new DeviceCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, CommandStats.NONE);
    }

    @Override
    public void close() {
    }
}
