package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceCounters;
import io.pacq.DeviceOptions;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.InvalidRequestException;
import io.pacq.LinkException;
import io.pacq.UnknownDeviceException;
import io.pacq.WeightHandle;
import io.pacq.net.server.PacqServer;
import io.pacq.net.server.ServerConfig;
import io.pacq.proto.ServerStats;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pacq:// client: cancellation, deadlines, reconnects, TLS, limits, URIs. */
class ClientTest {
    static final SplittableRandom RND = new SplittableRandom(11);

    static QuantizedWeights weights() {
        return RandomProblems.weights(RND, 64, 40, QuantSpec.of(4, 32));
    }

    static void checkGemm(Device dev, WeightHandle h, QuantizedWeights w) {
        Fp16Matrix a = RandomProblems.activations(RND, 2, 64, 2f);
        assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), 2, w), dev.gemm(GemmRequest.of(h, a)).f16Bits());
    }

    @Test
    void cancellationReachesTheServer() throws Exception {
        SlowDevice slow = new SlowDevice(Device.open("emu:?mem=64M&threads=1"), -1);
        try (TestServers served = new TestServers(slow, TestServers.base().build());
             Device dev = served.client()) {
            QuantizedWeights w = weights();
            try (WeightHandle h = dev.upload(w)) {
                CompletableFuture<GemmResult> f = dev.submit(GemmRequest.of(h, RandomProblems.activations(RND, 1, 64, 1f)));
                while (slow.started.get() == 0) {
                    Thread.sleep(2);
                }
                assertTrue(f.cancel(true));
                long end = System.nanoTime() + 5_000_000_000L;
                while (served.server.stats().getCancels() == 0 && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
                assertEquals(1, served.server.stats().getCancels());
                assertEquals(1L, served.server.stats().getErrorsMap().get("CANCELLED"));
                slow.release();
                checkGemm(dev, h, w);   // the connection is fine afterwards
            }
        }
    }

    @Test
    void reconnectUploadsTheWeightsAgain() throws Exception {
        Device emu = Device.open("emu:?mem=64M&threads=1");
        PacqServer s1 = PacqServer.start(emu, TestServers.base().build());
        int port = s1.address().getPort();
        String uri = s1.uri();
        PacqServer s2 = null;
        try (RemoteDevice dev = (RemoteDevice) Device.open(uri)) {
            QuantizedWeights w = weights();
            try (WeightHandle h = dev.upload(w)) {
                checkGemm(dev, h, w);
                String first = dev.sessionId();
                s1.stop(Duration.ofSeconds(1));
                LinkException e = assertThrows(LinkException.class, () -> checkGemm(dev, h, w));
                assertTrue(e.getMessage().startsWith("cannot connect to " + uri) || e.getMessage().contains("lost while"),
                        e.getMessage());
                s2 = PacqServer.start(emu, TestServers.base().port(port).build());
                checkGemm(dev, h, w);          // new session; the weights went up again
                assertEquals(1, dev.reconnects());
                assertNotEquals(first, dev.sessionId());
                assertEquals(2, s2.stats().getUploadsCompleted() + 1, "one upload in the new session");
            }
        } finally {
            if (s2 != null) {
                s2.stop(Duration.ofSeconds(1));
            }
            emu.close();
        }
    }

    @Test
    void withoutReuploadTheClientSaysTheWeightsAreGone() throws Exception {
        Device emu = Device.open("emu:?mem=64M&threads=1");
        PacqServer s1 = PacqServer.start(emu, TestServers.base().build());
        int port = s1.address().getPort();
        PacqServer s2 = null;
        try (Device dev = Device.open(s1.uri() + "?reupload=false")) {
            QuantizedWeights w = weights();
            WeightHandle h = dev.upload(w);
            checkGemm(dev, h, w);
            s1.stop(Duration.ofSeconds(1));
            s2 = PacqServer.start(emu, TestServers.base().port(port).build());
            LinkException e = null;
            for (int i = 0; i < 2 && e == null; i++) {  // the first call may still see the old connection go
                try {
                    checkGemm(dev, h, w);
                } catch (LinkException x) {
                    if (x.getMessage().contains("were lost with session")) {
                        e = x;
                    }
                }
            }
            assertTrue(e != null && e.getMessage().contains("upload them again (or open the device with reupload=true)"),
                    String.valueOf(e));
            h.close();
            WeightHandle h2 = dev.upload(w);
            checkGemm(dev, h2, w);
            h2.close();
        } finally {
            if (s2 != null) {
                s2.stop(Duration.ofSeconds(1));
            }
            emu.close();
        }
    }

    @Test
    void tlsWithASelfSignedCertificate(@TempDir Path dir) throws Exception {
        TestCerts certs = TestCerts.create(dir);
        try (TestServers served = TestServers.emu(TestServers.base().tls(certs.cert(), certs.key()).token("t").build())) {
            String uri = served.uri();
            assertTrue(uri.startsWith("pacq+tls://127.0.0.1:"), uri);
            try (Device dev = Device.open(uri + "?ca=" + certs.cert(), DeviceOptions.DEFAULTS.withAuthToken("t"))) {
                QuantizedWeights w = weights();
                try (WeightHandle h = dev.upload(w)) {
                    checkGemm(dev, h, w);
                }
            }
            LinkException untrusted = assertThrows(LinkException.class,
                    () -> Device.open(uri, DeviceOptions.DEFAULTS.withAuthToken("t")));
            assertTrue(untrusted.getMessage().contains("TLS"), untrusted.getMessage());
            String plain = uri.replace("pacq+tls://", "pacq://");
            LinkException e = assertThrows(LinkException.class,
                    () -> Device.open(plain + "?connect_timeout_ms=2000", DeviceOptions.DEFAULTS.withAuthToken("t")));
            assertFalse(e.getMessage().isEmpty());
        }
    }

    @Test
    void tooManyClientsIsRefusedAndTheOthersGoOn() {
        try (TestServers served = TestServers.emu(TestServers.base().maxClients(1).build());
             Device first = served.client()) {
            RemoteException e = assertThrows(RemoteException.class, served::client);
            assertEquals("TOO_MANY_CLIENTS", e.code());
            assertTrue(e.getMessage().contains("maximum of 1 clients"), e.getMessage());
            QuantizedWeights w = weights();
            try (WeightHandle h = first.upload(w)) {
                checkGemm(first, h, w);
            }
        }
    }

    @Test
    void pingsKeepAnIdleSessionAlive() throws Exception {
        try (TestServers served = TestServers.emu(TestServers.base().idleTimeout(Duration.ofMillis(400)).build());
             RemoteDevice dev = (RemoteDevice) served.client()) {
            QuantizedWeights w = weights();
            try (WeightHandle h = dev.upload(w)) {
                Thread.sleep(1500);
                checkGemm(dev, h, w);
                assertEquals(0, dev.reconnects());
            }
        }
    }

    @Test
    void statisticsAndCounters() {
        try (TestServers served = TestServers.emu(); RemoteDevice dev = (RemoteDevice) served.client()) {
            QuantizedWeights w = weights();
            try (WeightHandle h = dev.upload(w)) {
                checkGemm(dev, h, w);
                checkGemm(dev, h, w);
                ServerStats s = dev.serverStats();
                assertEquals(2, s.getGemmsCompleted());
                assertEquals(1, s.getUploadsCompleted());
                assertEquals(1, s.getDeviceLiveHandles());
                assertTrue(RemoteDevice.describe(s).get(1).contains("2 GEMMs received, 2 completed"));
                DeviceCounters c = dev.counters();
                assertEquals(2, c.commandsSubmitted());
                assertEquals(2, c.commandsCompleted());
                assertEquals(1, c.liveHandles());
                // the upload travels with its codes packed: K*N/2 bytes for INT4, plus scales and zeros
                assertTrue(c.bytesToDevice() > w.k() * w.n() / 2 + 2 * 2 * 40 + 2 * 40, "the upload is counted");
            }
            assertEquals(0, dev.counters().liveHandles());
        }
    }

    @Test
    void badUrisAndUnreachableServers() {
        assertThrows(InvalidRequestException.class, () -> Device.open("pacq://127.0.0.1:99999"));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Device.open("pacq://h:1?x=1"));
        assertTrue(e.getMessage().contains("unknown parameter 'x'"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> Device.open("pacq:h:1"));
        assertThrows(InvalidRequestException.class, () -> Device.open("pacq://127.0.0.1:1?ca=x.pem"));
        LinkException refused = assertThrows(LinkException.class, () -> Device.open("pacq://127.0.0.1:1"));
        assertTrue(refused.getMessage().startsWith("cannot connect to pacq://127.0.0.1:1: "), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("is `pacq serve` running there?"), refused.getMessage());
        assertEquals("pacq", NetDeviceProvider.parse(io.pacq.DeviceUri.parse("pacq://[::1]:7071")).uri().scheme());
        assertEquals(7071, NetDeviceProvider.parse(io.pacq.DeviceUri.parse("pacq://[::1]:7071")).port());
        assertEquals("::1", NetDeviceProvider.parse(io.pacq.DeviceUri.parse("pacq://[::1]:7071")).host());
        assertEquals(7070, NetDeviceProvider.parse(io.pacq.DeviceUri.parse("pacq://example")).port());
        UnknownDeviceException u = assertThrows(UnknownDeviceException.class, () -> Device.open("nope://x"));
        assertTrue(u.getMessage().contains("pacq, pacq+tls"), u.getMessage());
    }

    @Test
    void wrongHandleAndShapeAreRefusedLocally() {
        try (TestServers served = TestServers.emu(); Device a = served.client(); Device b = served.client()) {
            QuantizedWeights w = weights();
            try (WeightHandle h = a.upload(w)) {
                assertThrows(InvalidRequestException.class,
                        () -> b.submit(GemmRequest.of(h, RandomProblems.activations(RND, 1, 64, 1f))));
                InvalidRequestException e = assertThrows(InvalidRequestException.class,
                        () -> a.submit(GemmRequest.of(h, RandomProblems.activations(RND, 1, 32, 1f))));
                assertTrue(e.getMessage().startsWith("shape mismatch"), e.getMessage());
                assertThrows(InvalidRequestException.class, () -> a.submit(GemmRequest.of(h,
                        RandomProblems.activations(RND, 1, 64, 1f)).withMode(GemmMode.KPACKED)));
            }
        }
    }

    @Test
    void closingWithOpenHandlesReportsThem() {
        try (TestServers served = TestServers.emu()) {
            Device dev = served.client();
            dev.upload(weights());
            io.pacq.ResourceLeakException e = assertThrows(io.pacq.ResourceLeakException.class, dev::close);
            assertTrue(e.getMessage().contains("1 open weight handle(s)"), e.getMessage());
        }
    }

    @Test
    void aCallbackMayBlockOnTheSameDevice() {
        try (TestServers served = TestServers.emu(); Device dev = served.client()) {
            QuantizedWeights w = weights();
            try (WeightHandle h = dev.upload(w)) {
                Fp16Matrix a = RandomProblems.activations(RND, 1, 64, 1f);
                GemmResult second = dev.submit(GemmRequest.of(h, a))
                        .thenApply(first -> dev.gemm(GemmRequest.of(h, a)))    // blocks inside the callback
                        .orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
                assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), 1, w), second.f16Bits());
            }
        }
    }
}
