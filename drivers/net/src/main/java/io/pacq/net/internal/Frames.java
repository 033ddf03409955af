package io.pacq.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.pacq.proto.Envelope;
import io.pacq.proto.ProtocolVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * The wire format: constants and encoders (the decoder is {@link FrameDecoder}).
 *
 * <pre>
 *  every frame:
 *  +--------------------+---------+-----------------------------------------+
 *  | length: u32 BE     | type: u8| body: length - 1 bytes                  |
 *  +--------------------+---------+-----------------------------------------+
 *    1 &lt;= length &lt;= the receiver's maximum frame length (type byte + body)
 *
 *  type 1, MESSAGE                 type 2, DATA
 *  +-----------------------+       +----------------------+------------------------+
 *  | pacq.v1.Envelope      |       | request id: u64 BE   | payload (&lt;= 1 MiB)     |
 *  | (protobuf encoding)   |       |                      | raw little-endian data |
 *  +-----------------------+       +----------------------+------------------------+
 * </pre>
 *
 * A request that carries a tensor is one MESSAGE (its header: shapes, sizes, checksum) followed
 * by DATA frames with its request id; their payloads concatenated, in order, are the tensor.
 * Stateless and thread-safe.
 */
public final class Frames {
    private Frames() {}

    /** Protocol version this build speaks; a peer with another major version is refused. */
    public static final int PROTOCOL_MAJOR = 1;
    /**
     * Minor version: additions a peer of the same major version may ignore. 1: Upload's
     * codes_encoding (packed codes), sent only to a server that announces 1.1 or later.
     */
    public static final int PROTOCOL_MINOR = 1;
    /** The first minor version whose servers take packed codes (CODES_ENCODING_PACKED). */
    public static final int MINOR_PACKED_CODES = 1;

    /** Bytes of the length prefix. */
    public static final int LENGTH_BYTES = 4;
    /** Frame type of a protobuf message. */
    public static final byte TYPE_MESSAGE = 1;
    /** Frame type of a raw payload chunk. */
    public static final byte TYPE_DATA = 2;
    /** Bytes of a DATA frame counted by its length before the payload: type + request id. */
    public static final int DATA_OVERHEAD = 1 + 8;
    /** Largest payload of one DATA frame, bytes. */
    public static final int MAX_CHUNK_BYTES = 1 << 20;
    /** Default maximum frame length (type + body): one full chunk plus room for messages. */
    public static final int DEFAULT_MAX_FRAME_BYTES = MAX_CHUNK_BYTES + 64 * 1024;
    /** Smallest maximum frame length a side may configure. */
    public static final int MIN_MAX_FRAME_BYTES = 4096;
    /** Maximum frame length before the handshake completes (Hello, Welcome, errors). */
    public static final int HANDSHAKE_MAX_FRAME_BYTES = 64 * 1024;

    /** This build's protocol version. */
    public static ProtocolVersion version() {
        return ProtocolVersion.newBuilder().setMajor(PROTOCOL_MAJOR).setMinor(PROTOCOL_MINOR).build();
    }

    /** Payload bytes per DATA frame for a receiver that accepts frames of up to maxFrameBytes. */
    public static int chunkBytes(int maxFrameBytes) {
        return Math.min(MAX_CHUNK_BYTES, maxFrameBytes - DATA_OVERHEAD);
    }

    /** A MESSAGE frame; the caller owns the buffer. */
    public static ByteBuf message(ByteBufAllocator alloc, Envelope e) {
        int size = e.getSerializedSize();
        ByteBuf buf = alloc.heapBuffer(LENGTH_BYTES + 1 + size);
        buf.writeInt(1 + size);
        buf.writeByte(TYPE_MESSAGE);
        try {
            e.writeTo(new io.netty.buffer.ByteBufOutputStream(buf));
        } catch (java.io.IOException ex) {
            buf.release();
            throw new IllegalStateException("cannot serialize " + e.getBodyCase(), ex);
        }
        return buf;
    }

    /** The prefix of a DATA frame (length, type, request id) whose payload has the given size. */
    public static ByteBuf dataHeader(ByteBufAllocator alloc, long requestId, int payloadBytes) {
        ByteBuf buf = alloc.heapBuffer(LENGTH_BYTES + DATA_OVERHEAD);
        buf.writeInt(DATA_OVERHEAD + payloadBytes);
        buf.writeByte(TYPE_DATA);
        buf.writeLong(requestId);
        return buf;
    }

    /**
     * DATA frames for a payload, cut into chunks of at most chunkBytes; each element is a header
     * or a zero-copy slice of {@code payload}. The caller writes them in order and owns them.
     */
    public static List<ByteBuf> data(ByteBufAllocator alloc, long requestId, byte[] payload, int chunkBytes) {
        List<ByteBuf> out = new ArrayList<>(2 * (payload.length / Math.max(1, chunkBytes) + 1));
        for (int off = 0; off < payload.length; off += chunkBytes) {
            int len = Math.min(chunkBytes, payload.length - off);
            out.add(dataHeader(alloc, requestId, len));
            out.add(Unpooled.wrappedBuffer(payload, off, len));
        }
        return out;
    }
}
