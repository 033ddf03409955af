package io.pacq.xdma;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.pacq.LinkException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Host-to-card and card-to-host DMA through the XDMA channel nodes: {@code pwrite} to
 * {@code xdmaN_h2c_C} and {@code pread} from {@code xdmaN_c2h_C}, the card address being the file
 * offset.
 *
 * <pre>
 *  transfer [address, address + n)
 *    n &gt;= STRIPE_MIN_BYTES and several channels: split into page-aligned stripes, one per channel,
 *    run concurrently (the caller runs stripe 0, a pool thread each other)
 *  each stripe: chunks of at most chunkBytes, one pread/pwrite each; a chunk ends on a page
 *    boundary of the card address, so every chunk but the first starts page-aligned
 *  each chunk: copied through the channel's page-aligned staging buffer at the same offset within
 *    the page as the card address (or straight from/to a direct buffer with that congruence)
 * </pre>
 *
 * <p>Why these rules (Xilinx dma_ip_drivers, XDMA/linux-kernel/xdma): {@code check_transfer_align}
 * rejects a transfer whose buffer address and card address differ in their low bits (the engine's
 * {@code addr_align}), hence the staging buffer offset; the driver pins the user pages and builds
 * one descriptor per page, at most {@code XDMA_TRANSFER_MAX_DESC} = 2048 per hardware transfer, so
 * an 8 MiB chunk (2048 pages of 4 KiB) is one hardware transfer and a short count can be located;
 * the kernel caps one read/write at {@code MAX_RW_COUNT} = 0x7ffff000 bytes. The driver serializes
 * transfers on one engine ({@code engine->desc_lock}); channels run in parallel, so one thread per
 * channel at a time (a lock per channel) and several channels for large transfers.
 *
 * <p>Thread-safety: any thread may call; a channel is used by one thread at a time.
 */
final class DmaChannels implements AutoCloseable {
    static final int PAGE = 4096;
    private static final long PAGE_MASK = PAGE - 1;
    /** The kernel's MAX_RW_COUNT (INT_MAX rounded down to a page): the most one call can move. */
    static final long MAX_RW_COUNT = 0x7ffff000L;
    /** Largest chunk we accept: staging buffers are that big (one per channel, allocated on use). */
    static final long MAX_CHUNK_BYTES = 256L << 20;
    /** Default chunk: XDMA_TRANSFER_MAX_DESC (2048) pages, one hardware transfer. */
    static final long DEFAULT_CHUNK_BYTES = 2048L * PAGE;
    /** Transfers below this stay on one channel: splitting costs a thread hand-off. */
    static final long STRIPE_MIN_BYTES = 1L << 20;

    private final Channel[] h2c;
    private final Channel[] c2h;
    private final long chunkBytes;
    private final ExecutorService pool;

    /**
     * @param h2c        open host-to-card channel nodes (at least one); ownership passes here
     * @param c2h        open card-to-host channel nodes (at least one); ownership passes here
     * @param chunkBytes largest single call, a multiple of the page size in [PAGE, MAX_CHUNK_BYTES]
     *                   (well below the kernel's MAX_RW_COUNT)
     */
    DmaChannels(List<NativeFile> h2c, List<NativeFile> c2h, long chunkBytes) {
        if (chunkBytes < PAGE || chunkBytes > MAX_CHUNK_BYTES || (chunkBytes & PAGE_MASK) != 0) {
            throw new IllegalArgumentException("DMA chunk must be a multiple of " + PAGE + " bytes in [" + PAGE
                    + ", " + MAX_CHUNK_BYTES + "], got " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
        this.h2c = h2c.stream().map(f -> new Channel(f, chunkBytes)).toArray(Channel[]::new);
        this.c2h = c2h.stream().map(f -> new Channel(f, chunkBytes)).toArray(Channel[]::new);
        int extra = Math.max(this.h2c.length, this.c2h.length) - 1;
        if (extra > 0) {
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(extra, r -> {
                Thread t = new Thread(r, "pacq-xdma-dma-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.pool = null;
        }
    }

    int h2cChannels() {
        return h2c.length;
    }

    int c2hChannels() {
        return c2h.length;
    }

    long chunkBytes() {
        return chunkBytes;
    }

    /** Host to card: {@code src.remaining()} bytes to {@code address}; advances src on success. */
    void write(long address, ByteBuffer src) {
        transfer(h2c, true, address, src);
    }

    /** Card to host: fills {@code dst.remaining()} bytes from {@code address}; advances dst on success. */
    void read(long address, ByteBuffer dst) {
        transfer(c2h, false, address, dst);
    }

    private void transfer(Channel[] channels, boolean toCard, long address, ByteBuffer buf) {
        int n = buf.remaining();
        if (n == 0) {
            return;
        }
        if (!toCard && buf.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        if (address < 0 || address > Long.MAX_VALUE - n) {
            throw new IllegalArgumentException("card address 0x" + Long.toHexString(address) + " + " + n
                    + " bytes is out of range");
        }
        int stripes = (int) Math.min(channels.length, n / STRIPE_MIN_BYTES);
        if (stripes <= 1) {
            stripe(channels[0], toCard, address, buf, buf.position(), n);
        } else {
            // page-aligned stripe boundaries in card address space
            long per = ((n / stripes) + PAGE_MASK) & ~PAGE_MASK;
            List<Future<?>> others = new ArrayList<>();
            int base = buf.position();
            for (int s = 1; s < stripes; s++) {
                long from = Math.min(n, s * per);
                long to = Math.min(n, (s + 1) * per);
                if (s == stripes - 1) {
                    to = n;
                }
                if (to <= from) {
                    continue;
                }
                Channel ch = channels[s];
                int off = (int) from;
                int len = (int) (to - from);
                others.add(pool.submit(() -> stripe(ch, toCard, address + off, buf, base + off, len)));
            }
            RuntimeException first = null;
            try {
                stripe(channels[0], toCard, address, buf, base, (int) Math.min(n, per));
            } catch (RuntimeException e) {
                first = e;
            }
            for (Future<?> f : others) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
                            : new LinkException("DMA stripe failed: " + e.getCause(), e.getCause());
                    if (first == null) {
                        first = cause;
                    } else {
                        first.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (first == null) {
                        first = new LinkException("interrupted while waiting for a DMA stripe", e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
        buf.position(buf.position() + n);
    }

    /** Moves {@code len} bytes between {@code buf[pos..]} and the card at {@code address} on one channel. */
    private void stripe(Channel ch, boolean toCard, long address, ByteBuffer buf, int pos, int len) {
        Pointer direct = buf.isDirect() ? Native.getDirectBufferPointer(buf) : null;
        while (len > 0) {
            int pad = (int) (address & PAGE_MASK);
            int n = (int) Math.min(len, chunkBytes - pad);
            String what = (toCard ? "host-to-card " : "card-to-host ") + n + " bytes at card address 0x"
                    + Long.toHexString(address);
            ch.lock.lock();
            try {
                if (direct != null && ((Pointer.nativeValue(direct) + pos) & PAGE_MASK) == pad) {
                    Pointer p = direct.share(pos);
                    if (toCard) {
                        ch.file.pwriteFully(p, n, address, what);
                    } else {
                        ch.file.preadFully(p, n, address, what);
                    }
                } else if (toCard) {
                    ch.staging().put(pad, buf, pos, n);
                    ch.file.pwriteFully(ch.stagingBase.share(pad), n, address, what);
                } else {
                    ByteBuffer staging = ch.staging();
                    ch.file.preadFully(ch.stagingBase.share(pad), n, address, what);
                    buf.put(pos, staging, pad, n);
                }
            } finally {
                ch.lock.unlock();
            }
            address += n;
            pos += n;
            len -= n;
        }
    }

    /** Closes every channel node; waits for nothing (the owner stops callers first). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        for (Channel c : h2c) {
            c.file.close();
        }
        for (Channel c : c2h) {
            c.file.close();
        }
    }

    /** One channel node, its lock and its page-aligned staging buffer (allocated on first use). */
    private static final class Channel {
        final NativeFile file;
        final ReentrantLock lock = new ReentrantLock();
        private final long chunkBytes;
        ByteBuffer staging;     // guarded by lock
        Pointer stagingBase;    // guarded by lock

        Channel(NativeFile file, long chunkBytes) {
            this.file = file;
            this.chunkBytes = chunkBytes;
        }

        /** The staging buffer, allocated on first use. Under lock. */
        ByteBuffer staging() {
            if (staging == null) {
                staging = ByteBuffer.allocateDirect((int) chunkBytes + PAGE).alignedSlice(PAGE);
                stagingBase = Native.getDirectBufferPointer(staging);
            }
            return staging;
        }
    }
}
