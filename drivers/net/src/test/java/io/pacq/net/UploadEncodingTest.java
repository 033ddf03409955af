package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.WeightHandle;
import io.pacq.net.internal.Frames;
import io.pacq.net.internal.Protos;
import io.pacq.proto.CodesEncoding;
import io.pacq.proto.Envelope;
import io.pacq.proto.Freed;
import io.pacq.proto.ProtocolVersion;
import io.pacq.proto.Upload;
import io.pacq.proto.Uploaded;
import io.pacq.proto.Welcome;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.testing.RandomProblems;
import io.pacq.testing.ReferenceDevice;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the client puts on the wire for an upload, seen by a scripted server on a plain socket:
 * codes packed to their width for a server that announces protocol 1.1, one byte per code for a
 * 1.0 server, both with the CRC32C of exactly the bytes sent, in DATA frames no larger than the
 * chunk size the server asked for.
 */
class UploadEncodingTest {

    /** What the scripted server received for one upload. */
    record Received(Upload header, byte[] data, int largestFrame) {
    }

    /** Serves one connection: Welcome with the given minor version and chunk size, one upload, one free. */
    private static Received uploadTo(int minor, int chunkBytes, QuantizedWeights w) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Received> got = CompletableFuture.supplyAsync(() -> {
                try (RawPeer p = new RawPeer(ss.accept())) {
                    Envelope hello = p.readMessage(5000);
                    assertTrue(hello.hasHello());
                    p.message(Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                            .setVersion(ProtocolVersion.newBuilder().setMajor(1).setMinor(minor))
                            .setSessionId("scripted").setDevice(Protos.toProto(new ReferenceDevice("ref:", 1L << 30).info()))
                            .setMaxFrameBytes(Frames.DEFAULT_MAX_FRAME_BYTES).setChunkBytes(chunkBytes)
                            .setMaxResidentBytes(1L << 30).setMaxInflight(8)).build());
                    Envelope up = p.readMessage(5000);
                    Upload u = up.getUpload();
                    long total = u.getCodesBytes() + u.getScalesBytes() + u.getZerosBytes();
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    int largest = 0;
                    while (data.size() < total) {
                        RawPeer.Frame f = p.read(5000);
                        if (f.message() == null) {
                            assertEquals(up.getRequestId(), f.dataId());
                            data.writeBytes(f.data());
                            largest = Math.max(largest, f.data().length);
                        }
                    }
                    p.message(Envelope.newBuilder().setRequestId(up.getRequestId())
                            .setUploaded(Uploaded.newBuilder().setHandle(1).setResidentBytes(total)).build());
                    Envelope free;
                    do {
                        free = p.readMessage(5000);
                    } while (!free.hasFree());
                    p.message(Envelope.newBuilder().setRequestId(free.getRequestId())
                            .setFreed(Freed.getDefaultInstance()).build());
                    return new Received(u, data.toByteArray(), largest);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            try (Device dev = Device.open("pacq://127.0.0.1:" + ss.getLocalPort(),
                    DeviceOptions.DEFAULTS.withTimeout(Duration.ofSeconds(10)));
                 WeightHandle h = dev.upload(w)) {
                assertEquals(w.n(), h.n());
            }
            return got.get(10, TimeUnit.SECONDS);
        }
    }

    /** codes || scales (FP16 LE) || zeros, with the codes as given. */
    private static byte[] expected(byte[] codes, QuantizedWeights w) {
        ByteBuffer b = ByteBuffer.allocate(codes.length + 2 * w.scales().length
                + (w.symmetric() ? 0 : w.zeros().length)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(codes);
        for (short s : w.scales()) {
            b.putShort(s);
        }
        if (!w.symmetric()) {
            b.put(w.zeros());
        }
        return b.array();
    }

    /** Packed rows computed here bit by bit from code(row, col). */
    private static byte[] packed(QuantizedWeights w) {
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

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    @Test
    void packedCodesToA11Server() throws Exception {
        SplittableRandom rnd = new SplittableRandom(21);
        for (int bits : new int[] {2, 4, 8}) {
            QuantizedWeights w = RandomProblems.weights(rnd, 64, 45, QuantSpec.of(bits, 32));
            Received r = uploadTo(1, 1000, w);
            assertEquals(CodesEncoding.CODES_ENCODING_PACKED, r.header().getCodesEncoding(), "INT" + bits);
            byte[] codes = packed(w);
            assertEquals(64L * ((45 * bits + 7) / 8), r.header().getCodesBytes());
            assertEquals(codes.length, r.header().getCodesBytes());
            byte[] expect = expected(codes, w);
            assertArrayEquals(expect, r.data(), "INT" + bits);
            assertEquals(crc(expect), r.header().getCrc32C());
            assertTrue(r.largestFrame() <= 1000, "DATA frames within the announced chunk size");
        }
    }

    @Test
    void payloadOfSeveralChunksAndChecksumPieces() throws Exception {
        // 300 KiB of packed codes in 128 KiB chunks: chunks and the client's 64 KiB checksum
        // pieces end inside the codes, and a chunk holds the end of the codes and the scales
        SplittableRandom rnd = new SplittableRandom(23);
        QuantizedWeights w = RandomProblems.weights(rnd, 512, 1200, QuantSpec.of(4, 128));
        Received r = uploadTo(1, 128 << 10, w);
        byte[] expect = expected(packed(w), w);
        assertArrayEquals(expect, r.data());
        assertEquals(crc(expect), r.header().getCrc32C());
        assertEquals(128 << 10, r.largestFrame());
    }

    @Test
    void u8CodesToA10Server() throws Exception {
        SplittableRandom rnd = new SplittableRandom(22);
        QuantizedWeights w = RandomProblems.weights(rnd, 64, 45, QuantSpec.of(4, 32).asSymmetric());
        Received r = uploadTo(0, 4096, w);
        assertEquals(0, r.header().getCodesEncodingValue(), "a 1.0 server is sent nothing it does not know");
        assertEquals(64L * 45, r.header().getCodesBytes());
        byte[] expect = expected(w.codes(), w);
        assertArrayEquals(expect, r.data());
        assertEquals(crc(expect), r.header().getCrc32C());
    }
}
