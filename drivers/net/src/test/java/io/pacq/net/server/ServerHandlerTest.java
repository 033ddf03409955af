package io.pacq.net.server;

import io.pacq.GemmMode;
import io.pacq.fp.Fp16;
import io.pacq.net.internal.Frames;
import io.pacq.proto.Cancel;
import io.pacq.proto.CodesEncoding;
import io.pacq.proto.Envelope;
import io.pacq.proto.ErrorCode;
import io.pacq.proto.Free;
import io.pacq.proto.Gemm;
import io.pacq.proto.OutputType;
import io.pacq.proto.Ping;
import io.pacq.proto.StatsRequest;
import io.pacq.proto.Upload;
import io.pacq.proto.Welcome;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import io.pacq.testing.ReferenceDevice;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session handler driven frame by frame on an EmbeddedChannel, against the reference device. */
class ServerHandlerTest {
    static final String TOKEN = "tok";

    static ServerConfig.Builder config() {
        return ServerConfig.builder().port(0).token(TOKEN);
    }

    static Harness harness() {
        return new Harness(new ReferenceDevice("ref:", 1L << 30), config().build());
    }

    static Envelope gemm(long id, long handle, int m, int k, GemmMode mode, OutputType out) {
        return Envelope.newBuilder().setRequestId(id).setGemm(Gemm.newBuilder().setHandle(handle).setM(m).setK(k)
                .setMode(io.pacq.net.internal.Protos.toProto(mode)).setOutput(out).setDeadlineMs(5000)).build();
    }

    @Test
    void handshakeWelcomesWithTheDeviceAndLimits() {
        try (Harness h = harness()) {
            Envelope e = h.hello(TOKEN);
            Welcome w = e.getWelcome();
            assertEquals(1, w.getVersion().getMajor());
            assertTrue(w.getSessionId().startsWith("s1-"), w.getSessionId());
            assertEquals("ref:", w.getDevice().getUri());
            assertEquals(Frames.DEFAULT_MAX_FRAME_BYTES, w.getMaxFrameBytes());
            assertEquals(Frames.MAX_CHUNK_BYTES, w.getChunkBytes());
            assertEquals(64, w.getMaxInflight());
            assertTrue(h.ch.isActive());
        }
    }

    @Test
    void smallMaxFrameShrinksTheChunks() {
        try (Harness h = new Harness(new ReferenceDevice("ref:", 1L << 30), config().maxFrameBytes(4096).build())) {
            assertEquals(4096 - 9, h.hello(TOKEN).getWelcome().getChunkBytes());
        }
    }

    @Test
    void uploadThenGemmGivesTheReferenceBits() {
        try (Harness h = harness()) {
            h.hello(TOKEN);
            SplittableRandom rnd = new SplittableRandom(1);
            QuantizedWeights w = RandomProblems.weights(rnd, 64, 40, QuantSpec.of(2, 32).withGroupCols(4));
            h.upload(5, w);
            Envelope up = h.next();
            assertEquals(5, up.getRequestId());
            long handle = up.getUploaded().getHandle();
            assertEquals(64 * 40 + 2 * 2 * 10 + 2 * 10, up.getUploaded().getResidentBytes());
            assertEquals(up.getUploaded().getResidentBytes(), h.ctx.residentBytes());
            var a = RandomProblems.activationsWithEdges(rnd, 3, 64, 2f, 0.1);
            for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT}) {
                h.send(gemm(6, handle, 3, 64, mode, OutputType.F16));
                h.data(6, Harness.le(a.toBits()));
                Envelope done = h.next();
                assertEquals(6, done.getRequestId());
                assertEquals(3, done.getGemmDone().getM());
                assertEquals(40, done.getGemmDone().getN());
                assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), 3, w), Harness.shorts(h.payload(6)));
            }
            h.send(Envelope.newBuilder().setRequestId(7).setFree(Free.newBuilder().setHandle(handle)).build());
            assertTrue(h.next().hasFreed());
            assertEquals(0, h.ctx.residentBytes());
        }
    }

    @Test
    void versionMismatchIsRefusedAndClosed() {
        try (Harness h = harness()) {
            h.send(Envelope.newBuilder().setHello(io.pacq.proto.Hello.newBuilder()
                    .setVersion(io.pacq.proto.ProtocolVersion.newBuilder().setMajor(9))).build());
            Envelope e = h.next();
            assertEquals(ErrorCode.VERSION_MISMATCH, e.getError().getCode());
            assertTrue(e.getError().getFatal());
            assertFalse(h.ch.isActive());
        }
    }

    @Test
    void dataBeforeHelloIsRefused() {
        try (Harness h = harness()) {
            h.data(1, new byte[10]);
            Envelope e = h.next();
            assertEquals(ErrorCode.UNAUTHENTICATED, e.getError().getCode());
            assertEquals("the first message must be Hello, got a DATA frame", e.getError().getMessage());
            assertFalse(h.ch.isActive());
        }
    }

    @Test
    void wrongTokenIsRefused() {
        try (Harness h = harness()) {
            Envelope e = h.hello("tok2");
            assertEquals(ErrorCode.UNAUTHENTICATED, e.getError().getCode());
            assertFalse(h.ch.isActive());
        }
    }

    @Test
    void frameLimitIsSmallBeforeTheHandshakeAndConfiguredAfter() {
        try (Harness h = harness()) {
            h.raw(new byte[] {0, 1, 0, 1});   // 65537 > 64 KiB
            assertEquals(ErrorCode.FRAME_TOO_LARGE, h.next().getError().getCode());
            assertFalse(h.ch.isActive());
        }
        try (Harness h = new Harness(new ReferenceDevice("ref:", 1L << 30), config().maxFrameBytes(8192).build())) {
            h.hello(TOKEN);
            h.raw(new byte[] {0, 0, 0x20, 1});  // 8193
            Envelope e = h.next();
            assertEquals(ErrorCode.FRAME_TOO_LARGE, e.getError().getCode());
            assertEquals("frame of 8193 bytes exceeds the maximum frame length of 8192 bytes", e.getError().getMessage());
        }
    }

    @Test
    void protocolViolationsAreFatal() {
        String[] expected = {
            "request id 0 is reserved for connection-level frames",
            "request id 3 is already in use",
            "DATA frame for request id 99, which expects no data",
            "DATA for request id 3 overruns its announced 128 bytes",
            "Hello sent twice",
            "unexpected WELCOME message from a client",
            "unknown frame type 0x7 (expected 1 = MESSAGE or 2 = DATA)",
        };
        for (int i = 0; i < expected.length; i++) {
            try (Harness h = harness()) {
                h.hello(TOKEN);
                switch (i) {
                    case 0 -> h.send(Envelope.newBuilder().setStatsRequest(StatsRequest.getDefaultInstance()).build());
                    case 1 -> {
                        h.send(gemm(3, 1, 1, 64, GemmMode.PACQ, OutputType.F16));  // unknown handle: data discarded
                        h.next();
                        h.send(gemm(3, 1, 1, 64, GemmMode.PACQ, OutputType.F16));
                    }
                    case 2 -> h.data(99, new byte[4]);
                    case 3 -> {
                        h.send(gemm(3, 1, 1, 64, GemmMode.PACQ, OutputType.F16));
                        h.next();
                        h.data(3, new byte[129]);
                    }
                    case 4 -> h.send(Envelope.newBuilder().setHello(io.pacq.proto.Hello.newBuilder()
                            .setVersion(Frames.version()).setAuthToken(TOKEN)).build());
                    case 5 -> h.send(Envelope.newBuilder().setWelcome(Welcome.getDefaultInstance()).build());
                    default -> h.raw(new byte[] {0, 0, 0, 1, 7});
                }
                Envelope e = h.next();
                assertTrue(e.getError().getFatal(), "case " + i);
                assertEquals(expected[i], e.getError().getMessage(), "case " + i);
                assertFalse(h.ch.isActive(), "case " + i);
            }
        }
    }

    @Test
    void refusedRequestsHaveTheirDataDroppedAndTheSessionGoesOn() {
        try (Harness h = harness()) {
            h.hello(TOKEN);
            // bad upload header: wrong scales size; its DATA follows and is dropped
            h.send(Envelope.newBuilder().setRequestId(1).setUpload(Upload.newBuilder().setK(32).setN(8).setBits(4)
                    .setGroupSize(32).setGroupCols(1).setSymmetric(true).setCodesBytes(256).setScalesBytes(10)
                    .setDeadlineMs(100)).build());
            Envelope e = h.next();
            assertEquals(ErrorCode.INVALID_REQUEST, e.getError().getCode());
            assertEquals("upload header: scales_bytes = 10 but 8 FP16 scales are 16 bytes", e.getError().getMessage());
            h.data(1, new byte[266]);
            // bad shape
            h.send(Envelope.newBuilder().setRequestId(2).setUpload(Upload.newBuilder().setK(30).setN(8).setBits(4)
                    .setGroupSize(32).setGroupCols(1).setSymmetric(true).setCodesBytes(240).setScalesBytes(0)
                    .setDeadlineMs(100)).build());
            e = h.next();
            assertEquals(ErrorCode.INVALID_REQUEST, e.getError().getCode());
            assertEquals("upload: K = 30 is not a multiple of the group size 32", e.getError().getMessage());
            h.data(2, new byte[240]);
            // GEMM on an unknown handle
            h.send(gemm(4, 77, 2, 16, GemmMode.PACQ, OutputType.F32));
            e = h.next();
            assertEquals(ErrorCode.UNKNOWN_HANDLE, e.getError().getCode());
            assertTrue(e.getError().getMessage().startsWith("no weights with handle 77 in session s1-"));
            h.data(4, new byte[64]);
            h.send(Envelope.newBuilder().setRequestId(5).setPing(Ping.newBuilder().setNanos(42)).build());
            assertEquals(42, h.next().getPong().getNanos());
            assertTrue(h.ch.isActive());
            assertEquals(0, h.ctx.residentBytes());
        }
    }

    @Test
    void checksumIsVerifiedBeforeTheWeightsExist() {
        ReferenceDevice dev = new ReferenceDevice("ref:", 1L << 30);
        try (Harness h = new Harness(dev, config().build())) {
            h.hello(TOKEN);
            h.send(Envelope.newBuilder().setRequestId(1).setUpload(Upload.newBuilder().setK(32).setN(8).setBits(4)
                    .setGroupSize(32).setGroupCols(1).setSymmetric(true).setCodesBytes(256).setScalesBytes(16)
                    .setCrc32C(0xDEADBEEF).setDeadlineMs(100)).build());
            h.data(1, new byte[272]);
            Envelope e = h.next();
            assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.getError().getCode());
            assertEquals(0, dev.counters().liveHandles(), "nothing reached the device");
            assertEquals(0, h.ctx.residentBytes());
        }
    }

    @Test
    void residentLimitsPerClientAndTotal() {
        SplittableRandom rnd = new SplittableRandom(2);
        QuantizedWeights w = RandomProblems.weights(rnd, 64, 64, QuantSpec.of(4, 64).asSymmetric()); // 4096 + 128
        try (Harness h = new Harness(new ReferenceDevice("ref:", 1L << 30),
                config().maxClientResidentBytes(9000).maxResidentBytes(20000).build())) {
            h.hello(TOKEN);
            h.upload(1, w);
            long first = h.next().getUploaded().getHandle();
            h.upload(2, w);
            assertTrue(h.next().hasUploaded());
            h.upload(3, w);
            Envelope e = h.next();
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.getError().getCode());
            assertEquals("uploading 4.1 KiB would exceed this session's resident-weight limit of 8.8 KiB (in use: "
                    + "8.3 KiB); free weights first", e.getError().getMessage());
            h.send(Envelope.newBuilder().setRequestId(4).setFree(Free.newBuilder().setHandle(first)).build());
            assertTrue(h.next().hasFreed());
            h.upload(5, w);
            assertTrue(h.next().hasUploaded(), "fits again after a free");
        }
        try (Harness h = new Harness(new ReferenceDevice("ref:", 1L << 30),
                config().maxClientResidentBytes(100_000).maxResidentBytes(5000).build())) {
            h.hello(TOKEN);
            h.upload(1, w);
            assertTrue(h.next().hasUploaded());
            h.upload(2, w);
            Envelope e = h.next();
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.getError().getCode());
            assertTrue(e.getError().getMessage().contains("server's resident-weight limit of 4.9 KiB for all sessions"),
                    e.getError().getMessage());
        }
    }

    @Test
    void requestSizeLimit() {
        try (Harness h = new Harness(new ReferenceDevice("ref:", 1L << 30), config().maxRequestBytes(1000).build())) {
            h.hello(TOKEN);
            QuantizedWeights w = RandomProblems.weights(new SplittableRandom(3), 32, 16, QuantSpec.of(4, 32));
            h.upload(1, w);
            long handle = h.next().getUploaded().getHandle();
            h.send(gemm(2, handle, 20, 32, GemmMode.PACQ, OutputType.F32)); // 1280 + 1280 bytes
            Envelope e = h.next();
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.getError().getCode());
            assertTrue(e.getError().getMessage().startsWith("GEMM needs 2.5 KiB of activations and output"));
        }
    }

    @Test
    void inflightLimitPausesReadingAndCancelReachesTheDevice() {
        ManualDevice dev = new ManualDevice(new ReferenceDevice("ref:", 1L << 30));
        try (Harness h = new Harness(dev, config().maxInflightPerClient(2).build())) {
            h.hello(TOKEN);
            QuantizedWeights w = RandomProblems.weights(new SplittableRandom(4), 32, 16, QuantSpec.of(4, 32));
            h.upload(1, w);
            long handle = h.next().getUploaded().getHandle();
            var a = RandomProblems.activations(new SplittableRandom(5), 1, 32, 1f);
            h.send(gemm(2, handle, 1, 32, GemmMode.PACQ, OutputType.F16));
            h.data(2, Harness.le(a.toBits()));
            assertTrue(h.ch.config().isAutoRead());
            h.send(gemm(3, handle, 1, 32, GemmMode.PACQ, OutputType.F16));
            h.data(3, Harness.le(a.toBits()));
            assertFalse(h.ch.config().isAutoRead(), "two requests in the works: reading pauses");
            assertEquals(2, dev.held.size());
            h.send(Envelope.newBuilder().setRequestId(3).setCancel(Cancel.getDefaultInstance()).build());
            Envelope e = h.next();
            assertEquals(3, e.getRequestId());
            assertEquals(ErrorCode.CANCELLED, e.getError().getCode());
            assertTrue(dev.held.peekLast().out().isCancelled(), "the device's future was cancelled");
            assertTrue(dev.completeNext());
            assertEquals(2, h.next().getRequestId());
            assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), 1, w), Harness.shorts(h.payload(2)));
            assertTrue(dev.completeNext());   // the cancelled one finishes on the device; no second answer
            assertTrue(h.quiet());
            assertTrue(h.ch.config().isAutoRead(), "reading resumes");
        }
    }

    @Test
    void freeWaitsForTheGemmsThatUseTheWeights() {
        ManualDevice dev = new ManualDevice(new ReferenceDevice("ref:", 1L << 30));
        try (Harness h = new Harness(dev, config().build())) {
            h.hello(TOKEN);
            QuantizedWeights w = RandomProblems.weights(new SplittableRandom(4), 32, 16, QuantSpec.of(4, 32));
            h.upload(1, w);
            long handle = h.next().getUploaded().getHandle();
            h.send(gemm(2, handle, 1, 32, GemmMode.PACQ, OutputType.F16));
            h.data(2, new byte[64]);
            h.send(Envelope.newBuilder().setRequestId(3).setFree(Free.newBuilder().setHandle(handle)).build());
            assertTrue(h.quiet(), "the free waits");
            assertEquals(1, dev.counters().liveHandles());
            dev.completeNext();
            assertEquals(2, h.next().getRequestId());
            assertTrue(h.next().hasFreed());
            assertEquals(0, dev.counters().liveHandles());
        }
    }

    @Test
    void disconnectFreesEverythingTheSessionHeld() {
        ReferenceDevice dev = new ReferenceDevice("ref:", 1L << 30);
        Harness h = new Harness(dev, config().build());
        h.hello(TOKEN);
        SplittableRandom rnd = new SplittableRandom(6);
        for (int i = 1; i <= 3; i++) {
            h.upload(i, RandomProblems.weights(rnd, 32, 16, QuantSpec.of(8, 16)));
            assertTrue(h.next().hasUploaded());
        }
        // and an upload half-way through
        QuantizedWeights w = RandomProblems.weights(rnd, 64, 64, QuantSpec.of(4, 64));
        h.send(Envelope.newBuilder().setRequestId(9).setUpload(Upload.newBuilder().setK(64).setN(64).setBits(4)
                .setGroupSize(64).setGroupCols(1).setCodesBytes(4096).setScalesBytes(128).setZerosBytes(64)
                .setDeadlineMs(1000)).build());
        h.data(9, w.codes());
        assertTrue(h.ctx.residentBytes() > 4096);
        assertEquals(3, dev.counters().liveHandles());
        h.ch.close();
        h.ch.runPendingTasks();
        assertEquals(0, dev.counters().liveHandles());
        assertEquals(0, h.ctx.residentBytes());
        assertEquals(0, h.ctx.clients.get());
        h.close();
    }

    @Test
    void statisticsCountRequestsErrorsAndLatency() {
        try (Harness h = harness()) {
            h.hello(TOKEN);
            QuantizedWeights w = RandomProblems.weights(new SplittableRandom(7), 32, 16, QuantSpec.of(4, 32));
            h.upload(1, w);
            long handle = h.next().getUploaded().getHandle();
            for (int i = 0; i < 5; i++) {
                h.send(gemm(10 + i, handle, 1, 32, GemmMode.PACQ, OutputType.F16));
                h.data(10 + i, new byte[64]);
                h.next();
            }
            h.send(gemm(20, 999, 1, 32, GemmMode.PACQ, OutputType.F16));
            h.data(20, new byte[64]);
            h.next();
            h.send(Envelope.newBuilder().setRequestId(30).setStatsRequest(StatsRequest.getDefaultInstance()).build());
            var s = h.next().getStats();
            assertEquals(6, s.getGemmsReceived());
            assertEquals(5, s.getGemmsCompleted());
            assertEquals(1, s.getUploadsCompleted());
            assertEquals(1L, s.getErrorsMap().get("UNKNOWN_HANDLE"));
            assertEquals(1, s.getDeviceLiveHandles());
            assertTrue(s.getGemmLatencyMaxUs() >= s.getGemmLatencyP50Us());
            assertTrue(s.getBytesReceived() > 5 * 64);
        }
    }

    @Test
    void f16EdgeValuesSurviveTheWire() {
        try (Harness h = harness()) {
            h.hello(TOKEN);
            QuantizedWeights w = RandomProblems.weights(new SplittableRandom(8), 16, 4, QuantSpec.of(8, 16).asSymmetric());
            h.upload(1, w);
            long handle = h.next().getUploaded().getHandle();
            short[] a = new short[16];
            a[0] = (short) 0x7C00;  // +Inf
            a[1] = Fp16.CANONICAL_NAN;
            h.send(gemm(2, handle, 1, 16, GemmMode.PACQ, OutputType.F32));
            h.data(2, Harness.le(a));
            h.next();
            byte[] out = h.payload(2);
            int[] got = new int[4];
            java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(got);
            assertArrayEquals(ReferenceGemm.gemmF32(GemmMode.PACQ, a, 1, w), got);
        }
    }

    @Test
    void inflightBytesLimitForAllSessionsAndRunningWorkRetiredAfterDisconnect() {
        ManualDevice dev = new ManualDevice(new ReferenceDevice("ref:", 1L << 30));
        try (Harness h = new Harness(dev, config().maxRequestBytes(200).maxInflightBytes(300).build())) {
            h.hello(TOKEN);
            QuantizedWeights w = RandomProblems.weights(new SplittableRandom(9), 32, 16, QuantSpec.of(4, 32));
            h.upload(1, w);
            long handle = h.next().getUploaded().getHandle();
            h.send(gemm(2, handle, 2, 32, GemmMode.PACQ, OutputType.F16));   // 128 + 64 bytes
            h.data(2, new byte[128]);
            assertEquals(192, h.ctx.inflightBytes());
            h.send(gemm(3, handle, 2, 32, GemmMode.PACQ, OutputType.F16));
            Envelope e = h.next();
            assertEquals(3, e.getRequestId());
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.getError().getCode());
            assertTrue(e.getError().getMessage().startsWith("the server already holds 192 B of GEMM activations"),
                    e.getError().getMessage());
            h.data(3, new byte[128]);
            assertEquals(1, h.ctx.activeRequests.get());
            h.ch.close();                          // the GEMM is still on the device
            h.ch.runPendingTasks();
            assertTrue(dev.completeNext());
            h.ch.runPendingTasks();
            assertEquals(0, h.ctx.activeRequests.get(), "retired once the device finished");
            assertEquals(0, h.ctx.inflightBytes());
            assertEquals(0, h.ctx.residentBytes());
        }
    }

    @Test
    void packedUploadsGiveTheReferenceBitsAndCountLikeU8() {
        // every width, N that ends inside a byte, DATA frames of 7 bytes (scales split at odd bytes,
        // parts meeting inside a frame), symmetric and not
        try (Harness h = harness()) {
            h.hello(TOKEN);
            SplittableRandom rnd = new SplittableRandom(11);
            long id = 1;
            for (int bits : new int[] {2, 4, 8}) {
                for (boolean sym : new boolean[] {false, true}) {
                    int k = 64;
                    int n = 37;
                    QuantizedWeights w = RandomProblems.weights(rnd, k, n, new QuantSpec(bits, 32, 2, sym));
                    byte[] packed = Harness.packedCodes(w);
                    assertEquals(k * ((n * bits + 7) / 8), packed.length);
                    long up = id++;
                    h.upload(up, w, CodesEncoding.CODES_ENCODING_PACKED, packed, 7, 0);
                    Envelope e = h.next();
                    assertTrue(e.hasUploaded(), e.toString());
                    int groups = 2 * 19;
                    long resident = (long) k * n + 2L * groups + (sym ? 0 : groups);   // codes counted as U8
                    assertEquals(resident, e.getUploaded().getResidentBytes(), "INT" + bits);
                    assertEquals(resident, h.ctx.residentBytes());
                    long handle = e.getUploaded().getHandle();
                    var a = RandomProblems.activationsWithEdges(rnd, 2, k, 2f, 0.1);
                    for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT}) {
                        long g = id++;
                        h.send(gemm(g, handle, 2, k, mode, OutputType.F16));
                        h.data(g, Harness.le(a.toBits()));
                        assertTrue(h.next().hasGemmDone());
                        assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), 2, w), Harness.shorts(h.payload(g)),
                                "INT" + bits + " " + mode);
                    }
                    h.send(Envelope.newBuilder().setRequestId(id++).setFree(Free.newBuilder().setHandle(handle)).build());
                    assertTrue(h.next().hasFreed());
                    // the same weights as U8 codes reserve the same bytes
                    long up8 = id++;
                    h.upload(up8, w, CodesEncoding.CODES_ENCODING_U8, w.codes(), 1000, 0);
                    Envelope e8 = h.next();
                    assertEquals(resident, e8.getUploaded().getResidentBytes());
                    h.send(Envelope.newBuilder().setRequestId(id++).setFree(Free.newBuilder()
                            .setHandle(e8.getUploaded().getHandle())).build());
                    assertTrue(h.next().hasFreed());
                    assertEquals(0, h.ctx.residentBytes());
                }
            }
        }
    }

    @Test
    void badCodesAreRefusedAndTheSessionGoesOn() {
        SplittableRandom rnd = new SplittableRandom(12);
        QuantizedWeights w = RandomProblems.weights(rnd, 32, 5, QuantSpec.of(4, 32).asSymmetric());
        byte[] packed = Harness.packedCodes(w);       // rows of 3 bytes; the high nibble of the third is padding
        try (Harness h = harness()) {
            h.hello(TOKEN);
            // packed codes_bytes that do not match the shape
            h.upload(1, w, CodesEncoding.CODES_ENCODING_PACKED, java.util.Arrays.copyOf(packed, packed.length + 1),
                    1000, 0);
            Envelope e = h.next();
            assertEquals(ErrorCode.INVALID_REQUEST, e.getError().getCode());
            assertEquals("upload header: codes_bytes = 97 but packed INT4 codes [K=32][N=5] are K*ceil(N*4/8) = 96 bytes",
                    e.getError().getMessage());
            // an encoding this server does not know
            h.send(Envelope.newBuilder().setRequestId(2).setUpload(Upload.newBuilder().setK(32).setN(5).setBits(4)
                    .setGroupSize(32).setGroupCols(1).setSymmetric(true).setCodesEncodingValue(7).setCodesBytes(96)
                    .setScalesBytes(10).setDeadlineMs(1000)).build());
            h.data(2, new byte[106]);
            e = h.next();
            assertEquals(ErrorCode.INVALID_REQUEST, e.getError().getCode());
            assertEquals("upload header: codes_encoding = 7 is unknown (this server speaks 1.1: 0 = U8, 1 = PACKED)",
                    e.getError().getMessage());
            // padding bits set: refused after the CRC check, naming the row
            byte[] padded = packed.clone();
            padded[3 * 9 + 2] |= 0x50;
            h.upload(3, w, CodesEncoding.CODES_ENCODING_PACKED, padded, 1000, 0);
            e = h.next();
            assertEquals(ErrorCode.INVALID_REQUEST, e.getError().getCode());
            assertTrue(e.getError().getMessage().contains("packed codes row 9: the 4 bits after column 4 must be 0"),
                    e.getError().getMessage());
            // the same bytes with a wrong CRC: the checksum is what is reported
            h.upload(4, w, CodesEncoding.CODES_ENCODING_PACKED, padded, 1000, 1);
            assertEquals(ErrorCode.CHECKSUM_MISMATCH, h.next().getError().getCode());
            // U8 codes that do not fit in 4 bits
            byte[] u8 = w.codes();
            u8[2 * 5 + 3] = 16;
            h.upload(5, w, CodesEncoding.CODES_ENCODING_U8, u8, 13, 0);
            e = h.next();
            assertEquals(ErrorCode.INVALID_REQUEST, e.getError().getCode());
            assertEquals("qcodes[2][3] = 16 does not fit in 4 bits", e.getError().getMessage());
            assertEquals(0, h.ctx.residentBytes());
            // and the session still works
            h.upload(6, w, CodesEncoding.CODES_ENCODING_PACKED, packed, 1000, 0);
            assertTrue(h.next().hasUploaded());
            assertTrue(h.ch.isActive());
        }
    }
}
