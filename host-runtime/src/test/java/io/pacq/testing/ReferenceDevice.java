package io.pacq.testing;

import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.DeviceClosedException;
import io.pacq.DeviceCounters;
import io.pacq.DeviceInfo;
import io.pacq.DeviceMemoryException;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.InvalidRequestException;
import io.pacq.OutputType;
import io.pacq.ResourceLeakException;
import io.pacq.WeightHandle;
import io.pacq.abi.Abi;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Device} that computes with {@link ReferenceGemm} (the oracle), for tests of code that
 * composes or transports devices without an emulator: results are the contract's bits by
 * construction. GEMMs complete synchronously inside {@link #submit}. Device bytes of a handle
 * are its codes + scales + zeros; memoryBytes bounds their sum. Thread-safe.
 */
public final class ReferenceDevice implements Device {
    private final String uri;
    private final long memoryBytes;
    private final Set<Handle> handles = ConcurrentHashMap.newKeySet();
    private final AtomicLong inUse = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private volatile boolean closed;

    /** A device named uri with memoryBytes of memory. */
    public ReferenceDevice(String uri, long memoryBytes) {
        this.uri = uri;
        this.memoryBytes = memoryBytes;
    }

    @Override
    public DeviceInfo info() {
        return new DeviceInfo(uri, "reference device (ReferenceGemm)", "REFERENCE", Abi.VERSION_MAJOR,
                Abi.VERSION_MINOR, 1, 1, 1, Set.of(2, 4, 8), EnumSet.allOf(GemmMode.class), memoryBytes, 0, 0, 0);
    }

    @Override
    public WeightHandle upload(QuantizedWeights w, Set<GemmMode> modes) {
        if (closed) {
            throw new DeviceClosedException("device " + uri + " is closed");
        }
        long bytes = (long) w.k() * w.n() + 3L * w.groupRows() * w.groupColumns();
        if (inUse.addAndGet(bytes) > memoryBytes) {
            inUse.addAndGet(-bytes);
            throw new DeviceMemoryException("device " + uri + ": " + bytes + " bytes do not fit");
        }
        Handle h = new Handle(w, bytes, modes.contains(GemmMode.KPACKED));
        handles.add(h);
        return h;
    }

    @Override
    public CompletableFuture<GemmResult> submit(GemmRequest req) {
        if (!(req.weights() instanceof Handle h) || !handles.contains(h)) {
            throw new InvalidRequestException("weight handle " + req.weights() + " does not belong to device " + uri);
        }
        if (req.activations().cols() != h.w.k()) {
            throw new InvalidRequestException("shape mismatch: activations have " + req.activations().cols()
                    + " columns, weights K = " + h.w.k());
        }
        if (req.mode() == GemmMode.KPACKED && !h.kpacked) {
            throw new InvalidRequestException("weights were uploaded without the K-packed layout");
        }
        submitted.incrementAndGet();
        short[] a = req.activations().toBits();
        int m = req.m();
        GemmResult r = req.output() == OutputType.F16
                ? GemmResult.ofF16(m, h.w.n(), ReferenceGemm.gemmF16(req.mode(), a, m, h.w), CommandStats.NONE, 0)
                : GemmResult.ofF32(m, h.w.n(), ReferenceGemm.gemmF32(req.mode(), a, m, h.w), CommandStats.NONE, 0);
        completed.incrementAndGet();
        return CompletableFuture.completedFuture(r);
    }

    @Override
    public DeviceCounters counters() {
        return new DeviceCounters(submitted.get(), completed.get(), 0, 0, 0, 0, 0, handles.size(), inUse.get(),
                CommandStats.NONE);
    }

    @Override
    public void close() {
        closed = true;
        int left = handles.size();
        handles.forEach(Handle::close);
        if (left > 0) {
            throw new ResourceLeakException("device " + uri + " was closed with " + left + " open weight handle(s)");
        }
    }

    private final class Handle implements WeightHandle {
        final QuantizedWeights w;
        final long bytes;
        final boolean kpacked;

        Handle(QuantizedWeights w, long bytes, boolean kpacked) {
            this.w = w;
            this.bytes = bytes;
            this.kpacked = kpacked;
        }

        @Override public int k() { return w.k(); }
        @Override public int n() { return w.n(); }
        @Override public QuantSpec spec() {
            return new QuantSpec(w.bits(), w.groupSize(), w.groupCols(), w.symmetric());
        }
        @Override public long deviceBytes() { return bytes; }
        @Override public boolean isOpen() { return handles.contains(this); }

        @Override
        public void close() {
            if (handles.remove(this)) {
                inUse.addAndGet(-bytes);
            }
        }
    }
}
