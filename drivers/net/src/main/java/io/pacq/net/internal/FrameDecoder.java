package io.pacq.net.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.pacq.proto.Envelope;
import io.pacq.proto.ErrorCode;

import java.util.List;

/**
 * Cuts the byte stream into {@link Frame}s (format in {@link Frames}) with an explicit maximum
 * frame length, checked as soon as the length prefix arrives: an oversized frame fails at once,
 * before any of it is buffered. MESSAGE frames are passed on whole; a DATA frame's payload is
 * passed on in pieces as it arrives (several {@link Frame.Data} with the frame's request id, in
 * order), so large chunks are never assembled in the decoder's buffer. After the first violation it throws a {@link ProtocolException}
 * (wrapped by Netty in a DecoderException) and discards everything that follows.
 *
 * <p>Not sharable: one instance per channel, used on its event loop. {@link #maxFrameBytes(int)}
 * may be changed between reads (the server raises it after the handshake).
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private int maxFrameBytes;
    private boolean failed;
    /** Payload bytes of the current DATA frame not yet passed on, and its request id. */
    private long dataLeft;
    private long dataId;

    /** A decoder accepting frames of up to maxFrameBytes (type byte + body). */
    public FrameDecoder(int maxFrameBytes) {
        maxFrameBytes(maxFrameBytes);
    }

    /** Changes the maximum frame length. */
    public void maxFrameBytes(int max) {
        if (max < 1 + 8) {
            throw new IllegalArgumentException("maximum frame length must be at least 9 bytes, got " + max);
        }
        this.maxFrameBytes = max;
    }

    /** The maximum frame length, bytes. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (dataLeft > 0) {
            // stream DATA payload on as it arrives: no 1 MiB frame is ever assembled here
            int n = (int) Math.min(in.readableBytes(), dataLeft);
            if (n > 0) {
                dataLeft -= n;
                out.add(new Frame.Data(dataId, in.readRetainedSlice(n)));
            }
            return;
        }
        if (in.readableBytes() < Frames.LENGTH_BYTES) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length == 0) {
            throw fail(ErrorCode.PROTOCOL, "frame of length 0 (every frame has at least its type byte)");
        }
        if (length > maxFrameBytes) {
            throw fail(ErrorCode.FRAME_TOO_LARGE, "frame of " + length + " bytes exceeds the maximum frame length of "
                    + maxFrameBytes + " bytes");
        }
        byte type = in.readableBytes() > Frames.LENGTH_BYTES ? in.getByte(in.readerIndex() + Frames.LENGTH_BYTES) : 0;
        if (type == Frames.TYPE_DATA && length >= Frames.DATA_OVERHEAD) {
            if (in.readableBytes() < Frames.LENGTH_BYTES + Frames.DATA_OVERHEAD) {
                return;
            }
            in.skipBytes(Frames.LENGTH_BYTES + 1);
            dataId = in.readLong();
            dataLeft = length - Frames.DATA_OVERHEAD;
            if (dataLeft == 0) {
                out.add(new Frame.Data(dataId, in.alloc().buffer(0)));
            }
            return;
        }
        if (in.readableBytes() < Frames.LENGTH_BYTES + length) {
            return;
        }
        in.skipBytes(Frames.LENGTH_BYTES);
        int body = (int) length - 1;
        type = in.readByte();
        switch (type) {
            case Frames.TYPE_MESSAGE -> {
                ByteBuf slice = in.readSlice(body);
                try {
                    CodedInputStream cis = slice.hasArray()
                            ? CodedInputStream.newInstance(slice.array(), slice.arrayOffset() + slice.readerIndex(), body)
                            : CodedInputStream.newInstance(slice.nioBuffer());
                    out.add(new Frame.Message(Envelope.parseFrom(cis)));
                } catch (InvalidProtocolBufferException e) {
                    throw fail(ErrorCode.PROTOCOL, "MESSAGE frame of " + length + " bytes is not a valid pacq.v1.Envelope: "
                            + e.getMessage());
                } catch (java.io.IOException e) {
                    throw fail(ErrorCode.PROTOCOL, "MESSAGE frame unreadable: " + e.getMessage());
                }
            }
            case Frames.TYPE_DATA -> {
                if (body < 8) {
                    in.skipBytes(body);
                    throw fail(ErrorCode.PROTOCOL, "DATA frame of " + length + " bytes is shorter than its 9-byte header");
                }
                long id = in.readLong();
                out.add(new Frame.Data(id, in.readRetainedSlice(body - 8)));
            }
            default -> {
                in.skipBytes(body);
                throw fail(ErrorCode.PROTOCOL, "unknown frame type 0x" + Integer.toHexString(type & 0xFF)
                        + " (expected 1 = MESSAGE or 2 = DATA)");
            }
        }
    }

    private ProtocolException fail(ErrorCode code, String message) {
        failed = true;
        return new ProtocolException(code, message);
    }
}
