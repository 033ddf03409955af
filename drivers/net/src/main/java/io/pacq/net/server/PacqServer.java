package io.pacq.net.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.pacq.Device;
import io.pacq.DeviceCounters;
import io.pacq.LinkException;
import io.pacq.PacqException;
import io.pacq.net.internal.FrameDecoder;
import io.pacq.net.internal.Frames;
import io.pacq.proto.ServerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The remote device server: puts one local {@link Device} behind the pacq protocol
 * (docs/network.md) for any number of clients, each in its own session with its own weights.
 *
 * <pre>{@code
 * try (Device dev = Device.open("emu:");
 *      PacqServer server = PacqServer.start(dev, ServerConfig.builder().port(7070).build())) {
 *     server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>The server does not own the device: {@link #stop} frees every session's weights but leaves
 * the device open. Thread-safe.
 */
public final class PacqServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacqServer.class);

    /** Write-buffer water marks: well above Netty's 32/64 KiB so a 1 MiB chunk does not flip writability. */
    static final int LOW_WATER_MARK = 2 << 20;
    static final int HIGH_WATER_MARK = 8 << 20;
    /** Largest socket read, bytes. */
    static final int MAX_READ_BYTES = 2 << 20;
    /** Grace given to in-flight requests by {@link #close()}. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    private final ServerContext ctx;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup channels = new DefaultChannelGroup("pacq-serve", GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;
    private final InetSocketAddress address;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private boolean stopped;

    private PacqServer(Device device, ServerConfig config) {
        this.ctx = new ServerContext(device, config);
        SslContext ssl = null;
        if (config.tls()) {
            try {
                ssl = SslContextBuilder.forServer(config.tlsCert().toFile(), config.tlsKey().toFile()).build();
            } catch (Exception e) {
                throw new PacqException("cannot load the TLS certificate " + config.tlsCert() + " and key "
                        + config.tlsKey() + " (expected PEM files, the key in PKCS#8): " + e.getMessage(), e);
            }
        }
        SslContext sslContext = ssl;
        this.boss = new NioEventLoopGroup(1, new DefaultThreadFactory("pacq-serve-accept", true));
        this.workers = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("pacq-serve-io", true));
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                // reads of up to a whole chunk: fewer, larger copies into the frame decoder
                .childOption(ChannelOption.RCVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(512, 64 * 1024, MAX_READ_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (sslContext != null) {
                            p.addLast("tls", sslContext.newHandler(ch.alloc()));
                        }
                        p.addLast("idle", new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0,
                                TimeUnit.MILLISECONDS));
                        FrameDecoder decoder = new FrameDecoder(Frames.HANDSHAKE_MAX_FRAME_BYTES);
                        p.addLast("frames", decoder);
                        p.addLast("session", new ServerHandler(ctx, decoder));
                    }
                });
        try {
            this.serverChannel = b.bind(config.bindAddress(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            shutdownGroups();
            throw new LinkException("cannot listen on " + config.bindAddress() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        this.address = (InetSocketAddress) serverChannel.localAddress();
        log.info("serving {} on {}:{} ({}{}); limits: {} clients, {} frame bytes, {} resident bytes ({} per client)",
                device.info().uri(), address.getHostString(), address.getPort(), config.tls() ? "TLS" : "plain TCP",
                config.token() == null ? ", no token" : ", token required", config.maxClients(),
                config.maxFrameBytes(), config.maxResidentBytes(), config.maxClientResidentBytes());
        InetAddress bound = address.getAddress();
        if (!bound.isLoopbackAddress() && config.token() == null) {
            log.warn("listening on {} without an auth token: anyone who can reach this port can use the device",
                    bound.getHostAddress());
        }
        log.debug("{}", config);
    }

    /**
     * Binds and starts serving.
     *
     * @throws LinkException when the address cannot be bound
     * @throws PacqException when the TLS files cannot be loaded
     */
    public static PacqServer start(Device device, ServerConfig config) {
        return new PacqServer(device, config);
    }

    /** The address the server listens on (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    /** The URI clients open: pacq://host:port or pacq+tls://host:port. */
    public String uri() {
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (ctx.config().tls() ? "pacq+tls://" : "pacq://") + host + ":" + address.getPort();
    }

    /** The server's counters now, with the device's. Reads the device's counters on this thread. */
    public ServerStats stats() {
        DeviceCounters dc = null;
        try {
            dc = ctx.device.counters();
        } catch (RuntimeException e) {
            log.debug("device counters unavailable", e);
        }
        return ctx.stats(dc);
    }

    /** Clients connected now. */
    public int clients() {
        return ctx.clients.get();
    }

    /** Resident weight bytes held for all sessions (0 once every session has gone). */
    public long residentBytes() {
        return ctx.residentBytes();
    }

    /**
     * Stops: takes no new connections, answers new requests with SHUTTING_DOWN, tells clients
     * (Goodbye), lets in-flight requests finish for up to {@code grace}, then closes every
     * connection and frees every session's weights. Idempotent; blocks until done.
     */
    public void stop(Duration grace) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        ctx.draining = true;
        serverChannel.close().syncUninterruptibly();
        for (Channel ch : channels) {
            ServerHandler h = ch.pipeline().get(ServerHandler.class);
            if (h != null) {
                h.goodbye("the server is shutting down");
            }
        }
        while (ctx.activeRequests.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = ctx.activeRequests.get();
        if (left > 0) {
            log.warn("stopping with {} request(s) still in flight after the grace period of {} ms", left,
                    grace.toMillis());
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownGroups();
        ctx.deviceExecutor.shutdown();
        ctx.cleanupExecutor.shutdown();
        try {
            ctx.deviceExecutor.awaitTermination(10, TimeUnit.SECONDS);
            ctx.cleanupExecutor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopped; served {} session(s), {} GEMM(s); {} resident bytes left", ctx.clientsAccepted.sum(),
                ctx.gemmsCompleted.sum(), ctx.residentBytes());
        terminated.countDown();
    }

    private void shutdownGroups() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** {@link #stop} with {@link #DEFAULT_GRACE}. */
    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }
}
