package io.pacq.net;

import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.DeviceClosedException;
import io.pacq.DeviceCounters;
import io.pacq.DeviceInfo;
import io.pacq.DeviceOptions;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.IncompatibleDeviceException;
import io.pacq.InvalidRequestException;
import io.pacq.LinkException;
import io.pacq.OutputType;
import io.pacq.PacqException;
import io.pacq.ResourceLeakException;
import io.pacq.WeightHandle;
import io.pacq.net.internal.Frames;
import io.pacq.net.internal.ProtocolException;
import io.pacq.net.internal.Protos;
import io.pacq.net.internal.Tensors;
import io.pacq.proto.CodesEncoding;
import io.pacq.proto.Envelope;
import io.pacq.proto.ErrorCode;
import io.pacq.proto.Free;
import io.pacq.proto.Gemm;
import io.pacq.proto.ServerStats;
import io.pacq.proto.StatsRequest;
import io.pacq.proto.Upload;
import io.pacq.proto.Uploaded;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.spi.GemmChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;

/**
 * The client side of a remote device (see {@link RemoteDevice}). Futures handed to the user
 * complete on the device's callback threads, never on an event loop, so callbacks may block, even
 * on this device. {@link #gemm} waits on a future of its own that the event loop completes (no
 * user code can run on it), saving the hand-off through the callback thread.
 */
final class NetDevice implements RemoteDevice {
    private static final Logger log = LoggerFactory.getLogger(NetDevice.class);

    private final NetDeviceProvider.Target target;
    private final DeviceOptions options;
    private final SslContext ssl;
    private final ExecutorService callbacks;
    private final Object lock = new Object();
    private Session session;                       // guarded by lock
    private CompletableFuture<Session> connecting;  // guarded by lock
    private long sessions;                          // guarded by lock
    private boolean closed;                         // guarded by lock
    private final DeviceInfo info;
    private final Set<NetHandle> handles = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reconnects = new AtomicInteger();

    private final LongAdder submitted = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final AtomicReference<CommandStats> totals = new AtomicReference<>(CommandStats.NONE);

    private NetDevice(NetDeviceProvider.Target target, DeviceOptions options, SslContext ssl) {
        this.target = target;
        this.options = options;
        this.ssl = ssl;
        // cached, not single: a callback that blocks on another call of this device (e.g. gemm()
        // inside thenApply) must not wait for a completion queued behind itself
        this.callbacks = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pacq-net-callbacks");
            t.setDaemon(true);
            return t;
        });
        Session s;
        try {
            s = Device.await(session());
        } catch (RuntimeException e) {
            callbacks.shutdown();
            throw e;
        }
        io.pacq.proto.Welcome w = s.welcome;
        this.info = Protos.fromProto(w.getDevice(), target.uri().text(), w.getDevice().getDescription()
                + ", served by " + (w.getServerName().isEmpty() ? "pacq serve" : w.getServerName()) + " at "
                + target.host() + ":" + target.port());
    }

    static NetDevice open(NetDeviceProvider.Target t, DeviceOptions options) {
        SslContext ssl = null;
        if (t.tls()) {
            try {
                SslContextBuilder b = SslContextBuilder.forClient();
                if (t.ca() != null) {
                    b.trustManager(t.ca().toFile());
                }
                ssl = b.build();
            } catch (Exception e) {
                throw new InvalidRequestException("device URI '" + t.uri() + "': cannot load the trusted certificate(s) "
                        + t.ca() + " (expected PEM): " + e.getMessage(), e);
            }
        }
        return new NetDevice(t, options, ssl);
    }

    DeviceOptions options() {
        return options;
    }

    String uri() {
        return target.uri().text();
    }

    boolean reupload() {
        return target.reupload();
    }

    // ---------------------------------------------------------------------------- sessions

    /** The live session, connecting (again) when there is none. */
    CompletableFuture<Session> session() {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new DeviceClosedException("device " + uri() + " is closed"));
            }
            if (session != null && !session.dead) {
                return CompletableFuture.completedFuture(session);
            }
            if (connecting != null) {
                return connecting;
            }
            long seq = ++sessions;
            Session s = Session.connect(this, seq, target, ssl);
            CompletableFuture<Session> f = s.ready;
            connecting = f;
            f.whenComplete((ok, ex) -> {
                synchronized (lock) {
                    connecting = null;
                    if (ok != null) {
                        if (closed) {
                            ok.close();
                            return;
                        }
                        session = ok;
                        if (seq > 1) {
                            reconnects.incrementAndGet();
                            log.info("{}: reconnected, new session {}; {} weight handle(s) {}", uri(), ok.id(),
                                    handles.size(), target.reupload() ? "will be uploaded again on their next use"
                                            : "are lost and must be uploaded again");
                        } else {
                            log.debug("{}: session {}", uri(), ok.id());
                        }
                    }
                }
            });
            return f;
        }
    }

    void sessionDied(Session s) {
        synchronized (lock) {
            if (session == s) {
                session = null;
                if (!closed) {
                    log.warn("{}: session {} ended: {}", uri(), s.id(), s.deathReason);
                }
            }
        }
    }

    /** Completes a future on the callback thread. */
    <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
        complete(f, value, error, false);
    }

    /**
     * Completes a future on the callback thread, or at once on this thread when {@code direct}
     * (a future only this class and a waiting caller see: nothing of the user's runs here).
     */
    <T> void complete(CompletableFuture<T> f, T value, Throwable error, boolean direct) {
        if (direct) {
            if (error == null) {
                f.complete(value);
            } else {
                f.completeExceptionally(error);
            }
            return;
        }
        try {
            callbacks.execute(() -> {
                if (error == null) {
                    f.complete(value);
                } else {
                    f.completeExceptionally(error);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (error == null) {
                f.complete(value);
            } else {
                f.completeExceptionally(error);
            }
        }
    }

    void countSent(long b) { bytesSent.add(b); }
    void countReceived(long b) { bytesReceived.add(b); }
    void countTimeout() { timeouts.increment(); }
    void countCancelled() { failed.increment(); }

    private static PacqException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof PacqException p) {
            return p;
        }
        if (t instanceof ProtocolException pe) {
            return new RemoteException(pe.code().name(), pe.getMessage());
        }
        return new PacqException(String.valueOf(t), t);
    }

    // ------------------------------------------------------------------------------ device

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public WeightHandle upload(QuantizedWeights weights, Set<GemmMode> modes) {
        checkOpen();
        if (!info.supportsBits(weights.bits())) {
            throw new IncompatibleDeviceException("device " + uri() + " does not support INT" + weights.bits()
                    + " weights (supported: " + info.bits() + ")");
        }
        for (GemmMode m : modes) {
            if (!info.supports(m)) {
                throw new IncompatibleDeviceException("device " + uri() + " does not support mode " + m
                        + " (supported: " + info.modes() + ")");
            }
        }
        NetHandle h = new NetHandle(weights, modes.isEmpty() ? EnumSet.of(GemmMode.PACQ, GemmMode.DEQUANT)
                : EnumSet.copyOf(modes));
        long deadline = System.nanoTime() + options.defaultTimeout().toNanos();
        try {
            Device.await(session().thenCompose(s -> h.idIn(s, deadline)));
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
        handles.add(h);
        return h;
    }

    @Override
    public CompletableFuture<GemmResult> submit(GemmRequest req) {
        return submit(req, false);
    }

    /**
     * Submits and waits. The future never leaves this method, so nothing of the user's can be
     * chained on it: the event loop completes it and wakes the caller directly, one thread
     * hand-off fewer than through the callback thread that {@link #submit} needs.
     */
    @Override
    public GemmResult gemm(GemmRequest req) {
        return Device.await(submit(req, true));
    }

    private CompletableFuture<GemmResult> submit(GemmRequest req, boolean direct) {
        if (!(req.weights() instanceof NetHandle h) || h.owner() != this) {
            throw new InvalidRequestException("weight handle " + req.weights() + " does not belong to device " + uri());
        }
        GemmChecks.check(req, h.k(), h.n(), info, uri());
        if (req.mode() == GemmMode.KPACKED && !h.modes.contains(GemmMode.KPACKED)) {
            throw new InvalidRequestException("weights " + h.weights + " were uploaded without the K-packed layout; "
                    + "upload them with mode KPACKED to run KPACKED GEMMs");
        }
        if (!h.isOpen()) {
            throw new InvalidRequestException("weight handle " + h + " is closed");
        }
        checkOpen();
        submitted.increment();
        long timeoutNanos = (req.timeout() != null ? req.timeout() : options.defaultTimeout()).toNanos();
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        short[] a = req.activations().bitsView();   // encoded straight into the frames when sent
        CompletableFuture<GemmResult> result = new CompletableFuture<>();
        String what = "GEMM (M=" + req.m() + " N=" + h.n() + " K=" + h.k() + " INT" + h.weights.bits() + " "
                + req.mode() + ")";
        session().thenCompose(s -> h.idIn(s, deadline).thenAccept(handleId -> {
            GemmCall c = new GemmCall(what, deadline, TimeUnit.NANOSECONDS.toMillis(timeoutNanos), result, req.m(),
                    h.n(), req.output(), start, direct);
            long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            s.send(c, Envelope.newBuilder().setGemm(Gemm.newBuilder().setHandle(handleId).setM(req.m())
                    .setK(h.k()).setMode(Protos.toProto(req.mode())).setOutput(Protos.toProto(req.output()))
                    .setDeadlineMs((int) Math.min(Integer.MAX_VALUE, leftMs))), a);
        })).whenComplete((v, ex) -> {
            if (ex != null) {
                complete(result, null, unwrap(ex), direct);
            }
        });
        result.whenComplete((r, ex) -> {
            if (ex == null) {
                completed.increment();
                totals.accumulateAndGet(r.stats(), CommandStats::plus);
            } else {
                failed.increment();
            }
        });
        return result;
    }

    @Override
    public ServerStats serverStats() {
        checkOpen();
        long deadline = System.nanoTime() + options.defaultTimeout().toNanos();
        CompletableFuture<ServerStats> f = new CompletableFuture<>();
        try {
            return Device.await(session().thenCompose(s -> {
                s.send(new Session.Call<ServerStats>("statistics request", deadline,
                        options.defaultTimeout().toMillis(), f) {
                    @Override
                    void onMessage(Envelope e) {
                        if (!e.hasStats()) {
                            throw new ProtocolException(ErrorCode.PROTOCOL, "expected ServerStats, got " + e.getBodyCase());
                        }
                        succeed(e.getStats());
                    }
                }, Envelope.newBuilder().setStatsRequest(StatsRequest.getDefaultInstance()));
                return f;
            }));
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
    }

    @Override
    public String sessionId() {
        synchronized (lock) {
            return session == null ? null : session.id();
        }
    }

    @Override
    public int reconnects() {
        return reconnects.get();
    }

    @Override
    public DeviceCounters counters() {
        long inUse = 0;
        for (NetHandle h : handles) {
            inUse += h.deviceBytes;
        }
        return new DeviceCounters(submitted.sum(), completed.sum(), failed.sum(), timeouts.sum(), reconnects.get(),
                bytesSent.sum(), bytesReceived.sum(), handles.size(), inUse, totals.get());
    }

    private void checkOpen() {
        synchronized (lock) {
            if (closed) {
                throw new DeviceClosedException("device " + uri() + " is closed");
            }
        }
    }

    /**
     * Waits for calls in flight (each bounded by its deadline), closes the connection (the
     * server frees the session's weights) and reports handles left open.
     */
    @Override
    public void close() {
        Session s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
        }
        if (s != null) {
            long end = System.nanoTime() + options.defaultTimeout().toNanos();
            while (!s.calls.isEmpty() && !s.dead && System.nanoTime() - end < 0) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            s.close();
        }
        List<String> leaked = new ArrayList<>();
        for (NetHandle h : handles) {
            leaked.add(h.toString());
            h.open = false;
        }
        handles.clear();
        callbacks.shutdown();
        if (!leaked.isEmpty()) {
            throw new ResourceLeakException("device " + uri() + " was closed with " + leaked.size()
                    + " open weight handle(s), now freed: " + String.join(", ", leaked));
        }
    }

    @Override
    public String toString() {
        return "NetDevice[" + uri() + "]";
    }

    // ------------------------------------------------------------------------------ calls

    private final class GemmCall extends Session.Call<GemmResult> {
        final int m;
        final int n;
        final OutputType out;
        final long start;
        io.pacq.proto.GemmDone header;
        short[] f16;
        int[] f32;
        /** Decodes C's DATA straight into {@link #f16} or {@link #f32}. */
        Tensors.Receiver rx;

        GemmCall(String what, long deadlineNanos, long deadlineMs, CompletableFuture<GemmResult> f, int m, int n,
                 OutputType out, long start, boolean direct) {
            super(what, deadlineNanos, deadlineMs, f, direct);
            this.m = m;
            this.n = n;
            this.out = out;
            this.start = start;
        }

        @Override
        void onMessage(Envelope e) {
            if (!e.hasGemmDone() || header != null) {
                throw new ProtocolException(ErrorCode.PROTOCOL, "expected one GemmDone for " + what + ", got "
                        + e.getBodyCase());
            }
            io.pacq.proto.GemmDone d = e.getGemmDone();
            if (d.getM() != m || d.getN() != n || Protos.fromProto(d.getOutput()) != out) {
                throw new ProtocolException(ErrorCode.PROTOCOL, "GemmDone for " + what + " describes [" + d.getM() + ", "
                        + d.getN() + "] " + d.getOutput() + ", expected [" + m + ", " + n + "] " + out);
            }
            header = d;
            int elems = Math.multiplyExact(m, n);
            if (out == OutputType.F16) {
                f16 = new short[elems];
                rx = Tensors.Receiver.of(f16);
            } else {
                f32 = new int[elems];
                rx = Tensors.Receiver.of(f32);
            }
            if (rx.complete()) {
                finish();
            }
        }

        @Override
        void onData(ByteBuf chunk) {
            if (header == null || rx.received() + chunk.readableBytes() > rx.expected()) {
                throw new ProtocolException(ErrorCode.PROTOCOL, "unexpected DATA for " + what);
            }
            rx.accept(chunk);
            if (rx.complete()) {
                finish();
            }
        }

        private void finish() {
            CommandStats stats = Protos.fromProto(header.getStats());
            long nanos = System.nanoTime() - start;
            GemmResult r = out == OutputType.F16 ? GemmResult.ofF16(m, n, f16, stats, nanos)
                    : GemmResult.ofF32(m, n, f32, stats, nanos);
            f16 = null;
            f32 = null;
            rx = null;
            succeed(r);
        }
    }

    // ---------------------------------------------------------------------------- handles

    /**
     * Weights on the server. Keeps a reference to the {@link QuantizedWeights} (no copy) so that
     * a new session can upload them again.
     */
    private final class NetHandle implements WeightHandle {
        final QuantizedWeights weights;
        final Set<GemmMode> modes;
        // guarded by this
        private Session session;
        private long serverId;
        private Session pendingSession;
        private CompletableFuture<Long> pending;
        volatile long deviceBytes;
        volatile boolean open = true;

        NetHandle(QuantizedWeights weights, Set<GemmMode> modes) {
            this.weights = weights;
            this.modes = modes;
        }

        NetDevice owner() {
            return NetDevice.this;
        }

        /**
         * The handle's id in session s, uploading the weights there first when needed. The upload
         * is sent outside this handle's lock: the sending thread may wait for the socket, which
         * needs an event loop that may itself be waiting here.
         */
        CompletableFuture<Long> idIn(Session s, long deadline) {
            CompletableFuture<Uploaded> up = new CompletableFuture<>();
            boolean[] send = new boolean[1];
            CompletableFuture<Long> f = idInLocked(s, up, send);
            if (send[0]) {
                try {
                    upload(s, deadline, up);
                } catch (RuntimeException | Error e) {
                    up.completeExceptionally(new LinkException("upload of " + weights + " to " + uri()
                            + " could not be sent: " + e, e)); // clears pending
                }
            }
            return f;
        }

        /**
         * The id, a pending upload, a failure, or a new pending upload completed by {@code up}
         * (then {@code send[0]} is set: the caller sends it).
         */
        private synchronized CompletableFuture<Long> idInLocked(Session s, CompletableFuture<Uploaded> up,
                                                                boolean[] send) {
            if (!open) {
                return CompletableFuture.failedFuture(new InvalidRequestException("weight handle " + this + " is closed"));
            }
            if (session == s) {
                return CompletableFuture.completedFuture(serverId);
            }
            if (pending != null && pendingSession == s) {
                return pending;
            }
            if (session != null && !target.reupload()) {
                return CompletableFuture.failedFuture(new LinkException("weights " + weights + " were lost with session "
                        + session.id() + " when the connection to " + uri() + " dropped; upload them again "
                        + "(or open the device with reupload=true)"));
            }
            boolean again = session != null;
            CompletableFuture<Long> f = up.thenApply(u -> {
                synchronized (NetHandle.this) {
                    session = s;
                    serverId = u.getHandle();
                    deviceBytes = u.getDeviceBytes();
                    pending = null;
                    pendingSession = null;
                }
                if (again) {
                    log.info("{}: uploaded {} again in session {}", uri(), weights, s.id());
                }
                return u.getHandle();
            });
            f.whenComplete((v, ex) -> {
                if (ex != null) {
                    synchronized (NetHandle.this) {
                        if (pending == f) {
                            pending = null;
                            pendingSession = null;
                        }
                    }
                }
            });
            pending = f;
            pendingSession = s;
            send[0] = true;
            return f;
        }

        /** Sends the upload to s; its answer completes f. */
        private void upload(Session s, long deadline, CompletableFuture<Uploaded> f) {
            QuantizedWeights w = weights;
            // packed codes (half the bytes of INT4) to a server that takes them, U8 to a 1.0 server
            UploadPayload p = new UploadPayload(w, s.serverMinor() >= Frames.MINOR_PACKED_CODES, s.chunkBytes());
            Upload.Builder u = Upload.newBuilder().setK(w.k()).setN(w.n()).setBits(w.bits())
                    .setGroupSize(w.groupSize()).setGroupCols(w.groupCols()).setSymmetric(w.symmetric())
                    .setCodesEncoding(p.packed ? CodesEncoding.CODES_ENCODING_PACKED : CodesEncoding.CODES_ENCODING_U8)
                    .setCodesBytes(p.codesBytes).setScalesBytes(p.scalesBytes).setZerosBytes(p.zerosBytes)
                    .setCrc32C(p.crc32c)
                    .setDeadlineMs((int) Math.max(1, Math.min(Integer.MAX_VALUE,
                            TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            modes.forEach(m -> u.addModes(Protos.toProto(m)));
            s.send(new Session.Call<Uploaded>("upload of " + w, deadline,
                    TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), f) {
                @Override
                void onMessage(Envelope e) {
                    if (!e.hasUploaded()) {
                        throw new ProtocolException(ErrorCode.PROTOCOL, "expected Uploaded, got " + e.getBodyCase());
                    }
                    succeed(e.getUploaded());
                }
            }, Envelope.newBuilder().setUpload(u), p);
        }

        @Override public int k() { return weights.k(); }
        @Override public int n() { return weights.n(); }
        @Override public QuantSpec spec() {
            return new QuantSpec(weights.bits(), weights.groupSize(), weights.groupCols(), weights.symmetric());
        }
        @Override public long deviceBytes() { return deviceBytes; }
        @Override public boolean isOpen() { return open; }

        /** Frees the weights on the server (waits for its answer, bounded by the default deadline). */
        @Override
        public void close() {
            Session s;
            long id;
            synchronized (this) {
                if (!open) {
                    return;
                }
                open = false;
                s = session;
                id = serverId;
            }
            handles.remove(this);
            if (s == null || s.dead) {
                return; // nothing on the server any more
            }
            long deadline = System.nanoTime() + options.defaultTimeout().toNanos();
            CompletableFuture<Void> f = new CompletableFuture<>();
            s.send(new Session.Call<Void>("free of " + weights, deadline, options.defaultTimeout().toMillis(), f) {
                @Override
                void onMessage(Envelope e) {
                    if (!e.hasFreed()) {
                        throw new ProtocolException(ErrorCode.PROTOCOL, "expected Freed, got " + e.getBodyCase());
                    }
                    succeed(null);
                }
            }, Envelope.newBuilder().setFree(Free.newBuilder().setHandle(id)));
            try {
                Device.await(f);
            } catch (LinkException e) {
                log.debug("{}: free of {} not confirmed: {}", uri(), weights, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "WeightHandle[" + weights + " on " + uri() + "]";
        }
    }
}
