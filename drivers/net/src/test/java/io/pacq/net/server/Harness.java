package io.pacq.net.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pacq.Device;
import io.pacq.net.internal.FrameDecoder;
import io.pacq.net.internal.Frames;
import io.pacq.proto.Envelope;
import io.pacq.proto.Hello;
import io.pacq.proto.Upload;
import io.pacq.quant.QuantizedWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * A server session on an {@link EmbeddedChannel}: no sockets, device work inline on the test
 * thread, frames in and out as bytes. Not thread-safe (one test thread).
 */
final class Harness implements AutoCloseable {
    final ServerContext ctx;
    final EmbeddedChannel ch;
    private final ByteBuf acc = Unpooled.buffer();
    private final Deque<Object[]> frames = new ArrayDeque<>();

    Harness(Device device, ServerConfig config) {
        this.ctx = new ServerContext(device, config, new Inline());
        FrameDecoder d = new FrameDecoder(Frames.HANDSHAKE_MAX_FRAME_BYTES);
        this.ch = new EmbeddedChannel(d, new ServerHandler(ctx, d));
    }

    /** Runs device work inline. */
    static final class Inline extends AbstractExecutorService {
        private boolean shut;
        @Override public void execute(Runnable r) { r.run(); }
        @Override public void shutdown() { shut = true; }
        @Override public List<Runnable> shutdownNow() { shut = true; return List.of(); }
        @Override public boolean isShutdown() { return shut; }
        @Override public boolean isTerminated() { return shut; }
        @Override public boolean awaitTermination(long t, TimeUnit u) { return true; }
    }

    void send(Envelope e) {
        if (!ch.isOpen()) {
            return;
        }
        ch.writeInbound(Frames.message(ByteBufAllocator.DEFAULT, e));
        ch.runPendingTasks();
    }

    void data(long id, byte[] payload) {
        if (!ch.isOpen()) {
            return;
        }
        ByteBuf h = Frames.dataHeader(ByteBufAllocator.DEFAULT, id, payload.length);
        ch.writeInbound(Unpooled.wrappedBuffer(h, Unpooled.wrappedBuffer(payload)));
        ch.runPendingTasks();
    }

    void raw(byte[] bytes) {
        if (!ch.isOpen()) {
            return;
        }
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        ch.runPendingTasks();
    }

    Envelope hello(String token) {
        Hello.Builder h = Hello.newBuilder().setVersion(Frames.version()).setClientName("harness");
        if (token != null) {
            h.setAuthToken(token);
        }
        send(Envelope.newBuilder().setHello(h).build());
        return next();
    }

    /** Parses what the handler wrote so far. */
    private void collect() {
        ch.runPendingTasks();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            acc.writeBytes(b);
            b.release();
        }
        while (acc.readableBytes() >= 4) {
            int len = acc.getInt(acc.readerIndex());
            if (acc.readableBytes() < 4 + len) {
                break;
            }
            acc.skipBytes(4);
            byte type = acc.readByte();
            byte[] body = new byte[len - 1];
            acc.readBytes(body);
            if (type == Frames.TYPE_MESSAGE) {
                try {
                    frames.add(new Object[] {Envelope.parseFrom(body)});
                } catch (Exception e) {
                    throw new AssertionError("handler wrote a bad message", e);
                }
            } else {
                ByteBuffer bb = ByteBuffer.wrap(body);
                long id = bb.getLong();
                byte[] p = new byte[body.length - 8];
                bb.get(p);
                frames.add(new Object[] {id, p});
            }
        }
        acc.discardReadBytes();
    }

    /** The next message (DATA frames before it stay queued for {@link #payload}). */
    Envelope next() {
        collect();
        for (Object[] f : frames) {
            if (f.length == 1) {
                frames.remove(f);
                return (Envelope) f[0];
            }
        }
        throw new AssertionError("no message from the handler");
    }

    /** True when the handler wrote nothing more. */
    boolean quiet() {
        collect();
        return frames.isEmpty();
    }

    /** Concatenated DATA payloads for a request id, removed from the queue. */
    byte[] payload(long id) {
        collect();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        List<Object[]> taken = new ArrayList<>();
        for (Object[] f : frames) {
            if (f.length == 2 && (long) f[0] == id) {
                out.writeBytes((byte[]) f[1]);
                taken.add(f);
            }
        }
        frames.removeAll(taken);
        return out.toByteArray();
    }

    /** Sends an Upload header and its DATA (codes || scales || zeros) with the right CRC32C. */
    void upload(long id, QuantizedWeights w) {
        byte[] codes = w.codes();
        byte[] scales = new byte[w.scales().length * 2];
        ByteBuffer.wrap(scales).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(w.scales());
        byte[] zeros = w.zeros();
        CRC32C crc = new CRC32C();
        crc.update(codes);
        crc.update(scales);
        if (zeros != null) {
            crc.update(zeros);
        }
        send(Envelope.newBuilder().setRequestId(id).setUpload(Upload.newBuilder().setK(w.k()).setN(w.n())
                .setBits(w.bits()).setGroupSize(w.groupSize()).setGroupCols(w.groupCols()).setSymmetric(w.symmetric())
                .setCodesBytes(codes.length).setScalesBytes(scales.length)
                .setZerosBytes(zeros == null ? 0 : zeros.length).setCrc32C((int) crc.getValue())
                .setDeadlineMs(10_000)).build());
        data(id, codes);
        data(id, scales);
        if (zeros != null) {
            data(id, zeros);
        }
    }

    /**
     * The codes packed to their width (CODES_ENCODING_PACKED), computed here bit by bit from
     * {@code code(row, col)}: row k is ceil(N*bits/8) bytes, code n in bits [n*bits, n*bits+bits).
     */
    static byte[] packedCodes(QuantizedWeights w) {
        int rowBytes = (w.n() * w.bits() + 7) / 8;
        byte[] out = new byte[w.k() * rowBytes];
        for (int r = 0; r < w.k(); r++) {
            for (int c = 0; c < w.n(); c++) {
                int bit = c * w.bits();
                out[r * rowBytes + bit / 8] |= (byte) (w.code(r, c) << (bit % 8));
            }
        }
        return out;
    }

    /**
     * Sends an Upload header for w with the given codes encoding and codes bytes, the right
     * CRC32C (unless crcDelta is nonzero), and its DATA (codes || scales || zeros) in frames of
     * at most piece bytes.
     */
    void upload(long id, QuantizedWeights w, io.pacq.proto.CodesEncoding encoding, byte[] codes, int piece,
                int crcDelta) {
        byte[] scales = le(w.scales());
        byte[] zeros = w.zeros() == null ? new byte[0] : w.zeros();
        byte[] all = new byte[codes.length + scales.length + zeros.length];
        System.arraycopy(codes, 0, all, 0, codes.length);
        System.arraycopy(scales, 0, all, codes.length, scales.length);
        System.arraycopy(zeros, 0, all, codes.length + scales.length, zeros.length);
        CRC32C crc = new CRC32C();
        crc.update(all);
        send(Envelope.newBuilder().setRequestId(id).setUpload(Upload.newBuilder().setK(w.k()).setN(w.n())
                .setBits(w.bits()).setGroupSize(w.groupSize()).setGroupCols(w.groupCols()).setSymmetric(w.symmetric())
                .setCodesEncoding(encoding).setCodesBytes(codes.length).setScalesBytes(scales.length)
                .setZerosBytes(zeros.length).setCrc32C((int) crc.getValue() + crcDelta)
                .setDeadlineMs(10_000)).build());
        for (int off = 0; off < all.length; off += piece) {
            data(id, java.util.Arrays.copyOfRange(all, off, Math.min(all.length, off + piece)));
        }
    }

    static byte[] le(short[] bits) {
        byte[] b = new byte[bits.length * 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(bits);
        return b;
    }

    static short[] shorts(byte[] b) {
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    @Override
    public void close() {
        ch.finishAndReleaseAll();
        acc.release();
    }
}
