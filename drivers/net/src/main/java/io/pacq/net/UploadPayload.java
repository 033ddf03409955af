package io.pacq.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.pacq.quant.QuantizedWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The DATA of one Upload, {@code codes || scales || zeros}. The CRC32C is computed up front from
 * the weights (no copy); the chunks are made one at a time, each copied once from the weights into
 * a direct buffer that the socket writes without another copy, so the first chunk is on its way
 * while the next is copied and at most a few chunks exist at once. Codes go packed to their width,
 * or one per byte for a server older than protocol 1.1. Not thread-safe (one producer).
 */
final class UploadPayload implements Session.ChunkSource {
    final boolean packed;
    final long codesBytes;
    final long scalesBytes;
    final long zerosBytes;
    final int crc32c;
    private final int chunkBytes;
    private final long total;
    private final long[] sizes;
    private final Part[] parts;
    private long done;
    private int part;
    private long partOff;

    private interface Part {
        /** Copies dst.remaining() bytes of this part from byte offset off into dst. */
        void copy(long off, ByteBuffer dst);
    }

    /** The payload of w's upload in chunks of at most chunkBytes. */
    UploadPayload(QuantizedWeights w, boolean packed, int chunkBytes) {
        this.packed = packed;
        this.chunkBytes = chunkBytes;
        CRC32C crc = new CRC32C();
        Part codes;
        if (packed) {
            codesBytes = w.packedCodesBytes();
            w.updateChecksum(crc);
            codes = w::getPackedCodes;
        } else {
            byte[] u8 = w.codes();
            codesBytes = u8.length;
            crc.update(u8);
            codes = (off, dst) -> dst.put(u8, (int) off, dst.remaining());
        }
        short[] sc = w.scales();
        byte[] scales = new byte[sc.length * 2];
        ByteBuffer.wrap(scales).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(sc);
        crc.update(scales);
        byte[] zeros = w.zeros();
        if (zeros != null) {
            crc.update(zeros);
        }
        scalesBytes = scales.length;
        zerosBytes = zeros == null ? 0 : zeros.length;
        crc32c = (int) crc.getValue();
        total = codesBytes + scalesBytes + zerosBytes;
        sizes = new long[] {codesBytes, scalesBytes, zerosBytes};
        parts = new Part[] {codes, (off, dst) -> dst.put(scales, (int) off, dst.remaining()),
            (off, dst) -> dst.put(zeros, (int) off, dst.remaining())};
    }

    @Override
    public int chunks() {
        return (int) ((total + chunkBytes - 1) / chunkBytes);
    }

    @Override
    public ByteBuf next(ByteBufAllocator alloc) {
        int len = (int) Math.min(chunkBytes, total - done);
        if (len <= 0) {
            throw new IllegalStateException("all " + chunks() + " chunks were made");
        }
        ByteBuf b = alloc.directBuffer(len, len);
        try {
            ByteBuffer nio = b.nioBuffer(0, len);
            while (nio.hasRemaining()) {
                while (partOff == sizes[part]) {
                    part++;
                    partOff = 0;
                }
                int n = (int) Math.min(nio.remaining(), sizes[part] - partOff);
                parts[part].copy(partOff, nio.slice(nio.position(), n));
                nio.position(nio.position() + n);
                partOff += n;
            }
            b.writerIndex(len);
        } catch (RuntimeException | Error e) {
            ReferenceCountUtil.release(b);
            throw e;
        }
        done += len;
        return b;
    }
}
