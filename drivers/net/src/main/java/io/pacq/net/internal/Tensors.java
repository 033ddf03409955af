package io.pacq.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensors on the wire without intermediate byte arrays: FP16 / F32 bit patterns are written
 * from their {@code short[]} / {@code int[]} straight into pooled direct frame buffers, and
 * received DATA is decoded straight into the destination array. Little-endian, as the
 * protocol and device memory are. Stateless and thread-safe (a {@link Receiver} is not).
 */
public final class Tensors {
    private Tensors() {}

    /**
     * DATA frames carrying {@code bits} (2 bytes each, little-endian) in chunks of at most
     * chunkBytes payload bytes: one buffer per frame, header and payload together. The caller
     * writes them in order and owns them.
     */
    public static List<ByteBuf> data(ByteBufAllocator alloc, long requestId, short[] bits, int chunkBytes) {
        return frames(alloc, requestId, bits, null, 2L * bits.length, chunkBytes);
    }

    /** As {@link #data(ByteBufAllocator, long, short[], int)} for 4-byte elements. */
    public static List<ByteBuf> data(ByteBufAllocator alloc, long requestId, int[] bits, int chunkBytes) {
        return frames(alloc, requestId, null, bits, 4L * bits.length, chunkBytes);
    }

    private static List<ByteBuf> frames(ByteBufAllocator alloc, long requestId, short[] s, int[] i, long bytes,
                                        int chunkBytes) {
        int elem = s != null ? 2 : 4;
        int chunk = Math.max(elem, chunkBytes / elem * elem);  // whole elements per frame
        List<ByteBuf> out = new ArrayList<>((int) (bytes / chunk) + 1);
        try {
            for (long off = 0; off < bytes; off += chunk) {
                int len = (int) Math.min(chunk, bytes - off);
                ByteBuf f = alloc.directBuffer(Frames.LENGTH_BYTES + Frames.DATA_OVERHEAD + len);
                out.add(f);
                f.writeInt(Frames.DATA_OVERHEAD + len);
                f.writeByte(Frames.TYPE_DATA);
                f.writeLong(requestId);
                ByteBuffer nio = f.nioBuffer(f.writerIndex(), len).order(ByteOrder.LITTLE_ENDIAN);
                if (s != null) {
                    nio.asShortBuffer().put(s, (int) (off / 2), len / 2);
                } else {
                    nio.asIntBuffer().put(i, (int) (off / 4), len / 4);
                }
                f.writerIndex(f.writerIndex() + len);
            }
        } catch (RuntimeException | Error e) {
            out.forEach(ByteBuf::release);
            throw e;
        }
        return out;
    }

    /**
     * Decodes the payloads of DATA frames, cut anywhere (a piece may end inside an element),
     * straight into a {@code short[]} or an {@code int[]}. Not thread-safe: one per transfer,
     * fed in order (on an event loop).
     */
    public static final class Receiver {
        private final short[] shorts;
        private final int[] ints;
        private final int elem;
        private final long bytes;
        private long filled;
        private int next;       // index of the next element to complete
        private int carry;      // bytes of a split element received so far, little-endian
        private int carried;

        private Receiver(short[] shorts, int[] ints) {
            this.shorts = shorts;
            this.ints = ints;
            this.elem = shorts != null ? 2 : 4;
            this.bytes = shorts != null ? 2L * shorts.length : 4L * ints.length;
        }

        /** Receives 2-byte elements into dst. */
        public static Receiver of(short[] dst) {
            return new Receiver(dst, null);
        }

        /** Receives 4-byte elements into dst. */
        public static Receiver of(int[] dst) {
            return new Receiver(null, dst);
        }

        /** Bytes expected in all. */
        public long expected() {
            return bytes;
        }

        /** Bytes received so far. */
        public long received() {
            return filled;
        }

        /** Whether every byte has arrived. */
        public boolean complete() {
            return filled == bytes;
        }

        /**
         * Takes the readable bytes of a piece (does not move its reader index or release it).
         *
         * @throws IllegalArgumentException when the piece would overrun the expected bytes
         */
        public void accept(ByteBuf piece) {
            int idx = piece.readerIndex();
            int len = piece.readableBytes();
            if (filled + len > bytes) {
                throw new IllegalArgumentException(len + " more bytes overrun the " + bytes + " expected (have "
                        + filled + ")");
            }
            filled += len;
            while (carried > 0 && len > 0) {       // finish an element split across pieces
                carry |= (piece.getByte(idx++) & 0xFF) << (8 * carried++);
                len--;
                if (carried == elem) {
                    if (shorts != null) {
                        shorts[next] = (short) carry;
                    } else {
                        ints[next] = carry;
                    }
                    next++;
                    carry = 0;
                    carried = 0;
                }
            }
            int whole = len / elem * elem;
            if (whole > 0) {
                ByteBuffer nio = piece.nioBuffer(idx, whole).order(ByteOrder.LITTLE_ENDIAN);
                if (shorts != null) {
                    nio.asShortBuffer().get(shorts, next, whole / 2);
                } else {
                    nio.asIntBuffer().get(ints, next, whole / 4);
                }
                next += whole / elem;
                idx += whole;
                len -= whole;
            }
            while (len > 0) {                        // the start of an element the next piece ends
                carry |= (piece.getByte(idx++) & 0xFF) << (8 * carried++);
                len--;
            }
        }
    }
}
