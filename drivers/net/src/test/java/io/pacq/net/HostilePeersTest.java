package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.Fp16Matrix;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.LinkException;
import io.pacq.DeviceTimeoutException;
import io.pacq.WeightHandle;
import io.pacq.net.server.PacqServer;
import io.pacq.net.server.ServerConfig;
import io.pacq.proto.Envelope;
import io.pacq.proto.ErrorCode;
import io.pacq.proto.Gemm;
import io.pacq.proto.OutputType;
import io.pacq.proto.Upload;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken and hostile peers on real sockets: each gets a clear error or is cut off, frees what it
 * held, and a well-behaved client keeps getting correct results throughout.
 */
class HostilePeersTest {
    static final String TOKEN = "s3cret-token";
    static TestServers served;
    static GoodClient good;

    @BeforeAll
    static void start() {
        served = TestServers.emu(TestServers.base().token(TOKEN).handshakeTimeout(Duration.ofMillis(800))
                .idleTimeout(Duration.ofMillis(1500)).maxInflightPerClient(4).build());
        good = new GoodClient(served.uri(), DeviceOptions.DEFAULTS.withAuthToken(TOKEN));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        good.close();
        served.close();
    }

    private RawPeer peer() throws Exception {
        return new RawPeer(served.server.address());
    }

    /** Waits until the server has only the good client left and every other session's weights are freed. */
    private static void onlyGoodClientLeft() throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (served.server.clients() > 1 || served.server.residentBytes() > goodResident()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("server still has " + served.server.clients() + " clients and "
                        + served.server.residentBytes() + " resident bytes");
            }
            Thread.sleep(10);
        }
    }

    private static long goodResident() {
        return 64 * 48 + 2 * 2 * 48 + 2 * 48; // codes + scales + zeros of the good client's weights
    }

    @Test
    void randomBytesAreCutOff() throws Exception {
        Random r = new Random(1);
        for (int i = 0; i < 5; i++) {
            byte[] junk = new byte[1 + r.nextInt(3000)];
            r.nextBytes(junk);
            try (RawPeer p = peer()) {
                p.raw(junk);
                assertTrue(p.closedWithin(3000), "server must close a connection that sends random bytes");
            }
            good.progresses(2);
        }
        onlyGoodClientLeft();
    }

    @Test
    void oversizedLengthPrefixBeforeAndAfterTheHandshake() throws Exception {
        try (RawPeer p = peer()) {
            p.raw(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            io.pacq.proto.Error e = p.fatalError(3000);
            assertEquals(ErrorCode.FRAME_TOO_LARGE, e.getCode());
            assertTrue(e.getMessage().contains("exceeds the maximum frame length of 65536"), e.getMessage());
            assertTrue(p.closedWithin(3000));
        }
        try (RawPeer p = peer()) {
            p.hello(TOKEN);
            assertTrue(p.readMessage(3000).hasWelcome());
            p.raw(new byte[] {0x01, 0x00, 0x00, 0x00, 0x01});   // 16 MiB, type MESSAGE
            io.pacq.proto.Error e = p.fatalError(3000);
            assertEquals(ErrorCode.FRAME_TOO_LARGE, e.getCode());
            assertTrue(e.getMessage().contains("frame of 16777216 bytes exceeds the maximum frame length of 1114112"),
                    e.getMessage());
            assertTrue(p.closedWithin(3000));
        }
        good.progresses(2);
        onlyGoodClientLeft();
    }

    @Test
    void truncatedFrameThenSilenceOrHangUp() throws Exception {
        try (RawPeer p = peer()) {
            p.hello(TOKEN);
            assertTrue(p.readMessage(3000).hasWelcome());
            p.raw(new byte[] {0, 0, 0, 100, 1, 2, 3});          // announces 100 bytes, sends 3
            io.pacq.proto.Error e = p.fatalError(5000);          // then says nothing: idle timeout
            assertEquals(ErrorCode.IDLE_TIMEOUT, e.getCode());
        }
        try (RawPeer p = peer()) {
            p.hello(TOKEN);
            assertTrue(p.readMessage(3000).hasWelcome());
            p.raw(new byte[] {0, 0, 0, 100, 1, 2, 3});
            p.kill();
        }
        good.progresses(2);
        onlyGoodClientLeft();
    }

    @Test
    void wrongTokenAndNoToken() throws Exception {
        try (RawPeer p = peer()) {
            p.hello("not-the-token");
            io.pacq.proto.Error e = p.fatalError(3000);
            assertEquals(ErrorCode.UNAUTHENTICATED, e.getCode());
            assertEquals("wrong auth token", e.getMessage());
            assertTrue(p.closedWithin(3000));
        }
        RemoteException ex = assertThrows(RemoteException.class, () -> Device.open(served.uri()));
        assertEquals("UNAUTHENTICATED", ex.code());
        assertTrue(ex.getMessage().contains("needs an auth token (pass --token-file or set PACQ_TOKEN)"), ex.getMessage());
        ex = assertThrows(RemoteException.class,
                () -> Device.open(served.uri(), DeviceOptions.DEFAULTS.withAuthToken("s3cret-tokeN")));
        assertTrue(ex.getMessage().contains("wrong auth token"), ex.getMessage());
        // a request before Hello is refused the same way
        try (RawPeer p = peer()) {
            p.message(Envelope.newBuilder().setRequestId(1).setGemm(Gemm.newBuilder().setM(1)).build());
            assertEquals(ErrorCode.UNAUTHENTICATED, p.fatalError(3000).getCode());
        }
        // silence before Hello: the handshake timeout
        try (RawPeer p = peer()) {
            io.pacq.proto.Error e = p.fatalError(5000);
            assertEquals(ErrorCode.UNAUTHENTICATED, e.getCode());
            assertTrue(e.getMessage().contains("handshake timeout"), e.getMessage());
        }
        good.progresses(2);
        onlyGoodClientLeft();
    }

    @Test
    void wrongProtocolVersion() throws Exception {
        try (RawPeer p = peer()) {
            p.hello(2, TOKEN);
            io.pacq.proto.Error e = p.fatalError(3000);
            assertEquals(ErrorCode.VERSION_MISMATCH, e.getCode());
            assertTrue(e.getMessage().contains("the client speaks protocol 2.0 but this server speaks 1.1"),
                    e.getMessage());
            assertTrue(p.closedWithin(3000));
        }
        good.progresses(2);
    }

    @Test
    void slowReaderOnlySlowsItself() throws Exception {
        try (RawPeer p = new RawPeer(served.server.address(), 4096)) {
            p.hello(TOKEN);
            assertTrue(p.readMessage(3000).hasWelcome());
            long handle = uploadRaw(p, 1, 32, 1024);
            // 200 x 64 x 1024 F32 results (256 KiB each, 50 MiB in all), never read
            long sentBefore = served.server.stats().getBytesSent();
            byte[] a = new byte[64 * 32 * 2];
            for (long id = 10; id < 210; id++) {
                p.message(Envelope.newBuilder().setRequestId(id).setGemm(Gemm.newBuilder().setHandle(handle).setM(64)
                        .setK(32).setMode(io.pacq.proto.GemmMode.PACQ).setOutput(OutputType.F32).setDeadlineMs(60_000))
                        .build());
                p.data(id, a);
            }
            good.progresses(20);   // others are served while this one does not read
            long sent = served.server.stats().getBytesSent() - sentBefore;
            assertTrue(sent < 30L << 20, "the server produced " + sent + " bytes for a reader that reads nothing: "
                    + "it should have stopped taking its requests");
            Thread.sleep(2500);    // still not reading, past the idle timeout: the server gives up on it
            io.pacq.proto.Error e = p.fatalError(10_000);  // reads what was buffered, then the verdict
            assertEquals(ErrorCode.IDLE_TIMEOUT, e.getCode());
            assertTrue(e.getMessage().contains("did not read its results"), e.getMessage());
        } catch (java.net.SocketException closedUnderUs) {
            // the server may cut the connection while the writes above are still blocked: also fine
        }
        good.progresses(2);
        onlyGoodClientLeft();
    }

    @Test
    void clientKilledMidUploadFreesItsReservation() throws Exception {
        try (RawPeer p = peer()) {
            p.hello(TOKEN);
            assertTrue(p.readMessage(3000).hasWelcome());
            int k = 1024;
            int n = 1024;
            p.message(Envelope.newBuilder().setRequestId(1).setUpload(Upload.newBuilder().setK(k).setN(n).setBits(4)
                    .setGroupSize(128).setGroupCols(1).setSymmetric(true).setCodesBytes((long) k * n)
                    .setScalesBytes(2L * (k / 128) * n).setCrc32C(0).setDeadlineMs(10_000)).build());
            p.data(1, new byte[300_000]);
            long end = System.nanoTime() + 5_000_000_000L;
            while (served.server.residentBytes() < (long) k * n && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertTrue(served.server.residentBytes() >= (long) k * n, "the upload reserved its bytes");
            p.kill();
        }
        onlyGoodClientLeft();
        good.progresses(2);
    }

    @Test
    void checksumMismatchDiscardsTheWeights() throws Exception {
        try (RawPeer p = peer()) {
            p.hello(TOKEN);
            assertTrue(p.readMessage(3000).hasWelcome());
            byte[] codes = new byte[32 * 16];
            byte[] scales = new byte[2 * 16];
            p.message(Envelope.newBuilder().setRequestId(1).setUpload(Upload.newBuilder().setK(32).setN(16).setBits(4)
                    .setGroupSize(32).setGroupCols(1).setSymmetric(true).setCodesBytes(codes.length)
                    .setScalesBytes(scales.length).setCrc32C(12345).setDeadlineMs(10_000)).build());
            p.data(1, codes);
            p.data(1, scales);
            Envelope e = p.readMessage(3000);
            assertEquals(1, e.getRequestId());
            assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.getError().getCode());
            assertTrue(e.getError().getMessage().contains("header says 0x3039"), e.getError().getMessage());
            // the session goes on
            p.message(Envelope.newBuilder().setRequestId(2).setPing(io.pacq.proto.Ping.newBuilder().setNanos(7)).build());
            assertEquals(7, p.readMessage(3000).getPong().getNanos());
        }
        onlyGoodClientLeft();
    }

    @Test
    void serverStoppedMidGemmGivesAClearErrorWithinTheDeadline() throws Exception {
        SlowDevice slow = new SlowDevice(Device.open("emu:?mem=64M&threads=1"), -1);
        PacqServer server = PacqServer.start(slow, TestServers.base().build());
        try (Device dev = Device.open(server.uri(), DeviceOptions.DEFAULTS.withTimeout(Duration.ofSeconds(10)))) {
            SplittableRandom rnd = new SplittableRandom(3);
            QuantizedWeights w = RandomProblems.weights(rnd, 32, 16, QuantSpec.of(4, 32));
            WeightHandle h = dev.upload(w);
            CompletableFuture<GemmResult> f = dev.submit(GemmRequest.of(h, RandomProblems.activations(rnd, 1, 32, 1f))
                    .withTimeout(Duration.ofSeconds(8)));
            while (slow.started.get() == 0) {
                Thread.sleep(2);
            }
            long t0 = System.nanoTime();
            server.stop(Duration.ZERO);            // no grace: the GEMM is cut off
            LinkException e = assertThrows(LinkException.class, () -> Device.await(f));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 8000, "error after " + ms + " ms");
            assertTrue(e.getMessage().contains("lost while GEMM (M=1 N=16 K=32 INT4 PACQ) was in flight"), e.getMessage());
            assertThrows(LinkException.class, () -> dev.gemm(GemmRequest.of(h, Fp16Matrix.ofFloats(1, 32, new float[32]))));
        } catch (io.pacq.ResourceLeakException expected) {
            // the handle was left open on purpose
        } finally {
            slow.close();
        }
    }

    @Test
    void hungServerGivesATimeoutWithinTheDeadline() throws Exception {
        SlowDevice slow = new SlowDevice(Device.open("emu:?mem=64M&threads=1"), -1);
        PacqServer server = PacqServer.start(slow, TestServers.base().build());
        try (Device dev = Device.open(server.uri())) {
            SplittableRandom rnd = new SplittableRandom(3);
            try (WeightHandle h = dev.upload(RandomProblems.weights(rnd, 32, 16, QuantSpec.of(4, 32)))) {
                long t0 = System.nanoTime();
                DeviceTimeoutException e = assertThrows(DeviceTimeoutException.class, () -> dev.gemm(
                        GemmRequest.of(h, RandomProblems.activations(rnd, 1, 32, 1f)).withTimeout(Duration.ofMillis(400))));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 390 && ms < 1500, "timeout after " + ms + " ms");
                assertTrue(e.getMessage().contains("got no answer within its deadline of 400 ms"), e.getMessage());
                slow.release();
            }
        } finally {
            server.stop(Duration.ofSeconds(2));
            slow.close();
        }
    }

    @Test
    void gracefulStopFinishesInFlightGemms() throws Exception {
        SlowDevice slow = new SlowDevice(Device.open("emu:?mem=64M&threads=1"), 300);
        PacqServer server = PacqServer.start(slow, TestServers.base().build());
        try (Device dev = Device.open(server.uri())) {
            SplittableRandom rnd = new SplittableRandom(4);
            QuantizedWeights w = RandomProblems.weights(rnd, 32, 16, QuantSpec.of(4, 32));
            WeightHandle h = dev.upload(w);
            Fp16Matrix a = RandomProblems.activations(rnd, 1, 32, 1f);
            CompletableFuture<GemmResult> f = dev.submit(GemmRequest.of(h, a));
            while (slow.started.get() == 0) {
                Thread.sleep(2);
            }
            server.stop(Duration.ofSeconds(5));
            assertEquals(16, Device.await(f).n(), "the in-flight GEMM finished");
            assertEquals(0, server.residentBytes());
            h.close();
        } finally {
            slow.close();
        }
    }

    /** Uploads zero weights [k][n] INT4 symmetric through a raw peer; returns the handle. */
    static long uploadRaw(RawPeer p, long id, int k, int n) throws Exception {
        byte[] codes = new byte[k * n];
        byte[] scales = new byte[2 * (k / 32) * n];
        ByteBuffer.wrap(scales).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer()
                .put(new short[(k / 32) * n]);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(codes);
        crc.update(scales);
        p.message(Envelope.newBuilder().setRequestId(id).setUpload(Upload.newBuilder().setK(k).setN(n).setBits(4)
                .setGroupSize(32).setGroupCols(1).setSymmetric(true).setCodesBytes(codes.length)
                .setScalesBytes(scales.length).setCrc32C((int) crc.getValue()).setDeadlineMs(10_000)).build());
        p.data(id, codes);
        p.data(id, scales);
        Envelope e = p.readMessage(5000);
        if (!e.hasUploaded()) {
            throw new AssertionError("upload failed: " + e);
        }
        return e.getUploaded().getHandle();
    }
}
