package io.pacq.net.server;

import io.pacq.net.internal.Frames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link PacqServer} listens on and the limits it enforces. Immutable; made with
 * {@link #builder()}. Sizes are bytes, counts are per server unless named per client.
 *
 * @param bindAddress           address to listen on; loopback by default
 * @param port                  TCP port; 0 picks a free one (see {@link PacqServer#address()})
 * @param token                 shared secret clients must present, or null for none
 * @param tlsCert               PEM certificate chain for TLS, or null for plain TCP
 * @param tlsKey                PEM PKCS#8 private key for TLS, or null
 * @param maxClients            connections served at once; more are refused with an error
 * @param maxFrameBytes         longest frame accepted after the handshake (type byte + body)
 * @param maxResidentBytes      uploaded weight bytes held for all sessions together
 * @param maxClientResidentBytes uploaded weight bytes one session may hold
 * @param maxRequestBytes       activation + output bytes of one GEMM
 * @param maxInflightBytes      activation + output bytes of all GEMMs in flight, all sessions
 * @param maxInflightPerClient  complete requests of one session worked on at once; reading from
 *                              the client pauses at this many
 * @param maxTransfersPerClient requests of one session whose DATA has not all arrived yet
 * @param deviceQueueCapacity   device operations queued or running for all sessions together;
 *                              reading from clients that want more pauses until one finishes
 * @param deviceThreads         threads that call the device (uploads block on it)
 * @param ioThreads             Netty event-loop threads
 * @param idleTimeout           a session that sends nothing and has nothing in flight for this
 *                              long, or does not read its results for this long, is closed
 * @param handshakeTimeout      time a new connection has to authenticate
 * @param serverName            name sent to clients and logged
 * @param submitOnEventLoop     GEMMs are submitted to the device by the event loop that received
 *                              them (the device's submit does not block, per {@code Device.submit});
 *                              false: by the device threads, for a device whose submit may block
 */
public record ServerConfig(String bindAddress, int port, String token, Path tlsCert, Path tlsKey, int maxClients,
                           int maxFrameBytes, long maxResidentBytes, long maxClientResidentBytes,
                           long maxRequestBytes, long maxInflightBytes, int maxInflightPerClient,
                           int maxTransfersPerClient,
                           int deviceQueueCapacity, int deviceThreads, int ioThreads, Duration idleTimeout,
                           Duration handshakeTimeout, String serverName, boolean submitOnEventLoop) {

    /** Default limits (see {@link Builder}). */
    public static final long DEFAULT_MAX_RESIDENT_BYTES = 4L << 30;

    public ServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(serverName, "serverName");
        check(port >= 0 && port <= 65535, "port must be 0 .. 65535, got " + port);
        check((tlsCert == null) == (tlsKey == null), "TLS needs both a certificate and a key file (got "
                + (tlsCert == null ? "only a key" : "only a certificate") + ")");
        check(maxClients >= 1, "max clients must be at least 1, got " + maxClients);
        check(maxFrameBytes >= Frames.MIN_MAX_FRAME_BYTES, "max frame bytes must be at least "
                + Frames.MIN_MAX_FRAME_BYTES + ", got " + maxFrameBytes);
        check(maxResidentBytes >= 0, "max resident bytes must not be negative, got " + maxResidentBytes);
        check(maxClientResidentBytes >= 0, "max resident bytes per client must not be negative, got "
                + maxClientResidentBytes);
        check(maxRequestBytes >= 1, "max request bytes must be positive, got " + maxRequestBytes);
        check(maxInflightBytes >= maxRequestBytes, "max in-flight bytes (" + maxInflightBytes
                + ") must be at least max request bytes (" + maxRequestBytes + ")");
        check(maxInflightPerClient >= 1, "max in-flight requests per client must be at least 1, got "
                + maxInflightPerClient);
        check(maxTransfersPerClient >= 1, "max transfers per client must be at least 1, got "
                + maxTransfersPerClient);
        check(deviceQueueCapacity >= 1, "device queue capacity must be at least 1, got " + deviceQueueCapacity);
        check(deviceThreads >= 1, "device threads must be at least 1, got " + deviceThreads);
        check(ioThreads >= 1, "I/O threads must be at least 1, got " + ioThreads);
        check(idleTimeout.toMillis() >= 100, "idle timeout must be at least 100 ms, got " + idleTimeout);
        check(handshakeTimeout.toMillis() >= 10, "handshake timeout must be at least 10 ms, got " + handshakeTimeout);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** True when TLS is configured. */
    public boolean tls() {
        return tlsCert != null;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.port = port;
        b.token = token;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.maxClients = maxClients;
        b.maxFrameBytes = maxFrameBytes;
        b.maxResidentBytes = maxResidentBytes;
        b.maxClientResidentBytes = maxClientResidentBytes;
        b.maxRequestBytes = maxRequestBytes;
        b.maxInflightBytes = maxInflightBytes;
        b.maxInflightPerClient = maxInflightPerClient;
        b.maxTransfersPerClient = maxTransfersPerClient;
        b.deviceQueueCapacity = deviceQueueCapacity;
        b.deviceThreads = deviceThreads;
        b.ioThreads = ioThreads;
        b.idleTimeout = idleTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.serverName = serverName;
        b.submitOnEventLoop = submitOnEventLoop;
        return b;
    }

    @Override
    public String toString() {
        // never print the token
        return "ServerConfig[bind=" + bindAddress + ":" + port + ", token=" + (token == null ? "none" : "***")
                + ", tls=" + tls() + ", maxClients=" + maxClients + ", maxFrameBytes=" + maxFrameBytes
                + ", maxResidentBytes=" + maxResidentBytes + ", maxClientResidentBytes=" + maxClientResidentBytes
                + ", maxRequestBytes=" + maxRequestBytes + ", maxInflightBytes=" + maxInflightBytes
                + ", maxInflightPerClient=" + maxInflightPerClient
                + ", maxTransfersPerClient=" + maxTransfersPerClient + ", deviceQueueCapacity=" + deviceQueueCapacity
                + ", deviceThreads=" + deviceThreads + ", ioThreads=" + ioThreads + ", idleTimeout=" + idleTimeout
                + ", handshakeTimeout=" + handshakeTimeout + ", serverName=" + serverName
                + ", submitOnEventLoop=" + submitOnEventLoop + "]";
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port = 7070;
        private String token;
        private Path tlsCert;
        private Path tlsKey;
        private int maxClients = 64;
        private int maxFrameBytes = Frames.DEFAULT_MAX_FRAME_BYTES;
        private long maxResidentBytes = DEFAULT_MAX_RESIDENT_BYTES;
        private long maxClientResidentBytes = -1;
        private long maxRequestBytes = 256L << 20;
        private long maxInflightBytes = -1;
        private int maxInflightPerClient = 64;
        private int maxTransfersPerClient = 4;
        private int deviceQueueCapacity = 256;
        private int deviceThreads = 2;
        private int ioThreads = Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors()));
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private String serverName = "pacq-server";
        private boolean submitOnEventLoop = true;

        private Builder() {}

        /** Address to listen on (default 127.0.0.1). */
        public Builder bindAddress(String a) { this.bindAddress = a; return this; }
        /** TCP port (default 7070; 0 picks a free one). */
        public Builder port(int p) { this.port = p; return this; }
        /** Shared secret, or null for none (default none). */
        public Builder token(String t) { this.token = t == null || t.isEmpty() ? null : t; return this; }
        /** TLS certificate chain and PKCS#8 key, PEM files (default: no TLS). */
        public Builder tls(Path cert, Path key) { this.tlsCert = cert; this.tlsKey = key; return this; }
        /** Connections at once (default 64). */
        public Builder maxClients(int n) { this.maxClients = n; return this; }
        /** Longest frame, bytes (default 1 MiB + 64 KiB). */
        public Builder maxFrameBytes(int n) { this.maxFrameBytes = n; return this; }
        /** Weight bytes for all sessions (default 4 GiB). */
        public Builder maxResidentBytes(long n) { this.maxResidentBytes = n; return this; }
        /** Weight bytes per session (default: the total limit). */
        public Builder maxClientResidentBytes(long n) { this.maxClientResidentBytes = n; return this; }
        /** Activation + output bytes of one GEMM (default 256 MiB). */
        public Builder maxRequestBytes(long n) { this.maxRequestBytes = n; return this; }
        /** Activation + output bytes of all GEMMs in flight (default: 4 x max request bytes). */
        public Builder maxInflightBytes(long n) { this.maxInflightBytes = n; return this; }
        /** Complete requests per session worked on at once (default 64). */
        public Builder maxInflightPerClient(int n) { this.maxInflightPerClient = n; return this; }
        /** Requests per session still receiving DATA (default 4). */
        public Builder maxTransfersPerClient(int n) { this.maxTransfersPerClient = n; return this; }
        /** Device operations queued or running (default 256). */
        public Builder deviceQueueCapacity(int n) { this.deviceQueueCapacity = n; return this; }
        /** Threads calling the device (default 2). */
        public Builder deviceThreads(int n) { this.deviceThreads = n; return this; }
        /** Event-loop threads (default min(4, processors)). */
        public Builder ioThreads(int n) { this.ioThreads = n; return this; }
        /** Idle timeout (default 5 min). */
        public Builder idleTimeout(Duration d) { this.idleTimeout = d; return this; }
        /** Handshake timeout (default 10 s). */
        public Builder handshakeTimeout(Duration d) { this.handshakeTimeout = d; return this; }
        /** Name sent to clients (default "pacq-server"). */
        public Builder serverName(String s) { this.serverName = s; return this; }
        /**
         * Whether event loops submit GEMMs to the device themselves (default true: one thread
         * hand-off fewer per GEMM); false for a device whose submit may block.
         */
        public Builder submitOnEventLoop(boolean b) { this.submitOnEventLoop = b; return this; }

        /** Validates and builds. @throws IllegalArgumentException naming the bad setting */
        public ServerConfig build() {
            return new ServerConfig(bindAddress, port, token, tlsCert, tlsKey, maxClients, maxFrameBytes,
                    maxResidentBytes, maxClientResidentBytes < 0 ? maxResidentBytes : maxClientResidentBytes,
                    maxRequestBytes, maxInflightBytes < 0 ? 4 * maxRequestBytes : maxInflightBytes,
                    maxInflightPerClient, maxTransfersPerClient, deviceQueueCapacity, deviceThreads,
                    ioThreads, idleTimeout, handshakeTimeout, serverName, submitOnEventLoop);
        }
    }
}
