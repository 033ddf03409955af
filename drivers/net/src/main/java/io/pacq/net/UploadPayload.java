package io.pacq.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.pacq.quant.QuantizedWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The DATA of one Upload, {@code codes || scales || zeros}, copied once from the weights into
 * direct buffers of one DATA chunk each (which the socket writes without another copy), with
 * the CRC32C of those bytes computed from the same buffers. Codes go packed to their width, or
 * one per byte for a server older than protocol 1.1. Not thread-safe; the chunks belong to
 * whoever takes them (normally {@link Session#send(Session.Call, io.pacq.proto.Envelope.Builder, List)}).
 */
final class UploadPayload {
    final boolean packed;
    final long codesBytes;
    final long scalesBytes;
    final long zerosBytes;
    final List<ByteBuf> chunks;
    final int crc32c;

    /** Bytes copied and checksummed at a time. */
    private static final int CRC_PIECE = 64 << 10;

    private interface Part {
        /** Copies dst.remaining() bytes of this part from byte offset off into dst. */
        void copy(long off, ByteBuffer dst);
    }

    private UploadPayload(boolean packed, long codesBytes, long scalesBytes, long zerosBytes, List<ByteBuf> chunks,
                          int crc32c) {
        this.packed = packed;
        this.codesBytes = codesBytes;
        this.scalesBytes = scalesBytes;
        this.zerosBytes = zerosBytes;
        this.chunks = chunks;
        this.crc32c = crc32c;
    }

    /** Copies the weights into chunks of at most chunkBytes from alloc. */
    static UploadPayload of(QuantizedWeights w, boolean packed, ByteBufAllocator alloc, int chunkBytes) {
        long codesBytes;
        Part codes;
        if (packed) {
            codesBytes = w.packedCodesBytes();
            codes = w::getPackedCodes;
        } else {
            byte[] u8 = w.codes();
            codesBytes = u8.length;
            codes = (off, dst) -> dst.put(u8, (int) off, dst.remaining());
        }
        short[] sc = w.scales();
        byte[] scales = new byte[sc.length * 2];
        ByteBuffer.wrap(scales).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(sc);
        byte[] zeros = w.zeros();
        long zerosBytes = zeros == null ? 0 : zeros.length;
        long total = codesBytes + scales.length + zerosBytes;
        List<ByteBuf> chunks = new ArrayList<>((int) (total / chunkBytes + 1));
        CRC32C crc = new CRC32C();
        try {
            long[] sizes = {codesBytes, scales.length, zerosBytes};
            Part[] parts = {codes, (off, dst) -> dst.put(scales, (int) off, dst.remaining()),
                (off, dst) -> dst.put(zeros, (int) off, dst.remaining())};
            int part = 0;
            long partOff = 0;
            for (long done = 0; done < total; ) {
                int len = (int) Math.min(chunkBytes, total - done);
                ByteBuf b = alloc.directBuffer(len, len);
                chunks.add(b);
                ByteBuffer nio = b.nioBuffer(0, len);
                while (nio.hasRemaining()) {
                    while (partOff == sizes[part]) {
                        part++;
                        partOff = 0;
                    }
                    // pieces small enough that the CRC reads them while they are still in the cache
                    int n = (int) Math.min(Math.min(nio.remaining(), sizes[part] - partOff), CRC_PIECE);
                    ByteBuffer dst = nio.slice(nio.position(), n);
                    parts[part].copy(partOff, dst);
                    crc.update(dst.flip());
                    nio.position(nio.position() + n);
                    partOff += n;
                }
                b.writerIndex(len);
                done += len;
            }
        } catch (RuntimeException | Error e) {
            chunks.forEach(ReferenceCountUtil::release);
            throw e;
        }
        return new UploadPayload(packed, codesBytes, scales.length, zerosBytes, chunks, (int) crc.getValue());
    }
}
