package io.pacq.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Direct tensor encoding and split-anywhere decoding against plain little-endian byte arrays. */
class TensorsTest {
    private static byte[] le(short[] s) {
        byte[] b = new byte[s.length * 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(s);
        return b;
    }

    private static byte[] le(int[] v) {
        byte[] b = new byte[v.length * 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(v);
        return b;
    }

    /** Frames as the wire sees them: header fields checked, payloads concatenated. */
    private static byte[] payloadOf(List<ByteBuf> frames, long id, int chunk) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (ByteBuf f : frames) {
            int length = f.readInt();
            assertEquals(f.readableBytes(), length, "length prefix counts type + id + payload");
            assertEquals(Frames.TYPE_DATA, f.readByte());
            assertEquals(id, f.readLong());
            assertTrue(f.readableBytes() <= chunk, "payload within the chunk size");
            byte[] p = new byte[f.readableBytes()];
            f.readBytes(p);
            out.writeBytes(p);
            f.release();
        }
        return out.toByteArray();
    }

    @Test
    void encodesShortsAndIntsAsLittleEndianDataFrames() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : new int[] {0, 1, 7, 1000, 70_001}) {
            short[] s = new short[n];
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = (short) r.nextInt();
                v[i] = r.nextInt();
            }
            for (int chunk : new int[] {4, 7, 1024, 1 << 20}) {
                assertArrayEquals(le(s), payloadOf(Tensors.data(ByteBufAllocator.DEFAULT, 42, s, chunk), 42, chunk));
                assertArrayEquals(le(v), payloadOf(Tensors.data(ByteBufAllocator.DEFAULT, 9, v, chunk), 9, chunk));
            }
        }
    }

    @Test
    void receivesPiecesCutAnywhere() {
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 200; round++) {
            int n = r.nextInt(1, 3000);
            short[] s = new short[n];
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = (short) r.nextInt();
                v[i] = r.nextInt();
            }
            short[] gotS = new short[n];
            int[] gotV = new int[n];
            feed(Tensors.Receiver.of(gotS), le(s), r);
            feed(Tensors.Receiver.of(gotV), le(v), r);
            assertArrayEquals(s, gotS);
            assertArrayEquals(v, gotV);
        }
    }

    private static void feed(Tensors.Receiver rx, byte[] bytes, SplittableRandom r) {
        int off = 0;
        while (off < bytes.length) {
            int len = Math.min(bytes.length - off, r.nextInt(1, 12) == 1 ? r.nextInt(1, 4000) : r.nextInt(0, 9));
            // pieces with offsets inside a larger buffer, as the frame decoder's slices are
            ByteBuf piece = Unpooled.wrappedBuffer(bytes).slice(off, len);
            assertFalse(rx.complete());
            rx.accept(piece);
            off += len;
        }
        assertTrue(rx.complete());
        assertEquals(bytes.length, rx.received());
    }

    @Test
    void refusesBytesBeyondTheTensor() {
        Tensors.Receiver rx = Tensors.Receiver.of(new short[2]);
        rx.accept(Unpooled.wrappedBuffer(new byte[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rx.accept(Unpooled.wrappedBuffer(new byte[2])));
        assertTrue(e.getMessage().contains("overrun the 4 expected"), e.getMessage());
    }
}
