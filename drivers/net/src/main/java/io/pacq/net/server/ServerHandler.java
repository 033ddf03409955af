package io.pacq.net.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.pacq.DeviceClosedException;
import io.pacq.DeviceException;
import io.pacq.DeviceMemoryException;
import io.pacq.DeviceTimeoutException;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.IncompatibleDeviceException;
import io.pacq.InvalidRequestException;
import io.pacq.LinkException;
import io.pacq.OutputType;
import io.pacq.WeightHandle;
import io.pacq.abi.Abi;
import io.pacq.net.internal.Frame;
import io.pacq.net.internal.FrameDecoder;
import io.pacq.net.internal.Frames;
import io.pacq.net.internal.ProtocolException;
import io.pacq.net.internal.Protos;
import io.pacq.net.internal.Tensors;
import io.pacq.proto.CodesEncoding;
import io.pacq.proto.Envelope;
import io.pacq.proto.ErrorCode;
import io.pacq.proto.Freed;
import io.pacq.proto.Gemm;
import io.pacq.proto.GemmDone;
import io.pacq.proto.Goodbye;
import io.pacq.proto.Hello;
import io.pacq.proto.Pong;
import io.pacq.proto.Upload;
import io.pacq.proto.Uploaded;
import io.pacq.proto.Welcome;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;

/**
 * One client connection: handshake, then requests multiplexed by id. Everything here runs on
 * the channel's event loop and never waits for the device: uploads, frees and statistics go to
 * the server's device executor as {@link Work}; a GEMM is submitted from here (submission does
 * not block) unless an upload holds the device ({@link ServerContext#uploadGate}); results come
 * back with {@link #done}.
 *
 * <p>Flow control: reading from the socket pauses (autoRead off) while the session has
 * {@code maxInflightPerClient} requests in the works, while its device work waits for a queue
 * permit, and while answers wait for the socket to become writable (a slow reader only slows
 * itself). Not sharable: one instance per channel.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);

    private static final int PAUSE_INFLIGHT = 1;
    private static final int PAUSE_QUEUE = 2;
    private static final int PAUSE_OUTBOX = 4;
    /** Time a fatal error frame gets to leave before the connection is cut regardless. */
    private static final long FATAL_LINGER_MS = 1000;

    private final ServerContext server;
    private final FrameDecoder decoder;
    private ChannelHandlerContext ctx;
    private Channel ch;
    private String peer = "?";
    private boolean counted;
    private boolean authenticated;
    private boolean closing;
    private boolean closed;
    private String sessionId = "-";
    private String clientName = "?";
    private ScheduledFuture<?> handshakeTimer;
    private int chunkBytes = Frames.MAX_CHUNK_BYTES;

    private final Map<Long, SessionHandle> handles = new HashMap<>();
    /** Handles not yet closed: those in {@link #handles} and those whose Free is pending. */
    private final Set<SessionHandle> live = new HashSet<>();
    private long nextHandle = 1;
    private long residentBytes;
    private final Map<Long, Transfer> transfers = new HashMap<>();
    private final Map<Long, Work> active = new HashMap<>();
    private final ArrayDeque<Work> parked = new ArrayDeque<>();
    private final ArrayDeque<Out> outbox = new ArrayDeque<>();
    private int pause;
    private long unwritableSince;
    private final AtomicBoolean waiting = new AtomicBoolean();

    ServerHandler(ServerContext server, FrameDecoder decoder) {
        this.server = server;
        this.decoder = decoder;
    }

    // --------------------------------------------------------------------------- lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.ch = ctx.channel();
        this.peer = String.valueOf(ch.remoteAddress());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counted = true;
        int n = server.clients.incrementAndGet();
        if (n > server.config().maxClients()) {
            server.clientsRefused.increment();
            fatal(ErrorCode.TOO_MANY_CLIENTS, "the server already serves its maximum of " + server.config().maxClients()
                    + " clients; try again later");
            return;
        }
        if (server.draining) {
            server.clientsRefused.increment();
            fatal(ErrorCode.SHUTTING_DOWN, "the server is shutting down");
            return;
        }
        long ms = server.config().handshakeTimeout().toMillis();
        handshakeTimer = ch.eventLoop().schedule(() -> {
            if (!authenticated) {
                fatal(ErrorCode.UNAUTHENTICATED, "no Hello within the handshake timeout of " + ms + " ms");
            }
        }, ms, TimeUnit.MILLISECONDS);
        log.debug("{}: connected", peer);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        closing = true;
        if (counted) {
            server.clients.decrementAndGet();
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        server.forget(this);
        for (Transfer t : transfers.values()) {
            t.abandon();
        }
        transfers.clear();
        for (Work w : parked) {
            w.abandonParked();
        }
        parked.clear();
        for (Work w : new ArrayList<>(active.values())) {
            w.cancelled = true;
            CompletableFuture<?> f = w.future;
            if (f != null) {
                f.cancel(false);
            }
            if (!w.running) {
                retire(w);
            } else {
                w.answerWritten = true;
                maybeRetire(w);
            }
        }
        for (Out o : outbox) {
            o.buf.release();
        }
        outbox.clear();
        List<SessionHandle> toClose = new ArrayList<>(live);
        live.clear();
        handles.clear();
        if (!toClose.isEmpty()) {
            server.cleanupExecutor.execute(() -> toClose.forEach(SessionHandle::release));
        }
        if (authenticated) {
            log.info("{} session {} ({}): closed; freed {} weight handle(s), {} resident", peer, sessionId, clientName,
                    toClose.size(), Protos.bytes(residentBytes));
        } else {
            log.debug("{}: closed before the handshake", peer);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException de && de.getCause() instanceof ProtocolException pe) {
            fatal(pe.code(), pe.getMessage());
        } else if (cause instanceof ProtocolException pe) {
            fatal(pe.code(), pe.getMessage());
        } else if (cause instanceof DecoderException de) {
            // TLS record errors and the like: no frame can be sent on a broken stream
            log.warn("{}: {}; closing", peer, de.getMessage());
            closing = true;
            ch.close();
        } else if (cause instanceof IOException) {
            log.debug("{} session {}: {}", peer, sessionId, cause.toString());
            closing = true;
            ch.close();
        } else {
            log.error("{} session {}: unexpected failure", peer, sessionId, cause);
            fatal(ErrorCode.INTERNAL, "internal server error: " + cause);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            onIdle();
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void onIdle() {
        if (closing) {
            return;
        }
        boolean deviceBusy = false;
        for (Work w : active.values()) {
            if (!w.deviceDone) {
                deviceBusy = true;
                break;
            }
        }
        if (deviceBusy) {
            return; // silence is ours: we are not reading while the device works for this session
        }
        long s = server.config().idleTimeout().toSeconds();
        log.debug("{} session {}: idle; pause={} active={} outbox={} writable={} transfers={}", peer, sessionId, pause,
                active.size(), outbox.size(), ch.isWritable(), transfers.size());
        if (!outbox.isEmpty()) {
            fatal(ErrorCode.IDLE_TIMEOUT, "the client did not read its results for " + s + " s");
        } else {
            fatal(ErrorCode.IDLE_TIMEOUT, "session idle for " + s + " s (no frame and nothing in flight)"
                    + (transfers.isEmpty() ? "" : "; " + transfers.size() + " transfer(s) were left unfinished"));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        drainOutbox();
        ctx.fireChannelWritabilityChanged();
    }

    /** Tells the client the server is stopping. Any thread. */
    void goodbye(String reason) {
        ch.eventLoop().execute(() -> {
            if (!closing && authenticated) {
                send(Envelope.newBuilder().setGoodbye(Goodbye.newBuilder().setReason(reason)).build(), null);
            }
        });
    }

    // ----------------------------------------------------------------------------- inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closing) {
                return;
            }
            if (msg instanceof Frame.Message m) {
                server.bytesReceived.add(Frames.LENGTH_BYTES + 1 + m.envelope().getSerializedSize());
                onMessage(m.envelope());
            } else if (msg instanceof Frame.Data d) {
                server.bytesReceived.add(Frames.LENGTH_BYTES + Frames.DATA_OVERHEAD + d.payload().readableBytes());
                onData(d);
            }
        } catch (ProtocolException e) {
            fatal(e.code(), e.getMessage());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onMessage(Envelope e) {
        if (!authenticated) {
            if (e.hasHello()) {
                hello(e.getHello());
            } else {
                throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "the first message must be Hello, got "
                        + e.getBodyCase());
            }
            return;
        }
        long id = e.getRequestId();
        switch (e.getBodyCase()) {
            case UPLOAD -> upload(id, e.getUpload());
            case GEMM -> gemm(id, e.getGemm());
            case FREE -> free(id, e.getFree().getHandle());
            case CANCEL -> cancel(id);
            case STATS_REQUEST -> {
                checkNewId(id);
                admit(new StatsWork(id));
            }
            case PING -> send(Envelope.newBuilder().setRequestId(id)
                    .setPong(Pong.newBuilder().setNanos(e.getPing().getNanos())).build(), null);
            case HELLO -> throw new ProtocolException(ErrorCode.PROTOCOL, "Hello sent twice");
            default -> throw new ProtocolException(ErrorCode.PROTOCOL, "unexpected " + e.getBodyCase()
                    + " message from a client");
        }
    }

    private void hello(Hello h) {
        int major = h.getVersion().getMajor();
        if (major != Frames.PROTOCOL_MAJOR) {
            throw new ProtocolException(ErrorCode.VERSION_MISMATCH, "the client speaks protocol " + major + "."
                    + h.getVersion().getMinor() + " but this server speaks " + Frames.PROTOCOL_MAJOR + "."
                    + Frames.PROTOCOL_MINOR + "; use a client and a server of the same major version");
        }
        String expected = server.config().token();
        if (expected != null) {
            // constant time in the token's content: no early exit on the first differing byte
            boolean ok = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    h.getAuthToken().getBytes(StandardCharsets.UTF_8));
            if (!ok) {
                throw new ProtocolException(ErrorCode.UNAUTHENTICATED, h.getAuthToken().isEmpty()
                        ? "this server needs an auth token (pass --token-file or set PACQ_TOKEN)"
                        : "wrong auth token");
            }
        }
        authenticated = true;
        handshakeTimer.cancel(false);
        decoder.maxFrameBytes(server.config().maxFrameBytes());
        chunkBytes = Frames.chunkBytes(server.config().maxFrameBytes());
        String name = h.getClientName();
        clientName = name.length() > 64 ? name.substring(0, 64) : name;
        sessionId = "s" + server.sessionSeq.incrementAndGet() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL);
        server.clientsAccepted.increment();
        log.info("{} session {}: client '{}' connected (protocol {}.{})", peer, sessionId, clientName, major,
                h.getVersion().getMinor());
        ServerConfig c = server.config();
        Welcome w = Welcome.newBuilder().setVersion(Frames.version()).setSessionId(sessionId)
                .setDevice(Protos.toProto(server.device.info())).setMaxFrameBytes(c.maxFrameBytes())
                .setChunkBytes(chunkBytes).setMaxResidentBytes(c.maxClientResidentBytes())
                .setIdleTimeoutMs((int) Math.min(Integer.MAX_VALUE, c.idleTimeout().toMillis()))
                .setMaxInflight(c.maxInflightPerClient()).setServerName(c.serverName()).build();
        send(Envelope.newBuilder().setWelcome(w).build(), null);
    }

    private void checkNewId(long id) {
        if (id == 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "request id 0 is reserved for connection-level frames");
        }
        if (transfers.containsKey(id) || active.containsKey(id)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "request id " + id + " is already in use");
        }
    }

    private void checkTransferSlot() {
        if (transfers.size() >= server.config().maxTransfersPerClient()) {
            throw new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED, "more than "
                    + server.config().maxTransfersPerClient() + " requests of this session are waiting for their DATA");
        }
    }

    /** Answers a request with an error; DATA it announced is read and dropped. */
    private void reject(long id, long dataBytes, ErrorCode code, String message) {
        if (dataBytes > 0) {
            transfers.put(id, new Transfer(id, dataBytes, null));
        }
        sendError(id, code, message);
    }

    private void upload(long id, Upload u) {
        checkNewId(id);
        checkTransferSlot();
        long total;
        try {
            total = Math.addExact(Math.addExact(u.getCodesBytes(), u.getScalesBytes()), u.getZerosBytes());
        } catch (ArithmeticException e) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "upload header byte counts overflow");
        }
        if (total < 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "upload header byte counts overflow");
        }
        if (server.draining) {
            reject(id, total, ErrorCode.SHUTTING_DOWN, "the server is shutting down and takes no new uploads");
            return;
        }
        int k = u.getK();
        int n = u.getN();
        try {
            QuantSpec.checkShape(k, n, u.getBits(), u.getGroupSize(), u.getGroupCols());
        } catch (IllegalArgumentException e) {
            reject(id, total, ErrorCode.INVALID_REQUEST, "upload: " + e.getMessage());
            return;
        }
        long groups = (long) (k / u.getGroupSize()) * ((n + u.getGroupCols() - 1) / u.getGroupCols());
        String bad = null;
        long packedCodes = (long) k * (((long) n * u.getBits() + 7) / 8);
        if (u.getCodesEncoding() == CodesEncoding.UNRECOGNIZED) {
            bad = "codes_encoding = " + u.getCodesEncodingValue() + " is unknown (this server speaks "
                    + Frames.PROTOCOL_MAJOR + "." + Frames.PROTOCOL_MINOR + ": 0 = U8, 1 = PACKED)";
        } else if (u.getCodesEncoding() == CodesEncoding.CODES_ENCODING_PACKED && u.getCodesBytes() != packedCodes) {
            bad = "codes_bytes = " + u.getCodesBytes() + " but packed INT" + u.getBits() + " codes [K=" + k + "][N=" + n
                    + "] are K*ceil(N*" + u.getBits() + "/8) = " + packedCodes + " bytes";
        } else if (u.getCodesEncoding() == CodesEncoding.CODES_ENCODING_U8 && u.getCodesBytes() != (long) k * n) {
            bad = "codes_bytes = " + u.getCodesBytes() + " but codes U8 [K=" + k + "][N=" + n + "] are " + (long) k * n
                    + " bytes";
        } else if (u.getScalesBytes() != 2 * groups) {
            bad = "scales_bytes = " + u.getScalesBytes() + " but " + groups + " FP16 scales are " + 2 * groups + " bytes";
        } else if (u.getZerosBytes() != (u.getSymmetric() ? 0 : groups)) {
            bad = "zeros_bytes = " + u.getZerosBytes() + " but " + (u.getSymmetric() ? "symmetric weights have no zeros"
                    : groups + " U8 zero points are " + groups + " bytes");
        }
        Set<GemmMode> modes = EnumSet.noneOf(GemmMode.class);
        for (io.pacq.proto.GemmMode m : u.getModesList()) {
            GemmMode g = Protos.fromProto(m);
            if (g == null && bad == null) {
                bad = "unknown GEMM mode " + m;
            } else if (g != null) {
                modes.add(g);
            }
        }
        if (modes.isEmpty()) {
            modes = EnumSet.of(GemmMode.PACQ, GemmMode.DEQUANT);
        }
        if (bad == null && u.getDeadlineMs() == 0) {
            bad = "deadline_ms must be positive";
        }
        if (bad != null) {
            reject(id, total, ErrorCode.INVALID_REQUEST, "upload header: " + bad);
            return;
        }
        if ((long) k * n > Integer.MAX_VALUE - 16) {
            reject(id, total, ErrorCode.RESOURCE_EXHAUSTED, "upload of " + Protos.bytes(total)
                    + " is larger than one upload may be (2 Gi codes)");
            return;
        }
        // counted at one byte per code whatever the encoding, so the limits mean the same for
        // every client version (the server holds the codes packed, at most this much)
        long resident = (long) k * n + u.getScalesBytes() + u.getZerosBytes();
        long perClient = server.config().maxClientResidentBytes();
        if (residentBytes + resident > perClient) {
            reject(id, total, ErrorCode.RESOURCE_EXHAUSTED, "uploading " + Protos.bytes(resident)
                    + " would exceed this session's resident-weight limit of " + Protos.bytes(perClient) + " (in use: "
                    + Protos.bytes(residentBytes) + "); free weights first");
            return;
        }
        if (!server.reserveResident(resident)) {
            reject(id, total, ErrorCode.RESOURCE_EXHAUSTED, "uploading " + Protos.bytes(resident)
                    + " would exceed the server's resident-weight limit of "
                    + Protos.bytes(server.config().maxResidentBytes()) + " for all sessions (in use: "
                    + Protos.bytes(server.residentBytes()) + "); try again later");
            return;
        }
        residentBytes += resident;
        transfers.put(id, new Transfer(id, total, new UploadWork(id, u, modes, total, resident)));
    }

    private void gemm(long id, Gemm g) {
        checkNewId(id);
        checkTransferSlot();
        server.gemmsReceived.increment();
        long aBytes = 2L * g.getM() * g.getK();
        if (server.draining) {
            reject(id, aBytes, ErrorCode.SHUTTING_DOWN, "the server is shutting down and takes no new GEMMs");
            return;
        }
        GemmMode mode = Protos.fromProto(g.getMode());
        OutputType out = Protos.fromProto(g.getOutput());
        SessionHandle h = handles.get(g.getHandle());
        String bad = null;
        ErrorCode code = ErrorCode.INVALID_REQUEST;
        if (mode == null) {
            bad = "GEMM mode " + g.getMode() + " is not one of PACQ, DEQUANT, KPACKED";
        } else if (out == null) {
            bad = "output type " + g.getOutput() + " is not one of F16, F32";
        } else if (g.getDeadlineMs() == 0) {
            bad = "deadline_ms must be positive";
        } else if (g.getM() < 1 || g.getM() > Abi.MAX_DIM) {
            bad = "M = " + g.getM() + " is outside 1 .. " + Abi.MAX_DIM;
        } else if (h == null) {
            code = ErrorCode.UNKNOWN_HANDLE;
            bad = "no weights with handle " + g.getHandle() + " in session " + sessionId
                    + " (weights belong to the session that uploaded them; a new connection starts a new session)";
        } else if (g.getK() != h.k) {
            bad = "shape mismatch: activations are [" + g.getM() + ", " + g.getK() + "] but the weights are [K="
                    + h.k + ", N=" + h.n + "]";
        } else {
            long req = aBytes + (long) g.getM() * h.n * out.bytes();
            if (req > server.config().maxRequestBytes()) {
                code = ErrorCode.RESOURCE_EXHAUSTED;
                bad = "GEMM needs " + Protos.bytes(req) + " of activations and output, more than the server's limit of "
                        + Protos.bytes(server.config().maxRequestBytes()) + " per request; split M";
            }
        }
        if (bad != null) {
            reject(id, aBytes, code, bad);
            return;
        }
        long reqBytes = aBytes + (long) g.getM() * h.n * out.bytes();
        if (!server.reserveInflight(reqBytes)) {
            reject(id, aBytes, ErrorCode.RESOURCE_EXHAUSTED, "the server already holds "
                    + Protos.bytes(server.inflightBytes()) + " of GEMM activations and outputs, its limit of "
                    + Protos.bytes(server.config().maxInflightBytes()) + "; try again when requests have completed");
            return;
        }
        h.users++;
        transfers.put(id, new Transfer(id, aBytes, new GemmWork(id, g, h, mode, out, reqBytes)));
    }

    private void onData(Frame.Data d) {
        if (!authenticated) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "the first message must be Hello, got a DATA frame");
        }
        Transfer t = transfers.get(d.requestId());
        if (t == null) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "DATA frame for request id " + d.requestId()
                    + ", which expects no data");
        }
        ByteBuf p = d.payload();
        int len = p.readableBytes();
        if (t.received + len > t.expected) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "DATA for request id " + t.id + " overruns its announced "
                    + t.expected + " bytes");
        }
        if (t.work != null) {
            t.work.accept(p, t.received);
        }
        t.received += len;
        if (t.received == t.expected) {
            transfers.remove(t.id);
            if (t.work != null) {
                t.work.received();
            }
        }
    }

    private void free(long id, long handle) {
        checkNewId(id);
        SessionHandle h = handles.remove(handle);
        if (h == null) {
            sendError(id, ErrorCode.UNKNOWN_HANDLE, "no weights with handle " + handle + " in session " + sessionId);
            return;
        }
        server.frees.increment();
        FreeWork w = new FreeWork(id, h);
        if (h.users == 0) {
            admit(w);
        } else {
            h.pendingFree = w;     // after the GEMMs that use it
            track(w);
        }
    }

    private void cancel(long id) {
        Transfer t = transfers.get(id);
        if (t != null) {
            server.cancels.increment();
            if (t.work != null) {
                t.work.abandonParked();
                t.work = null;       // the rest of its DATA is dropped
            }
            sendError(id, ErrorCode.CANCELLED, "cancelled by the client");
            return;
        }
        Work w = active.get(id);
        if (w == null || w.answered) {
            return; // already answered: nothing to cancel
        }
        server.cancels.increment();
        w.cancelled = true;
        w.answered = true;
        if (!w.running) {
            // parked for a queue permit, or a Free waiting for the GEMMs that use its weights
            parked.remove(w);
            if (parked.isEmpty()) {
                unpause(PAUSE_QUEUE);
            }
            w.abandonParked();
            w.deviceDone = true;
            if (w instanceof FreeWork fw) {
                fw.handle.pendingFree = null;
                handles.put(fw.handle.id, fw.handle);   // not freed after all
            }
        } else {
            CompletableFuture<?> f = w.future;
            if (f != null) {
                f.cancel(false);
            }
        }
        sendError(id, ErrorCode.CANCELLED, "cancelled by the client", w);
    }

    // -------------------------------------------------------------------------- device work

    /** Takes a complete request into the session's work and queues it for the device. */
    private void admit(Work w) {
        track(w);
        enqueue(w);
    }

    private void track(Work w) {
        active.put(w.id, w);
        server.activeRequests.incrementAndGet();
        checkInflight();
    }

    private void enqueue(Work w) {
        if (!parked.isEmpty() || !server.tryAcquire()) {
            parked.add(w);
            pause(PAUSE_QUEUE);
            park();
            return;
        }
        start(w);
    }

    private void start(Work w) {
        w.running = true;
        // A GEMM's submission does not block (Device.submit), so the event loop makes it itself
        // and saves a hand-off to a device thread, unless an upload holds the device (see
        // ServerContext.uploadGate). The permit taken before still bounds the device's queue.
        if (w instanceof GemmWork && server.config().submitOnEventLoop() && server.uploadGate.readLock().tryLock()) {
            try {
                w.runOnDevice();
            } finally {
                server.uploadGate.readLock().unlock();
            }
            return;
        }
        try {
            server.deviceExecutor.execute(w::runOnDevice);
        } catch (RejectedExecutionException e) {
            server.release();
            w.running = false;
            w.deviceDone = true;
            w.abandonParked();
            sendError(w.id, ErrorCode.SHUTTING_DOWN, "the server is shutting down", w);
        }
    }

    private void park() {
        if (waiting.compareAndSet(false, true)) {
            server.await(this);
            // a permit may have come back before we registered: make sure someone is woken
            if (server.tryAcquire()) {
                server.release();
            }
        }
    }

    /** A device-queue permit is free. Any thread. */
    void wakeUp() {
        waiting.set(false);
        try {
            ch.eventLoop().execute(this::drainParked);
        } catch (RejectedExecutionException e) {
            server.nudge();
        }
    }

    private void drainParked() {
        if (closed || parked.isEmpty()) {
            server.nudge(); // pass the wake-up on
            return;
        }
        while (!parked.isEmpty()) {
            if (!server.tryAcquire()) {
                park();
                return;
            }
            start(parked.poll());
        }
        unpause(PAUSE_QUEUE);
    }

    /**
     * The device finished a work item (successfully with reply and payload, or with error).
     * Called on a device or callback thread; gives the permit back and continues on the event
     * loop.
     */
    private void done(Work w, Envelope reply, List<ByteBuf> data, Throwable error) {
        server.release();
        try {
            ch.eventLoop().execute(() -> answer(w, reply, data, error));
        } catch (RejectedExecutionException e) {
            release(data);
            w.abandonDone(error == null);
        }
    }

    private static void release(List<ByteBuf> frames) {
        if (frames != null) {
            frames.forEach(ReferenceCountUtil::release);
        }
    }

    private void answer(Work w, Envelope reply, List<ByteBuf> data, Throwable error) {
        w.deviceDone = true;
        w.finishOnLoop(error == null);
        if (closed) {
            release(data);
            w.abandonDone(error == null);
            maybeRetire(w);       // the disconnect marked its answer as written
            return;
        }
        if (w.answered) {          // cancelled: the client already has its answer
            release(data);
            w.abandonDone(error == null);
            maybeRetire(w);
            return;
        }
        if (error != null) {
            ErrorCode code = codeOf(error);
            if (code == ErrorCode.INTERNAL) {
                log.error("{} session {}: request {} failed", peer, sessionId, w.id, error);
            } else {
                log.debug("{} session {}: request {} failed: {}", peer, sessionId, w.id, error.getMessage());
            }
            Envelope.Builder e = Envelope.newBuilder().setRequestId(w.id);
            io.pacq.proto.Error.Builder eb = io.pacq.proto.Error.newBuilder().setCode(code)
                    .setMessage(String.valueOf(error.getMessage()));
            if (error instanceof DeviceException de) {
                eb.setDeviceStatus(de.status()).setDeviceInfo(de.info());
            }
            server.countError(code);
            w.answered = true;
            release(data);
            sendFrames(List.of(Frames.message(ch.alloc(), e.setError(eb).build())), w);
            return;
        }
        w.answered = true;
        List<ByteBuf> frames = new ArrayList<>(1 + (data == null ? 0 : data.size()));
        frames.add(Frames.message(ch.alloc(), reply != null ? reply : w.lateReply));
        if (data != null) {
            frames.addAll(data);
        }
        sendFrames(frames, w);
    }

    static ErrorCode codeOf(Throwable t) {
        if (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof InvalidRequestException || t instanceof IllegalArgumentException) {
            return ErrorCode.INVALID_REQUEST;
        }
        if (t instanceof IncompatibleDeviceException) {
            return ErrorCode.INCOMPATIBLE;
        }
        if (t instanceof DeviceMemoryException) {
            return ErrorCode.DEVICE_MEMORY;
        }
        if (t instanceof DeviceException) {
            return ErrorCode.DEVICE_ERROR;
        }
        if (t instanceof DeviceTimeoutException) {
            return ErrorCode.DEADLINE_EXCEEDED;
        }
        if (t instanceof LinkException || t instanceof DeviceClosedException) {
            return ErrorCode.LINK;
        }
        if (t instanceof CancellationException) {
            return ErrorCode.CANCELLED;
        }
        return ErrorCode.INTERNAL;
    }

    /** Removes a work item once the device is done with it and its answer is written. */
    private void maybeRetire(Work w) {
        if (w.deviceDone && w.answerWritten) {
            retire(w);
        }
    }

    private void retire(Work w) {
        if (w instanceof GemmWork gw) {
            gw.releaseInflight();
        }
        if (active.remove(w.id) != null) {
            server.activeRequests.decrementAndGet();
            checkInflight();
        }
    }

    // ---------------------------------------------------------------------------- outbound

    private void send(Envelope e, Work w) {
        sendFrames(List.of(Frames.message(ch.alloc(), e)), w);
    }

    private void sendError(long id, ErrorCode code, String message) {
        sendError(id, code, message, null);
    }

    private void sendError(long id, ErrorCode code, String message, Work w) {
        server.countError(code);
        send(Protos.error(id, code, message, false), w);
    }

    private void sendFrames(List<ByteBuf> frames, Work w) {
        if (closing) {
            frames.forEach(ByteBuf::release);
            if (w != null) {
                w.answerWritten = true;
                maybeRetire(w);
            }
            return;
        }
        for (int i = 0; i < frames.size(); i++) {
            outbox.add(new Out(frames.get(i), i == frames.size() - 1 ? w : null));
        }
        drainOutbox();
    }

    private void drainOutbox() {
        boolean wrote = false;
        while (!outbox.isEmpty() && ch.isWritable()) {
            Out o = outbox.poll();
            server.bytesSent.add(o.buf.readableBytes());
            ch.write(o.buf, ch.voidPromise());
            wrote = true;
            if (o.work != null) {
                o.work.answerWritten = true;
                maybeRetire(o.work);
            }
        }
        if (wrote) {
            ch.flush();
        }
        if (outbox.isEmpty()) {
            unwritableSince = 0;
            unpause(PAUSE_OUTBOX);
        } else {
            if (unwritableSince == 0) {
                unwritableSince = System.nanoTime();
            }
            pause(PAUSE_OUTBOX);
        }
    }

    /** Sends one error frame and closes; for broken or hostile peers and for refusals. */
    private void fatal(ErrorCode code, String message) {
        if (closing) {
            return;
        }
        closing = true;
        server.countError(code);
        if (code == ErrorCode.TOO_MANY_CLIENTS || code == ErrorCode.IDLE_TIMEOUT || code == ErrorCode.SHUTTING_DOWN) {
            log.info("{} session {}: {}; closing", peer, sessionId, message);
        } else {
            log.warn("{} session {}: {} [{}]; closing", peer, sessionId, message, code);
        }
        ch.config().setAutoRead(false);
        ch.writeAndFlush(Frames.message(ch.alloc(), Protos.error(0, code, message, true)))
                .addListener(ChannelFutureListener.CLOSE);
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, FATAL_LINGER_MS, TimeUnit.MILLISECONDS); // a peer that does not read must not keep us
    }

    // -------------------------------------------------------------------------- flow control

    private void checkInflight() {
        if (active.size() >= server.config().maxInflightPerClient()) {
            pause(PAUSE_INFLIGHT);
        } else {
            unpause(PAUSE_INFLIGHT);
        }
    }

    private void pause(int reason) {
        if (pause == 0 && !closing) {
            ch.config().setAutoRead(false);
        }
        pause |= reason;
    }

    private void unpause(int reason) {
        if ((pause & reason) == 0) {
            return;
        }
        pause &= ~reason;
        if (pause == 0 && !closing) {
            ch.config().setAutoRead(true);
        }
    }

    // ------------------------------------------------------------------------------- types

    private record Out(ByteBuf buf, Work work) {
    }

    /** A request whose DATA is arriving. work == null: the DATA is dropped (refused request). */
    private static final class Transfer {
        final long id;
        final long expected;
        long received;
        Work work;

        Transfer(long id, long expected, Work work) {
            this.id = id;
            this.expected = expected;
            this.work = work;
        }

        void abandon() {
            if (work != null) {
                work.abandonParked();
            }
        }
    }

    /** Weights resident for this session. */
    private final class SessionHandle {
        final long id;
        final WeightHandle wh;
        final long resident;
        final int k;
        final int n;
        int users;                  // event loop: accepted GEMMs not yet done
        FreeWork pendingFree;       // event loop
        private final AtomicBoolean released = new AtomicBoolean();

        SessionHandle(long id, WeightHandle wh, long resident) {
            this.id = id;
            this.wh = wh;
            this.resident = resident;
            this.k = wh.k();
            this.n = wh.n();
        }

        /** Closes the device handle and returns its resident bytes, once. Any thread. */
        void release() {
            if (released.compareAndSet(false, true)) {
                try {
                    wh.close();
                } catch (RuntimeException e) {
                    log.warn("closing weight handle {} of session {} failed", id, sessionId, e);
                } finally {
                    server.releaseResident(resident);
                }
            }
        }

        void unuse() {          // event loop
            if (--users == 0 && pendingFree != null && !closed) {
                FreeWork f = pendingFree;
                pendingFree = null;
                enqueue(f);
            }
        }
    }

    /** Device work of one request. Flags are written on the event loop unless noted. */
    private abstract class Work {
        final long id;
        final long acceptedNanos = System.nanoTime();
        boolean running;
        boolean deviceDone;
        boolean answered;
        boolean answerWritten;
        volatile boolean cancelled;
        volatile CompletableFuture<?> future;
        /** The reply when only the event loop can make it (set by finishOnLoop). */
        Envelope lateReply;

        Work(long id) {
            this.id = id;
        }

        /** A chunk of the request's DATA at byte offset off. Event loop. */
        void accept(ByteBuf chunk, long off) {
        }

        /** All DATA is in. Event loop. */
        void received() {
        }

        /** Runs on a device thread; ends with exactly one {@link #done} call. */
        final void runOnDevice() {
            try {
                if (cancelled) {
                    throw new CancellationException("cancelled before it ran");
                }
                run();
            } catch (Throwable t) {
                done(this, null, null, t);
            }
        }

        abstract void run();

        /** Event-loop bookkeeping once the device is done (success or not). */
        void finishOnLoop(boolean ok) {
        }

        /** Frees what the request held when it never reached the device. Event loop. */
        void abandonParked() {
        }

        /** Frees what a completed request produced when nobody takes it. Any thread. */
        void abandonDone(boolean ok) {
        }
    }

    private final class UploadWork extends Work {
        final Upload u;
        final Set<GemmMode> modes;
        /** Bytes of DATA: codes (as encoded) + scales + zeros. */
        final long total;
        /** Bytes reserved against the resident limits (codes counted as U8). */
        final long resident;
        final boolean packedCodes;
        final long codesBytes;
        final long scalesEnd;
        /** Receives the DATA straight into the arrays the weights will own. Event loop, then the device thread. */
        final QuantizedWeights.Builder weights;
        /** The first value the builder refused; reported once the CRC is known to be right. */
        IllegalArgumentException invalid;
        final CRC32C crc = new CRC32C();
        volatile WeightHandle result;
        boolean reservationHeld = true;

        UploadWork(long id, Upload u, Set<GemmMode> modes, long total, long resident) {
            super(id);
            this.u = u;
            this.modes = modes;
            this.total = total;
            this.resident = resident;
            this.packedCodes = u.getCodesEncoding() == CodesEncoding.CODES_ENCODING_PACKED;
            this.codesBytes = u.getCodesBytes();
            this.scalesEnd = codesBytes + u.getScalesBytes();
            this.weights = QuantizedWeights.builder(u.getK(), u.getN(), u.getBits(), u.getGroupSize(),
                    u.getGroupCols(), u.getSymmetric());
        }

        @Override
        void accept(ByteBuf chunk, long off) {
            ByteBuffer nio = chunk.nioBuffer();
            crc.update(nio.duplicate());
            if (invalid != null) {
                return;
            }
            // codes || scales || zeros, each part put where it belongs as it arrives
            long pos = off;
            try {
                while (nio.hasRemaining()) {
                    long end = pos < codesBytes ? codesBytes : pos < scalesEnd ? scalesEnd : total;
                    int len = (int) Math.min(nio.remaining(), end - pos);
                    ByteBuffer part = nio.slice(nio.position(), len);
                    nio.position(nio.position() + len);
                    if (pos < codesBytes) {
                        if (packedCodes) {
                            weights.putPackedCodes(pos, part);
                        } else {
                            weights.putCodes(pos, part);
                        }
                    } else if (pos < scalesEnd) {
                        weights.putScales(pos - codesBytes, part);
                    } else {
                        weights.putZeros(pos - scalesEnd, part);
                    }
                    pos += len;
                }
            } catch (IllegalArgumentException e) {
                invalid = e;
            }
        }

        @Override
        void received() {
            int got = (int) crc.getValue();
            if (got != u.getCrc32C()) {
                releaseReservation();
                sendError(id, ErrorCode.CHECKSUM_MISMATCH, "upload of " + Protos.bytes(total)
                        + ": CRC32C of the received bytes is 0x" + Integer.toHexString(got) + " but the header says 0x"
                        + Integer.toHexString(u.getCrc32C()) + "; the weights were discarded, upload them again");
                return;
            }
            admit(this);
        }

        private void releaseReservation() {
            if (reservationHeld) {
                reservationHeld = false;
                residentBytes -= resident;
                server.releaseResident(resident);
            }
        }

        @Override
        void run() {
            if (invalid != null) {
                throw invalid;
            }
            QuantizedWeights w = weights.build();   // validates; the weights take the arrays over
            WeightHandle h;
            server.uploadGate.writeLock().lock();   // event loops stop submitting GEMMs meanwhile
            try {
                h = server.device.upload(w, modes);
            } finally {
                server.uploadGate.writeLock().unlock();
            }
            result = h;
            server.uploadLatencyUs.recordValue(Math.max(0, (System.nanoTime() - acceptedNanos) / 1000));
            server.uploadsCompleted.increment();
            done(this, null, null, null);
        }

        @Override
        void finishOnLoop(boolean ok) {
            if (!ok) {
                releaseReservation();
                return;
            }
            if (closed || answered) {
                return; // abandonDone frees it
            }
            reservationHeld = false; // now held by the handle
            SessionHandle sh = new SessionHandle(nextHandle++, result, resident);
            handles.put(sh.id, sh);
            live.add(sh);
            lateReply = Envelope.newBuilder().setRequestId(id).setUploaded(Uploaded.newBuilder()
                    .setHandle(sh.id).setDeviceBytes(result.deviceBytes()).setResidentBytes(resident)).build();
        }

        @Override
        void abandonParked() {
            if (reservationHeld) {
                reservationHeld = false;
                residentBytes -= resident;
                server.releaseResident(resident);
            }
        }

        @Override
        void abandonDone(boolean ok) {
            WeightHandle h = result;
            if (ok && h != null && reservationHeld) {
                reservationHeld = false;
                server.cleanupExecutor.execute(() -> {
                    try {
                        h.close();
                    } finally {
                        server.releaseResident(resident);
                    }
                });
            }
        }
    }

    private final class GemmWork extends Work {
        final Gemm g;
        final SessionHandle h;
        final GemmMode mode;
        final OutputType out;
        /** A's bit patterns, decoded from the DATA as it arrives. */
        final short[] a;
        final Tensors.Receiver rx;
        /** C's DATA frame size, fixed at the handshake. */
        final int chunk;
        final long reqBytes;
        boolean used = true;
        private final AtomicBoolean inflightHeld = new AtomicBoolean(true);

        GemmWork(long id, Gemm g, SessionHandle h, GemmMode mode, OutputType out, long reqBytes) {
            super(id);
            this.g = g;
            this.h = h;
            this.mode = mode;
            this.out = out;
            this.reqBytes = reqBytes;
            this.a = new short[Math.toIntExact((long) g.getM() * g.getK())];
            this.rx = Tensors.Receiver.of(a);
            this.chunk = chunkBytes;
        }

        /** Returns the request's share of the server's in-flight GEMM bytes, once. */
        void releaseInflight() {
            if (inflightHeld.compareAndSet(true, false)) {
                server.releaseInflight(reqBytes);
            }
        }

        @Override
        void accept(ByteBuf piece, long off) {
            rx.accept(piece);   // pieces arrive in order (off == bytes received so far)
        }

        @Override
        void received() {
            admit(this);
        }

        @Override
        void run() {
            GemmRequest req = new GemmRequest(h.wh, Fp16Matrix.ofBits(g.getM(), g.getK(), a), mode, out,
                    Duration.ofMillis(g.getDeadlineMs()));
            CompletableFuture<GemmResult> f = server.device.submit(req);
            future = f;
            if (cancelled) {
                f.cancel(false);
            }
            f.whenComplete((r, ex) -> {
                if (ex != null) {
                    done(this, null, null, ex);
                    return;
                }
                // C straight from the result's array into direct frame buffers, here on the
                // device's completion thread; the event loop only writes them
                List<ByteBuf> data;
                try {
                    data = r.type() == OutputType.F16 ? Tensors.data(ch.alloc(), id, r.f16Bits(), chunk)
                            : Tensors.data(ch.alloc(), id, r.f32Bits(), chunk);
                } catch (RuntimeException | Error e) {
                    done(this, null, null, e);
                    return;
                }
                server.gemmLatencyUs.recordValue(Math.max(0, (System.nanoTime() - acceptedNanos) / 1000));
                server.gemmsCompleted.increment();
                Envelope reply = Envelope.newBuilder().setRequestId(id).setGemmDone(GemmDone.newBuilder()
                        .setM(r.m()).setN(r.n()).setOutput(Protos.toProto(r.type()))
                        .setStats(Protos.toProto(r.stats())).setDeviceNanos(r.deviceNanos())).build();
                done(this, reply, data, null);
            });
        }

        @Override
        void finishOnLoop(boolean ok) {
            unuseOnce();
        }

        @Override
        void abandonParked() {
            unuseOnce();
            releaseInflight();
        }

        @Override
        void abandonDone(boolean ok) {
            releaseInflight();
        }

        private void unuseOnce() {
            if (used) {
                used = false;
                h.unuse();
            }
        }
    }

    private final class FreeWork extends Work {
        final SessionHandle handle;

        FreeWork(long id, SessionHandle handle) {
            super(id);
            this.handle = handle;
        }

        @Override
        void run() {
            handle.release();
            done(this, Envelope.newBuilder().setRequestId(id).setFreed(Freed.getDefaultInstance()).build(), null, null);
        }

        @Override
        void finishOnLoop(boolean ok) {
            live.remove(handle);
            residentBytes -= handle.resident;
        }
    }

    private final class StatsWork extends Work {
        StatsWork(long id) {
            super(id);
        }

        @Override
        void run() {
            io.pacq.DeviceCounters dc = server.device.counters();
            done(this, Envelope.newBuilder().setRequestId(id).setStats(server.stats(dc)).build(), null, null);
        }
    }
}
