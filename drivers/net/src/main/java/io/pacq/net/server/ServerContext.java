package io.pacq.net.server;

import io.pacq.Device;
import io.pacq.DeviceCounters;
import io.pacq.proto.ErrorCode;
import io.pacq.proto.ServerStats;
import org.HdrHistogram.ConcurrentHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What all sessions of one server share: the device, its executor and admission permits, the
 * resident-weight budget and the counters. Thread-safe.
 *
 * <p>Device work (uploads, frees, statistics, and GEMM submissions while an upload holds
 * {@link #uploadGate}) runs on {@link #deviceExecutor}, never on an event loop; other GEMMs are
 * submitted by the event loop (submission does not block). The queue is bounded: a session takes a permit before it queues work
 * and gives it back when the device has finished it (for a GEMM: when the result is in), so the
 * permits bound everything queued on or running in the device. A session that finds no permit
 * parks its work, stops reading from its socket and is woken when a permit comes back.
 */
final class ServerContext {
    private static final Logger log = LoggerFactory.getLogger(ServerContext.class);

    final Device device;
    final ServerConfig config;
    final long startNanos = System.nanoTime();
    final ExecutorService deviceExecutor;
    /** Frees what closed sessions held; one task per closed session, so naturally bounded. */
    final ExecutorService cleanupExecutor;

    /**
     * Held (write) by a device thread while it uploads: a device may hold its own lock for the
     * whole upload (LinkDevice does), and an event loop must not wait for that. An event loop
     * submits a GEMM itself only when it gets the read side at once; otherwise the GEMM goes to
     * the device threads.
     */
    final ReentrantReadWriteLock uploadGate = new ReentrantReadWriteLock();
    private final AtomicInteger permits;
    private final ConcurrentLinkedQueue<ServerHandler> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong resident = new AtomicLong();
    private final AtomicLong inflight = new AtomicLong();
    final AtomicInteger clients = new AtomicInteger();
    final AtomicInteger activeRequests = new AtomicInteger();
    final AtomicLong sessionSeq = new AtomicLong();
    volatile boolean draining;

    // counters
    final LongAdder clientsAccepted = new LongAdder();
    final LongAdder clientsRefused = new LongAdder();
    final LongAdder gemmsReceived = new LongAdder();
    final LongAdder gemmsCompleted = new LongAdder();
    final LongAdder uploadsCompleted = new LongAdder();
    final LongAdder frees = new LongAdder();
    final LongAdder cancels = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);
    /** Microseconds, 3 significant digits, auto-resizing. */
    final ConcurrentHistogram gemmLatencyUs = new ConcurrentHistogram(3);
    final ConcurrentHistogram uploadLatencyUs = new ConcurrentHistogram(3);

    ServerContext(Device device, ServerConfig config) {
        this(device, config, null);
    }

    /**
     * With executors replaced (tests drive handlers on an EmbeddedChannel, whose event loop is
     * the test thread, with device work run inline); null: the real ones.
     */
    ServerContext(Device device, ServerConfig config, ExecutorService inline) {
        this.device = device;
        this.config = config;
        this.permits = new AtomicInteger(config.deviceQueueCapacity());
        for (ErrorCode c : ErrorCode.values()) {
            if (c != ErrorCode.UNRECOGNIZED) {
                errors.put(c, new LongAdder());
            }
        }
        if (inline != null) {
            this.deviceExecutor = inline;
            this.cleanupExecutor = inline;
            return;
        }
        AtomicInteger n = new AtomicInteger();
        // Queue bound = permits: work is only queued with a permit, so execute() never finds it full.
        this.deviceExecutor = new ThreadPoolExecutor(config.deviceThreads(), config.deviceThreads(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.deviceQueueCapacity()), r -> {
                    Thread t = new Thread(r, "pacq-serve-device-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (r, ex) -> {
                    throw new java.util.concurrent.RejectedExecutionException("device queue full or stopped");
                });
        this.cleanupExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pacq-serve-cleanup");
            t.setDaemon(true);
            return t;
        });
    }

    /** The configuration. */
    ServerConfig config() {
        return config;
    }

    /** Wakes a parked session when a permit is free (passes on a wake-up nobody could use). */
    void nudge() {
        if (permits.get() > 0) {
            ServerHandler w = waiters.poll();
            if (w != null) {
                w.wakeUp();
            }
        }
    }

    /** Takes a device-queue permit if one is free. */
    boolean tryAcquire() {
        while (true) {
            int p = permits.get();
            if (p == 0) {
                return false;
            }
            if (permits.compareAndSet(p, p - 1)) {
                return true;
            }
        }
    }

    /** Gives a permit back and wakes one parked session. */
    void release() {
        permits.incrementAndGet();
        ServerHandler w = waiters.poll();
        if (w != null) {
            w.wakeUp();
        }
    }

    /** Parks a session until a permit comes back. */
    void await(ServerHandler h) {
        waiters.add(h);
    }

    /** Forgets a parked session (it closed). */
    void forget(ServerHandler h) {
        waiters.remove(h);
    }

    /** Device operations queued or running. */
    int queueDepth() {
        return config.deviceQueueCapacity() - permits.get();
    }

    /** Reserves resident bytes against the server-wide limit; false when they would exceed it. */
    boolean reserveResident(long bytes) {
        while (true) {
            long r = resident.get();
            if (r + bytes > config.maxResidentBytes()) {
                return false;
            }
            if (resident.compareAndSet(r, r + bytes)) {
                return true;
            }
        }
    }

    /** Returns resident bytes. */
    void releaseResident(long bytes) {
        long r = resident.addAndGet(-bytes);
        if (r < 0) {
            log.error("resident byte accounting went negative ({}); this is a server bug", r);
        }
    }

    /** Reserves GEMM activation + output bytes against the server-wide limit. */
    boolean reserveInflight(long bytes) {
        while (true) {
            long r = inflight.get();
            if (r + bytes > config.maxInflightBytes()) {
                return false;
            }
            if (inflight.compareAndSet(r, r + bytes)) {
                return true;
            }
        }
    }

    /** Returns GEMM bytes. */
    void releaseInflight(long bytes) {
        if (inflight.addAndGet(-bytes) < 0) {
            log.error("in-flight byte accounting went negative; this is a server bug");
        }
    }

    /** GEMM activation + output bytes held for requests in flight. */
    long inflightBytes() {
        return inflight.get();
    }

    /** Resident weight bytes of all sessions, including uploads under way. */
    long residentBytes() {
        return resident.get();
    }

    /** Counts an error sent to a client. */
    void countError(ErrorCode code) {
        LongAdder a = errors.get(code);
        if (a != null) {
            a.increment();
        }
    }

    /** A snapshot of the counters. */
    ServerStats stats(DeviceCounters dc) {
        ServerStats.Builder b = ServerStats.newBuilder()
                .setUptimeMs(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos))
                .setClientsConnected(clients.get()).setClientsAccepted(clientsAccepted.sum())
                .setClientsRefused(clientsRefused.sum()).setGemmsReceived(gemmsReceived.sum())
                .setGemmsCompleted(gemmsCompleted.sum()).setUploadsCompleted(uploadsCompleted.sum())
                .setFrees(frees.sum()).setCancels(cancels.sum()).setBytesReceived(bytesReceived.sum())
                .setBytesSent(bytesSent.sum()).setResidentBytes(resident.get())
                .setMaxResidentBytes(config.maxResidentBytes()).setDeviceQueueDepth(queueDepth())
                .setDeviceQueueCapacity(config.deviceQueueCapacity())
                .setGemmLatencyP50Us(gemmLatencyUs.getValueAtPercentile(50))
                .setGemmLatencyP90Us(gemmLatencyUs.getValueAtPercentile(90))
                .setGemmLatencyP99Us(gemmLatencyUs.getValueAtPercentile(99))
                .setGemmLatencyMaxUs(gemmLatencyUs.getMaxValue())
                .setUploadLatencyP50Us(uploadLatencyUs.getValueAtPercentile(50))
                .setUploadLatencyP99Us(uploadLatencyUs.getValueAtPercentile(99));
        errors.forEach((code, n) -> {
            long v = n.sum();
            if (v != 0) {
                b.putErrors(code.name(), v);
            }
        });
        if (dc != null) {
            b.setDeviceCommandsSubmitted(dc.commandsSubmitted()).setDeviceCommandsCompleted(dc.commandsCompleted())
                    .setDeviceCommandsFailed(dc.commandsFailed()).setDeviceBytesInUse(dc.deviceBytesInUse())
                    .setDeviceLiveHandles(dc.liveHandles());
        }
        return b.build();
    }
}
