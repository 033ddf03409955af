package io.pacq.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pacq.DeviceException;
import io.pacq.DeviceMemoryException;
import io.pacq.DeviceTimeoutException;
import io.pacq.IncompatibleDeviceException;
import io.pacq.InvalidRequestException;
import io.pacq.LinkException;
import io.pacq.PacqException;
import io.pacq.net.internal.Frame;
import io.pacq.net.internal.FrameDecoder;
import io.pacq.net.internal.Frames;
import io.pacq.net.internal.ProtocolException;
import io.pacq.net.internal.Tensors;
import io.pacq.proto.Cancel;
import io.pacq.proto.Envelope;
import io.pacq.proto.ErrorCode;
import io.pacq.proto.Hello;
import io.pacq.proto.Ping;
import io.pacq.proto.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection to a server and the session the server keeps for it: requests in flight by
 * id, their deadlines, and the frames that answer them. Thread-safe: calls are registered from
 * any thread; frames are read on the channel's event loop.
 */
final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    /** Client event loops, shared by every remote device of the JVM (daemon threads). */
    private static final class Loops {
        static final EventLoopGroup GROUP = new NioEventLoopGroup(
                Math.min(2, Runtime.getRuntime().availableProcessors()), new DefaultThreadFactory("pacq-net-client", true));
    }

    /** Frames at least this large are flushed at once rather than with the rest of their request. */
    static final int FLUSH_BYTES = 256 << 10;
    static final int LOW_WATER_MARK = 2 << 20;
    static final int HIGH_WATER_MARK = 8 << 20;

    final NetDevice device;
    final long seq;
    final CompletableFuture<Session> ready = new CompletableFuture<>();
    final ConcurrentHashMap<Long, Call<?>> calls = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    volatile Channel channel;
    volatile Welcome welcome;
    volatile boolean dead;
    volatile String deathReason;
    private volatile String fatalFromServer;
    volatile boolean goodbye;
    private ScheduledFuture<?> pinger;

    private Session(NetDevice device, long seq) {
        this.device = device;
        this.seq = seq;
    }

    /** Connects and completes {@link #ready} once the server has welcomed the session. */
    static Session connect(NetDevice device, long seq, NetDeviceProvider.Target t, SslContext ssl) {
        Session s = new Session(device, seq);
        Bootstrap b = new Bootstrap().group(Loops.GROUP).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, t.connectTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            SslHandler h = ssl.newHandler(ch.alloc(), t.host(), t.port());
                            SSLEngine engine = h.engine();
                            SSLParameters p = engine.getSSLParameters();
                            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                            engine.setSSLParameters(p);
                            ch.pipeline().addLast("tls", h);
                        }
                        ch.pipeline().addLast("frames", new FrameDecoder(Frames.DEFAULT_MAX_FRAME_BYTES));
                        ch.pipeline().addLast("session", s.new Handler());
                    }
                });
        ChannelFuture cf = b.connect(t.host(), t.port());
        s.channel = cf.channel();
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                s.ready.completeExceptionally(new LinkException("cannot connect to " + t.uri() + ": "
                        + describe(f.cause()) + "; is `pacq serve` running there?", f.cause()));
                return;
            }
            SslHandler tls = s.channel.pipeline().get(SslHandler.class);
            if (tls == null) {
                s.hello();
            } else {
                tls.handshakeFuture().addListener(hf -> {
                    if (hf.isSuccess()) {
                        s.hello();
                    } else {
                        s.ready.completeExceptionally(new LinkException("TLS handshake with " + t.uri() + " failed: "
                                + describe(hf.cause()), hf.cause()));
                        s.channel.close();
                    }
                });
            }
        });
        s.channel.eventLoop().schedule(() -> {
            if (!s.ready.isDone()) {
                s.ready.completeExceptionally(new LinkException("no answer to the handshake from " + t.uri()
                        + " within " + t.connectTimeoutMs() + " ms"));
                s.channel.close();
            }
        }, t.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        return s;
    }

    private static String describe(Throwable t) {
        while (t.getCause() != null && (t.getMessage() == null || t instanceof DecoderException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private void hello() {
        Hello.Builder h = Hello.newBuilder().setVersion(Frames.version()).setClientName(device.options().clientName());
        if (device.options().authToken() != null) {
            h.setAuthToken(device.options().authToken());
        }
        write(List.of(Frames.message(channel.alloc(), Envelope.newBuilder().setHello(h).build())));
    }

    private void welcomed(Welcome w) {
        if (w.getVersion().getMajor() != Frames.PROTOCOL_MAJOR) {
            ready.completeExceptionally(new IncompatibleDeviceException("server " + device.uri() + " speaks protocol "
                    + w.getVersion().getMajor() + "." + w.getVersion().getMinor() + " but this client speaks "
                    + Frames.PROTOCOL_MAJOR + "." + Frames.PROTOCOL_MINOR));
            channel.close();
            return;
        }
        welcome = w;
        long idle = w.getIdleTimeoutMs();
        if (idle > 0) {
            long every = Math.max(50, idle / 3);
            pinger = channel.eventLoop().scheduleAtFixedRate(() -> write(List.of(Frames.message(channel.alloc(),
                    Envelope.newBuilder().setPing(Ping.newBuilder().setNanos(System.nanoTime())).build()))),
                    every, every, TimeUnit.MILLISECONDS);
        }
        ready.complete(this);
    }

    /** Payload bytes per DATA frame the server accepts. */
    int chunkBytes() {
        return welcome.getChunkBytes() > 0 ? Math.min(welcome.getChunkBytes(), Frames.MAX_CHUNK_BYTES)
                : Frames.MAX_CHUNK_BYTES;
    }

    /** The minor protocol version the server announced (features of later minors must not be used). */
    int serverMinor() {
        return welcome.getVersion().getMinor();
    }

    /** The server's session id. */
    String id() {
        Welcome w = welcome;
        return w == null ? null : w.getSessionId();
    }

    // ------------------------------------------------------------------------------- calls

    /**
     * Sends a request: its header message and its DATA frames, contiguously, and arms its
     * deadline. The call is failed at once when the session is dead.
     */
    <T> void send(Call<T> c, Envelope.Builder header, byte[]... payload) {
        send(c, header, (alloc, id, chunk) -> {
            List<ByteBuf> frames = new ArrayList<>();
            for (byte[] p : payload) {
                if (p != null) {
                    frames.addAll(Frames.data(alloc, id, p, chunk));
                }
            }
            return frames;
        });
    }

    /**
     * Sends a request whose DATA is FP16 bit patterns, encoded by the calling thread straight
     * from the array into direct frame buffers (no intermediate byte array).
     */
    <T> void send(Call<T> c, Envelope.Builder header, short[] payload) {
        send(c, header, (alloc, id, chunk) -> Tensors.data(alloc, id, payload, chunk));
    }

    /** Makes the DATA frames of a request once its id is known. */
    private interface DataFrames {
        List<ByteBuf> make(ByteBufAllocator alloc, long id, int chunkBytes);
    }

    private <T> void send(Call<T> c, Envelope.Builder header, DataFrames data) {
        long id = register(c);
        if (id < 0) {
            return;
        }
        Envelope env = header.setRequestId(id).build();
        List<ByteBuf> frames = new ArrayList<>();
        frames.add(Frames.message(channel.alloc(), env));
        try {
            frames.addAll(data.make(channel.alloc(), id, chunkBytes()));
        } catch (RuntimeException | Error e) {
            frames.forEach(ReferenceCountUtil::release);
            c.fail(new LinkException(c.what + " to " + device.uri() + " could not be sent: " + describe(e), e));
            return;
        }
        write(frames);
    }

    /** The DATA of a request made a chunk at a time, in order, by the thread that sends it. */
    interface ChunkSource {
        /** How many chunks there are (each at most {@link #chunkBytes()} bytes). */
        int chunks();

        /** The next chunk; the caller owns it. */
        ByteBuf next(ByteBufAllocator alloc);
    }

    /**
     * Sends a request whose DATA is made as it is sent: the header message, then each chunk as
     * one DATA frame as soon as it is made, so the server starts on the first while the next is
     * copied. Off the event loop the producer (the calling thread) waits while the channel is not
     * writable, so a large payload is never all in memory at once; one such request streams at a
     * time per session (others wait their turn, until their deadline), so the server sees at most
     * this transfer plus one contiguous request unfinished at once, well within its
     * per-session transfer limit. Frames of other requests may come between the DATA frames (the
     * protocol allows it), never inside one. On the event loop, which must not wait, every chunk
     * is made at once and written contiguously with the header.
     *
     * <p>Once the header is on its way all DATA is sent even when the call fails meanwhile
     * (deadline, cancel): the server reads and drops the rest. A chunk that cannot be made (out
     * of direct memory) leaves the transfer unfinishable, so the session is closed.
     */
    <T> void send(Call<T> c, Envelope.Builder header, ChunkSource data) {
        Channel ch = channel;
        long id = register(c);
        if (id < 0) {
            return;
        }
        if (ch.eventLoop().inEventLoop()) {
            List<ByteBuf> frames = new ArrayList<>(1 + 2 * data.chunks());
            frames.add(Frames.message(ch.alloc(), header.setRequestId(id).build()));
            try {
                for (int i = 0, n = data.chunks(); i < n; i++) {
                    ByteBuf payload = data.next(ch.alloc());
                    frames.add(Frames.dataHeader(ch.alloc(), id, payload.readableBytes()));
                    frames.add(payload);
                }
            } catch (RuntimeException | Error e) {
                frames.forEach(ReferenceCountUtil::release);
                c.fail(new LinkException(c.what + " to " + device.uri() + " could not be sent: " + describe(e), e));
                return;
            }
            write(frames);
            return;
        }
        try {
            long left = c.deadlineNanos - System.nanoTime();
            if (!streaming.tryLock(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                return; // the call's timer fails it (its Cancel names a request the server never saw)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.fail(new LinkException(c.what + " to " + device.uri() + " was interrupted before it was sent", e));
            return;
        }
        try {
            if (c.future.isDone()) {
                return; // failed (deadline, cancel, lost session) while it waited for its turn
            }
            write(List.of(Frames.message(ch.alloc(), header.setRequestId(id).build())));
            for (int i = 0, n = data.chunks(); i < n; i++) {
                if (dead) {
                    return; // the call failed with the session; the server drops the transfer with it
                }
                awaitWritable(ch, c.deadlineNanos);
                ByteBuf payload;
                try {
                    payload = data.next(ch.alloc());
                } catch (RuntimeException | Error e) {
                    log.warn("{}: closing session {}: DATA of {} could not be made: {}", device.uri(), id(), c.what,
                            describe(e));
                    die("DATA of " + c.what + " could not be made: " + describe(e));
                    return;
                }
                ByteBuf frame = Unpooled.wrappedBuffer(Frames.dataHeader(ch.alloc(), id, payload.readableBytes()),
                        payload);
                device.countSent(frame.readableBytes());
                // one message, so that nothing comes between a DATA header and its payload; written
                // from this thread, the event loop queues it behind the header and counts it against
                // the water marks at once
                ch.writeAndFlush(frame, ch.voidPromise());
            }
        } finally {
            streaming.unlock();
        }
    }

    /** Registers a call and arms its deadline; -1 when it failed at once (dead session, deadline passed). */
    private long register(Call<?> c) {
        long id = ids.incrementAndGet();
        c.bind(this, id);
        calls.put(id, c);
        if (dead) {
            c.fail(lost(c));
            return -1;
        }
        long left = c.deadlineNanos - System.nanoTime();
        if (left <= 0) {
            c.fail(new DeviceTimeoutException(c.what + " on " + device.uri() + " missed its deadline before it was sent"));
            return -1;
        }
        c.timer = channel.eventLoop().schedule(() -> c.timeout(), left, TimeUnit.NANOSECONDS);
        c.future.whenComplete((r, ex) -> {
            if (ex instanceof java.util.concurrent.CancellationException && calls.remove(id, c)) {
                c.cancelTimer();
                device.countCancelled();
                sendCancel(id);
            }
        });
        return id;
    }

    /** One streaming send at a time per session (see {@link #send(Call, Envelope.Builder, ChunkSource)}). */
    private final java.util.concurrent.locks.ReentrantLock streaming = new java.util.concurrent.locks.ReentrantLock();
    private final Object writability = new Object();

    /**
     * Waits (off the event loop) until the channel is writable, the session dies or the deadline
     * passes. Past its deadline a call no longer waits: the rest of its DATA is queued at once
     * (it must be sent anyway) so that the caller's thread is back within the deadline.
     */
    private void awaitWritable(Channel ch, long deadlineNanos) {
        synchronized (writability) {
            while (!ch.isWritable() && !dead && ch.isActive()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    // the notify comes from the event loop; the bound is a safety net
                    writability.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Wakes a producer waiting in {@link #awaitWritable}. Any thread. */
    private void writabilityChanged() {
        synchronized (writability) {
            writability.notifyAll();
        }
    }

    void sendCancel(long id) {
        if (!dead) {
            write(List.of(Frames.message(channel.alloc(), Envelope.newBuilder().setRequestId(id)
                    .setCancel(Cancel.getDefaultInstance()).build())));
        }
    }

    /** Writes frames in one event-loop task so that frames of one request stay together. */
    private void write(List<ByteBuf> frames) {
        long bytes = 0;
        for (ByteBuf f : frames) {
            bytes += f.readableBytes();
        }
        device.countSent(bytes);
        Channel ch = channel;
        Runnable w = () -> {
            if (!ch.isActive()) {
                frames.forEach(ReferenceCountUtil::release);
                return;
            }
            for (ByteBuf f : frames) {
                boolean big = f.readableBytes() >= FLUSH_BYTES;
                ch.write(f, ch.voidPromise());
                if (big) {
                    ch.flush(); // let the server start on a large payload while the rest is copied out
                }
            }
            ch.flush();
        };
        try {
            if (ch.eventLoop().inEventLoop()) {
                w.run();
            } else {
                ch.eventLoop().execute(w);
            }
        } catch (RejectedExecutionException e) {
            frames.forEach(ReferenceCountUtil::release);
        }
    }

    /** The exception for a call that was in flight when the connection went. */
    LinkException lost(Call<?> c) {
        String why = deathReason == null ? "the connection closed" : deathReason;
        return new LinkException("connection to " + device.uri() + " lost while " + c.what + " was in flight: " + why
                + ". The server freed this session's weights; " + (device.reupload()
                ? "they are uploaded again on their next use." : "upload them again (reupload=false)."));
    }

    /** Marks the session dead and fails everything in flight. Idempotent; any thread. */
    void die(String reason) {
        if (dead) {
            return;
        }
        deathReason = reason;
        dead = true;
        writabilityChanged();
        if (pinger != null) {
            pinger.cancel(false);
        }
        ready.completeExceptionally(new LinkException("connection to " + device.uri() + " failed during the handshake: "
                + reason));
        for (Call<?> c : new ArrayList<>(calls.values())) {
            c.fail(lost(c));
        }
        device.sessionDied(this);
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** Closes the connection (the server frees the session). */
    void close() {
        die("the device was closed");
    }

    /** The exception for an error the server sent about a request. */
    PacqException toException(io.pacq.proto.Error e, String what) {
        String msg = what + " failed on " + device.uri() + ": " + e.getMessage() + " [server error " + e.getCode() + "]";
        return switch (e.getCode()) {
            case INVALID_REQUEST, UNKNOWN_HANDLE -> new InvalidRequestException(msg);
            case INCOMPATIBLE, VERSION_MISMATCH -> new IncompatibleDeviceException(msg);
            case DEVICE_MEMORY -> new DeviceMemoryException(msg);
            case DEVICE_ERROR -> new DeviceException(e.getDeviceStatus(), e.getDeviceInfo(), msg);
            case DEADLINE_EXCEEDED -> new DeviceTimeoutException(msg);
            case LINK, CHECKSUM_MISMATCH -> new LinkException(msg);
            default -> new RemoteException(e.getCode().name(), msg);
        };
    }

    // ------------------------------------------------------------------------------ handler

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Frame.Message m) {
                    Envelope e = m.envelope();
                    device.countReceived(Frames.LENGTH_BYTES + 1 + e.getSerializedSize());
                    onMessage(e);
                } else if (msg instanceof Frame.Data d) {
                    device.countReceived(Frames.LENGTH_BYTES + Frames.DATA_OVERHEAD + d.payload().readableBytes());
                    Call<?> c = calls.get(d.requestId());
                    if (c != null) {
                        c.onData(d.payload());  // else: late data of a call that timed out or was cancelled
                    }
                }
            } catch (ProtocolException e) {
                log.warn("{}: {}", device.uri(), e.getMessage());
                die("the server broke the protocol: " + e.getMessage());
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onMessage(Envelope e) {
            long id = e.getRequestId();
            if (id == 0) {
                switch (e.getBodyCase()) {
                    case WELCOME -> welcomed(e.getWelcome());
                    case ERROR -> {
                        io.pacq.proto.Error err = e.getError();
                        fatalFromServer = err.getMessage() + " [server error " + err.getCode() + "]";
                        if (!ready.isDone()) {
                            ready.completeExceptionally(handshakeError(err));
                        }
                        die("the server closed the session: " + fatalFromServer);
                    }
                    case GOODBYE -> {
                        goodbye = true;
                        log.info("{}: server says goodbye: {}", device.uri(), e.getGoodbye().getReason());
                    }
                    case PONG -> { }
                    default -> throw new ProtocolException(ErrorCode.PROTOCOL, "unexpected " + e.getBodyCase()
                            + " for request id 0");
                }
                return;
            }
            Call<?> c = calls.get(id);
            if (c == null) {
                return; // an answer to a call that timed out or was cancelled
            }
            if (e.hasError()) {
                c.fail(toException(e.getError(), c.what));
            } else {
                c.onMessage(e);
            }
        }

        private PacqException handshakeError(io.pacq.proto.Error err) {
            String msg = "server " + device.uri() + " refused the session: " + err.getMessage() + " [server error "
                    + err.getCode() + "]";
            if (err.getCode() == ErrorCode.VERSION_MISMATCH) {
                return new IncompatibleDeviceException(msg);
            }
            return new RemoteException(err.getCode().name(), msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writabilityChanged();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            writabilityChanged();
            die(fatalFromServer != null ? "the server closed the session: " + fatalFromServer
                    : goodbye ? "the server shut down" : "the server closed the connection");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String why = cause instanceof DecoderException && cause.getCause() instanceof ProtocolException pe
                    ? "the server broke the protocol: " + pe.getMessage() : describe(cause);
            log.debug("{}: {}", device.uri(), why, cause);
            if (!ready.isDone() && channel.pipeline().get(SslHandler.class) != null) {
                ready.completeExceptionally(new LinkException("TLS with " + device.uri() + " failed: " + why, cause));
            }
            die(why);
        }
    }

    // -------------------------------------------------------------------------------- call

    /** One request in flight; completed exactly once (by answer, error, deadline or loss). */
    abstract static class Call<T> {
        final String what;
        final long deadlineNanos;
        final long deadlineMs;
        final CompletableFuture<T> future;
        /**
         * Complete {@link #future} on the thread that has the answer (the event loop) instead of
         * the device's callback thread: only for futures no user can chain on (a caller waiting
         * in {@code gemm()}), which saves a thread hand-off per call.
         */
        final boolean direct;
        Session session;
        long id;
        volatile ScheduledFuture<?> timer;

        Call(String what, long deadlineNanos, long deadlineMs, CompletableFuture<T> future) {
            this(what, deadlineNanos, deadlineMs, future, false);
        }

        Call(String what, long deadlineNanos, long deadlineMs, CompletableFuture<T> future, boolean direct) {
            this.what = what;
            this.deadlineNanos = deadlineNanos;
            this.deadlineMs = deadlineMs;
            this.future = future;
            this.direct = direct;
        }

        void bind(Session s, long id) {
            this.session = s;
            this.id = id;
        }

        /** The answer's header. Event loop. */
        abstract void onMessage(Envelope e);

        /** A chunk of the answer's DATA. Event loop. */
        void onData(ByteBuf chunk) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "DATA for request " + id + " (" + what
                    + "), which expects none");
        }

        final boolean claim() {
            if (session.calls.remove(id, this)) {
                cancelTimer();
                return true;
            }
            return false;
        }

        final void cancelTimer() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }

        final void succeed(T value) {
            if (claim()) {
                session.device.complete(future, value, null, direct);
            }
        }

        final void fail(PacqException e) {
            if (claim()) {
                session.device.complete(future, null, e, direct);
            }
        }

        void timeout() {
            if (claim()) {
                session.device.countTimeout();
                session.sendCancel(id);
                session.device.complete(future, null, new DeviceTimeoutException(what + " on " + session.device.uri()
                        + " got no answer within its deadline of " + deadlineMs + " ms; it was cancelled on the server"),
                        direct);
            }
        }
    }
}
