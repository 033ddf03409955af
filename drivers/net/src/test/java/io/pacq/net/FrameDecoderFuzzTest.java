package io.pacq.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.pacq.net.internal.Frame;
import io.pacq.net.internal.FrameDecoder;
import io.pacq.net.internal.Frames;
import io.pacq.net.internal.ProtocolException;
import io.pacq.proto.Cancel;
import io.pacq.proto.Envelope;
import io.pacq.proto.Ping;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame decoder fuzzed: valid frame streams cut at arbitrary points decode to what was
 * encoded (DATA payloads possibly in pieces); arbitrary bytes either decode or fail with a protocol error, never anything else,
 * and nothing is left unreleased. Bounded tries so the run stays short in CI.
 */
class FrameDecoderFuzzTest {
    static final int MAX = 4096;

    record F(boolean message, long id, byte[] bytes) {
    }

    @Provide
    Arbitrary<List<F>> frames() {
        Arbitrary<F> msg = Arbitraries.longs().between(0, Long.MAX_VALUE).map(n -> new F(true, n,
                (n % 2 == 0 ? Envelope.newBuilder().setRequestId(n).setPing(Ping.newBuilder().setNanos(n))
                        : Envelope.newBuilder().setRequestId(n).setCancel(Cancel.getDefaultInstance())).build().toByteArray()));
        Arbitrary<F> data = Combinators.combine(Arbitraries.longs(), Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX - 9))
                .as((id, b) -> new F(false, id, b));
        return Arbitraries.oneOf(msg, data).list().ofMaxSize(20);
    }

    @Property(tries = 300)
    void validStreamsRoundTrip(@ForAll("frames") List<F> frames, @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 5000) Integer> cuts) {
        ByteBuf stream = Unpooled.buffer();
        for (F f : frames) {
            if (f.message()) {
                stream.writeInt(1 + f.bytes().length).writeByte(Frames.TYPE_MESSAGE).writeBytes(f.bytes());
            } else {
                ByteBuf h = Frames.dataHeader(ByteBufAllocator.DEFAULT, f.id(), f.bytes().length);
                stream.writeBytes(h).writeBytes(f.bytes());
                h.release();
            }
        }
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        feed(ch, stream, cuts);
        for (F f : frames) {
            Object o = ch.readInbound();
            if (f.message()) {
                Envelope e = ((Frame.Message) o).envelope();
                assertArrayEquals(f.bytes(), e.toByteArray());
            } else {
                // the payload may come in pieces, in order, each with the frame's id
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                while (true) {
                    Frame.Data d = (Frame.Data) o;
                    assertEquals(f.id(), d.requestId());
                    byte[] piece = new byte[d.payload().readableBytes()];
                    d.payload().readBytes(piece);
                    d.release();
                    got.writeBytes(piece);
                    if (got.size() >= f.bytes().length) {
                        break;
                    }
                    o = ch.readInbound();
                }
                assertArrayEquals(f.bytes(), got.toByteArray());
            }
        }
        assertNull(ch.readInbound());
        assertTrue(!ch.finish() || ch.inboundMessages().isEmpty());
    }

    @Property(tries = 500)
    void arbitraryBytesDecodeOrFailWithAProtocolError(@ForAll @Size(max = 3000) byte[] junk,
                                                        @ForAll @Size(max = 10) List<@IntRange(min = 1, max = 400) Integer> cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        ByteBuf stream = Unpooled.wrappedBuffer(junk);
        boolean failed = false;
        int off = 0;
        List<Integer> sizes = new ArrayList<>(cuts);
        sizes.add(Integer.MAX_VALUE);
        for (int cut : sizes) {
            if (off >= junk.length) {
                break;
            }
            int len = Math.min(cut, junk.length - off);
            try {
                ch.writeInbound(stream.retainedSlice(off, len));
            } catch (DecoderException e) {
                assertTrue(e.getCause() instanceof ProtocolException, "unexpected failure: " + e);
                failed = true;
            }
            off += len;
            Object o;
            while ((o = ch.readInbound()) != null) {
                io.netty.util.ReferenceCountUtil.release(o);
            }
        }
        stream.release();
        if (failed) {
            // after a violation everything is discarded: more bytes produce nothing and no error
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(junk, Math.min(junk.length, 100))));
            assertNull(ch.readInbound());
        }
        ch.finishAndReleaseAll();
    }

    private static void feed(EmbeddedChannel ch, ByteBuf stream, List<Integer> cuts) {
        int i = 0;
        while (stream.isReadable()) {
            int len = Math.min(stream.readableBytes(), i < cuts.size() ? cuts.get(i++) : Integer.MAX_VALUE);
            ch.writeInbound(stream.readRetainedSlice(len));
        }
        stream.release();
    }
}
