package io.pacq.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.pacq.proto.Envelope;

/** One decoded frame: a protobuf message or a chunk of raw payload. See {@link Frames}. */
public sealed interface Frame {

    /** A MESSAGE frame. */
    record Message(Envelope envelope) implements Frame {
    }

    /**
     * A DATA frame, or a piece of one (the decoder passes payload on as it arrives): payload bytes
     * of the request with this id, in order. The receiver owns {@code payload} and must release it.
     */
    record Data(long requestId, ByteBuf payload) implements Frame, ReferenceCounted {
        @Override public int refCnt() { return payload.refCnt(); }
        @Override public Data retain() { payload.retain(); return this; }
        @Override public Data retain(int increment) { payload.retain(increment); return this; }
        @Override public Data touch() { payload.touch(); return this; }
        @Override public Data touch(Object hint) { payload.touch(hint); return this; }
        @Override public boolean release() { return payload.release(); }
        @Override public boolean release(int decrement) { return payload.release(decrement); }
    }
}
