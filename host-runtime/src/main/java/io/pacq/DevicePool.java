package io.pacq;

import io.pacq.quant.PackedWeights;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Several devices (local or remote, any mix) used as one: each weight matrix is cut along N
 * into one column shard per member, and a GEMM runs every shard on its member at once and
 * joins the columns. Every output column depends only on its own weight column, so the result
 * is bit-identical to one device running the whole matrix (numerics contract).
 *
 * <pre>
 *   W [K][N] --cut along N--> | shard 0 -> member 0 | shard 1 -> member 1 | ... |
 *   C [M][N] <--join------    | C[:, n0..n1)        | C[:, n1..n2)        | ... |
 * </pre>
 *
 * Shard boundaries fall on whole device strips and whole quantization groups along N, so each
 * member packs its shard exactly as it would pack those columns of the full matrix. Shards are
 * as even as those units allow; with fewer units than members the last members get none.
 *
 * <p>A member that fails fails the whole call with a {@link DevicePoolException} naming it;
 * it is never silently skipped. The pool owns its members: {@link #close()} closes them.
 * Thread-safe.
 */
public final class DevicePool implements Device {
    private final List<Device> members;
    private final DeviceInfo info;
    private final Set<PoolHandle> handles = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private DevicePool(List<Device> members) {
        this.members = List.copyOf(members);
        this.info = combine(this.members);
    }

    /**
     * A pool of already open devices; the pool takes ownership of them.
     *
     * @throws InvalidRequestException when the list is empty
     */
    public static DevicePool of(List<? extends Device> members) {
        if (members.isEmpty()) {
            throw new InvalidRequestException("a device pool needs at least one member");
        }
        return new DevicePool(new ArrayList<>(members));
    }

    /**
     * Opens every URI and pools the devices. When one fails to open, those already open are
     * closed and a {@link DevicePoolException} names the one that failed.
     */
    public static DevicePool open(List<String> uris, DeviceOptions options) {
        if (uris.isEmpty()) {
            throw new InvalidRequestException("a device pool needs at least one member");
        }
        List<Device> opened = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            try {
                opened.add(Device.open(uris.get(i), options));
            } catch (RuntimeException e) {
                for (Device d : opened) {
                    try {
                        d.close();
                    } catch (RuntimeException ignored) {
                        // the open failure is what the caller needs to see
                    }
                }
                throw new DevicePoolException(i, uris.get(i), "pool member " + i + " (" + uris.get(i)
                        + ") could not be opened: " + e.getMessage(), e);
            }
        }
        return new DevicePool(opened);
    }

    /** The members, in shard order. */
    public List<Device> members() {
        return members;
    }

    private static DeviceInfo combine(List<Device> ms) {
        Set<Integer> bits = null;
        Set<GemmMode> modes = null;
        long mem = 0;
        int cores = 0;
        Set<String> models = new HashSet<>();
        List<String> uris = new ArrayList<>();
        DeviceInfo first = ms.get(0).info();
        int warps = first.warps();
        int lanes = first.lanes();
        int smem = first.smemBytes();
        int mma = first.mmaUnits();
        int clock = first.clockKhz();
        for (Device d : ms) {
            DeviceInfo i = d.info();
            if (i.abiMajor() != first.abiMajor()) {
                throw new IncompatibleDeviceException("pool members speak different ABI major versions: "
                        + first.uri() + " " + first.abiMajor() + ", " + i.uri() + " " + i.abiMajor());
            }
            bits = bits == null ? new HashSet<>(i.bits()) : bits;
            bits.retainAll(i.bits());
            modes = modes == null ? EnumSet.copyOf(i.modes().isEmpty() ? EnumSet.noneOf(GemmMode.class) : i.modes())
                    : modes;
            modes.retainAll(i.modes());
            mem += i.memoryBytes();
            cores += i.cores();
            warps = Math.min(warps, i.warps());
            lanes = Math.min(lanes, i.lanes());
            smem = Math.min(smem, i.smemBytes());
            mma = Math.min(mma, i.mmaUnits());
            clock = Math.min(clock, i.clockKhz());
            models.add(i.model());
            uris.add(i.uri());
        }
        String model = models.size() == 1 ? models.iterator().next() : "MIXED";
        return new DeviceInfo("pool:" + String.join(",", uris), "pool of " + ms.size() + " devices sharding along N: "
                + String.join(", ", uris), model, first.abiMajor(), first.abiMinor(), cores, warps, lanes, bits, modes,
                mem, clock, smem, mma);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    // ---------------------------------------------------------------------------- sharding

    /** A column range [from, to) of W placed on a member. */
    record Shard(int member, int from, int to) {
        int cols() {
            return to - from;
        }
    }

    /**
     * Cuts n columns into at most {@code members} shards on multiples of the alignment unit
     * (whole strips and whole groups), as evenly as the units allow.
     */
    static List<Shard> plan(int n, int bits, int groupCols, int members) {
        int unit = Math.max(PackedWeights.stripCols(bits), groupCols); // both powers of two: max = lcm
        int units = (n + unit - 1) / unit;
        List<Shard> out = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            int u0 = (int) (((long) units * i + members - 1) / members);       // ceil: spare units go first
            int u1 = (int) (((long) units * (i + 1) + members - 1) / members);
            int from = Math.min(n, u0 * unit);
            int to = Math.min(n, u1 * unit);
            if (to > from) {
                out.add(new Shard(i, from, to));
            }
        }
        return out;
    }

    /**
     * Columns [from, to) of w; from is a multiple of the strip and group widths. A strip starts on
     * a whole byte of a packed row, so each row's codes are one byte range of w's packed codes
     * (the last shard's range ends with w's own zero padding): copied row by row, never unpacked.
     */
    static QuantizedWeights slice(QuantizedWeights w, int from, int to) {
        int k = w.k();
        int cols = to - from;
        int bits = w.bits();
        QuantizedWeights.Builder b = QuantizedWeights.builder(k, cols, bits, w.groupSize(), w.groupCols(),
                w.symmetric());
        int sliceRow = (int) (b.packedCodesBytes() / k);
        long first = (long) from * bits / 8;
        ByteBuffer row = ByteBuffer.allocate(sliceRow);
        for (int r = 0; r < k; r++) {
            row.clear();
            w.getPackedCodes((long) r * w.packedRowBytes() + first, row);
            b.putPackedCodes((long) r * sliceRow, row.flip());
        }
        int gn = w.groupCols();
        int g0 = from / gn;
        int g1 = (to + gn - 1) / gn;
        int gAll = w.groupColumns();
        int gCols = g1 - g0;
        short[] sAll = w.scales();
        byte[] zAll = w.zeros();
        ByteBuffer scales = ByteBuffer.allocate(2 * w.groupRows() * gCols).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer zeros = ByteBuffer.allocate(zAll == null ? 0 : w.groupRows() * gCols);
        for (int gr = 0; gr < w.groupRows(); gr++) {
            scales.asShortBuffer().put(gr * gCols, sAll, gr * gAll + g0, gCols);
            if (zAll != null) {
                zeros.put(gr * gCols, zAll, gr * gAll + g0, gCols);
            }
        }
        b.putScales(0, scales);
        if (zAll != null) {
            b.putZeros(0, zeros);
        }
        return b.build();
    }

    // ------------------------------------------------------------------------------ device

    @Override
    public WeightHandle upload(QuantizedWeights weights, Set<GemmMode> modes) {
        checkOpen();
        if (!info.supportsBits(weights.bits())) {
            throw new IncompatibleDeviceException("not every member of " + info.uri() + " supports INT"
                    + weights.bits() + " weights (all support: " + info.bits() + ")");
        }
        List<Shard> plan = plan(weights.n(), weights.bits(), weights.groupCols(), members.size());
        List<CompletableFuture<WeightHandle>> ups = new ArrayList<>();
        for (Shard s : plan) {
            QuantizedWeights part = slice(weights, s.from(), s.to());
            Device d = members.get(s.member());
            ups.add(CompletableFuture.supplyAsync(() -> d.upload(part, modes)));
        }
        List<WeightHandle> got = new ArrayList<>();
        DevicePoolException failure = null;
        for (int i = 0; i < ups.size(); i++) {
            try {
                got.add(ups.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : memberFailure(plan.get(i).member(), "upload of " + weights, e);
                got.add(null);
            } catch (ExecutionException e) {
                failure = failure != null ? failure : memberFailure(plan.get(i).member(), "upload of " + weights,
                        e.getCause());
                got.add(null);
            }
        }
        if (failure != null) {
            for (WeightHandle h : got) {
                if (h != null) {
                    h.close();
                }
            }
            throw failure;
        }
        PoolHandle h = new PoolHandle(weights, plan, got);
        handles.add(h);
        return h;
    }

    private DevicePoolException memberFailure(int member, String what, Throwable cause) {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String uri = members.get(member).info().uri();
        return new DevicePoolException(member, uri, "pool member " + member + " (" + uri + ") failed the " + what
                + ": " + cause.getMessage(), cause);
    }

    @Override
    public CompletableFuture<GemmResult> submit(GemmRequest req) {
        if (!(req.weights() instanceof PoolHandle h) || !handles.contains(h)) {
            throw new InvalidRequestException("weight handle " + req.weights() + " does not belong to " + info.uri());
        }
        if (req.activations().cols() != h.k()) {
            throw new InvalidRequestException("shape mismatch: activations are [" + req.m() + ", "
                    + req.activations().cols() + "] but the weights are [K=" + h.k() + ", N=" + h.n()
                    + "]; A needs K = " + h.k() + " columns");
        }
        long start = System.nanoTime();
        List<CompletableFuture<GemmResult>> parts = new ArrayList<>();
        for (int i = 0; i < h.plan.size(); i++) {
            Shard s = h.plan.get(i);
            GemmRequest sub = new GemmRequest(h.parts.get(i), req.activations(), req.mode(), req.output(),
                    req.timeout());
            try {
                parts.add(members.get(s.member()).submit(sub));
            } catch (RuntimeException e) {
                parts.forEach(p -> p.cancel(false));
                throw memberFailure(s.member(), "GEMM", e);
            }
        }
        CompletableFuture<GemmResult> out = new CompletableFuture<>();
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((v, ex) -> {
            for (int i = 0; i < parts.size(); i++) {
                CompletableFuture<GemmResult> p = parts.get(i);
                if (p.isCompletedExceptionally()) {
                    Throwable cause;
                    try {
                        p.join();
                        cause = new IllegalStateException("unreachable");
                    } catch (CompletionException | java.util.concurrent.CancellationException e) {
                        cause = e;
                    }
                    out.completeExceptionally(memberFailure(h.plan.get(i).member(), "GEMM", cause));
                    return;
                }
            }
            out.complete(join(req, h, parts, start));
        });
        out.whenComplete((r, ex) -> {
            if (ex instanceof java.util.concurrent.CancellationException) {
                parts.forEach(p -> p.cancel(false));
            }
        });
        return out;
    }

    private static GemmResult join(GemmRequest req, PoolHandle h, List<CompletableFuture<GemmResult>> parts,
                                   long start) {
        int m = req.m();
        int n = h.n();
        CommandStats stats = CommandStats.NONE;
        if (req.output() == OutputType.F16) {
            short[] c = new short[m * n];
            for (int i = 0; i < parts.size(); i++) {
                Shard s = h.plan.get(i);
                GemmResult r = parts.get(i).join();
                short[] p = r.f16Bits();
                for (int row = 0; row < m; row++) {
                    System.arraycopy(p, row * s.cols(), c, row * n + s.from(), s.cols());
                }
                stats = stats.plus(r.stats());
            }
            return GemmResult.ofF16(m, n, c, stats, System.nanoTime() - start);
        }
        int[] c = new int[m * n];
        for (int i = 0; i < parts.size(); i++) {
            Shard s = h.plan.get(i);
            GemmResult r = parts.get(i).join();
            int[] p = r.f32Bits();
            for (int row = 0; row < m; row++) {
                System.arraycopy(p, row * s.cols(), c, row * n + s.from(), s.cols());
            }
            stats = stats.plus(r.stats());
        }
        return GemmResult.ofF32(m, n, c, stats, System.nanoTime() - start);
    }

    @Override
    public DeviceCounters counters() {
        long sub = 0, comp = 0, fail = 0, to = 0, res = 0, in = 0, out = 0, bytes = 0;
        CommandStats totals = CommandStats.NONE;
        for (Device d : members) {
            DeviceCounters c = d.counters();
            sub += c.commandsSubmitted();
            comp += c.commandsCompleted();
            fail += c.commandsFailed();
            to += c.timeouts();
            res += c.resets();
            in += c.bytesToDevice();
            out += c.bytesFromDevice();
            bytes += c.deviceBytesInUse();
            totals = totals.plus(c.deviceTotals());
        }
        return new DeviceCounters(sub, comp, fail, to, res, in, out, handles.size(), bytes, totals);
    }

    private void checkOpen() {
        if (closed) {
            throw new DeviceClosedException("device pool " + info.uri() + " is closed");
        }
    }

    /**
     * Closes every member (each waits for its in-flight commands). Reports handles left open and
     * the first member that failed to close.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> leaked = new ArrayList<>();
        for (PoolHandle h : handles) {
            leaked.add(h.toString());
            h.close();
        }
        RuntimeException first = null;
        for (int i = 0; i < members.size(); i++) {
            try {
                members.get(i).close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = memberFailure(i, "close", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        if (!leaked.isEmpty()) {
            throw new ResourceLeakException("device pool " + info.uri() + " was closed with " + leaked.size()
                    + " open weight handle(s), now freed: " + String.join(", ", leaked));
        }
    }

    @Override
    public String toString() {
        return "DevicePool" + members;
    }

    /** One shard handle per member that holds columns. */
    private final class PoolHandle implements WeightHandle {
        final QuantizedWeights weights;
        final List<Shard> plan;
        final List<WeightHandle> parts;
        volatile boolean open = true;

        PoolHandle(QuantizedWeights weights, List<Shard> plan, List<WeightHandle> parts) {
            this.weights = weights;
            this.plan = plan;
            this.parts = parts;
        }

        @Override public int k() { return weights.k(); }
        @Override public int n() { return weights.n(); }
        @Override public QuantSpec spec() {
            return new QuantSpec(weights.bits(), weights.groupSize(), weights.groupCols(), weights.symmetric());
        }

        @Override
        public long deviceBytes() {
            long b = 0;
            for (WeightHandle p : parts) {
                b += p.deviceBytes();
            }
            return b;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            handles.remove(this);
            RuntimeException first = null;
            for (int i = 0; i < parts.size(); i++) {
                try {
                    parts.get(i).close();
                } catch (RuntimeException e) {
                    first = first != null ? first : memberFailure(plan.get(i).member(), "free of " + weights, e);
                }
            }
            if (first != null) {
                throw first;
            }
        }

        @Override
        public String toString() {
            return "WeightHandle[" + weights + " on " + info.uri() + " in " + plan.size() + " shard(s)]";
        }
    }
}
