package io.pacq.xdma;

import io.pacq.Device;
import io.pacq.DeviceTimeoutException;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.IncompatibleDeviceException;
import io.pacq.InvalidRequestException;
import io.pacq.LinkException;
import io.pacq.PacqException;
import io.pacq.WeightHandle;
import io.pacq.abi.Abi;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user sees when the board, the driver or the bitstream is not right. */
class XdmaBadCasesTest {
    @TempDir
    Path dir;

    private static final SplittableRandom RND = new SplittableRandom(11);
    private static final QuantizedWeights W = RandomProblems.weights(RND, 64, 40, new QuantSpec(4, 32, 1, false));
    private static final Fp16Matrix A = RandomProblems.activations(RND, 2, 64, 2f);

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected \"" + p + "\" in: " + message);
        }
    }

    @Test
    void missingDriverNodesNameTheNodeAndTheDriver() {
        String uri = "xdma:" + dir.resolve("xdma0");
        XdmaNoDeviceException e = assertThrows(XdmaNoDeviceException.class, () -> Device.open(uri));
        assertContains(e.getMessage(), "open " + dir.resolve("xdma0_user"), "ENOENT",
                "XDMA driver is not loaded or there is no such device");
    }

    @Test
    void aBitstreamWithoutDmaChannelsIsRefusedNamingTheChannelNode() throws Exception {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults())) {
            Files.delete(dir.resolve("xdma0_c2h_0"));
            XdmaNoDeviceException e = assertThrows(XdmaNoDeviceException.class, () -> Device.open(rig.uri("")));
            assertContains(e.getMessage(), "open " + rig.prefix() + "_c2h_0", "ENOENT");
            // nothing stays locked or open after the failed open: a good configuration opens
            Files.createSymbolicLink(dir.resolve("xdma0_c2h_0"), rig.memoryFile().getFileName());
            try (Device dev = Device.open(rig.uri(""))) {
                assertEquals(Abi.VERSION_MAJOR, dev.info().abiMajor());
            }
        }
    }

    @Test
    void requiredEventsNodeMissingIsAnError() {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults().withEvents(false))) {
            XdmaNoDeviceException e = assertThrows(XdmaNoDeviceException.class,
                    () -> Device.open(rig.uri("irq=events&events=3")));
            assertContains(e.getMessage(), rig.prefix() + "_events_3", "ENOENT");
        }
    }

    @Test
    void shortReadFromCardMemoryIsATypedErrorWithCounts() throws Exception {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults());
             XdmaLink link = XdmaLink.open(XdmaLink.Config.of(rig.prefix()))) {
            try (RandomAccessFile f = new RandomAccessFile(rig.memoryFile().toFile(), "rw")) {
                f.setLength(1 << 20); // the "card" ends early, as a transfer that stopped part-way
            }
            ByteBuffer dst = ByteBuffer.allocate(8192);
            XdmaException e = assertThrows(XdmaException.class, () -> link.readMem((1 << 20) - 4096, dst));
            assertContains(e.getMessage(), "short read", "4096 of 8192 bytes", rig.prefix() + "_c2h_0",
                    "partial count");
        }
    }

    @Test
    void deviceThatNeverRaisesItsInterruptTimesOutIsResetAndRecovers() {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults());
             Device dev = Device.open(rig.uri(""));
             WeightHandle h = dev.upload(W)) {
            rig.device().injectHang();
            long t0 = System.nanoTime();
            DeviceTimeoutException e = assertThrows(DeviceTimeoutException.class,
                    () -> dev.gemm(GemmRequest.of(h, A).withTimeout(Duration.ofMillis(250))));
            assertTrue(System.nanoTime() - t0 >= 250_000_000L, "failed before its deadline");
            assertContains(e.getMessage(), "did not complete within its deadline of 250 ms",
                    "the device was reset and accepts commands again");
            assertEquals(1, dev.counters().resets());
            assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, A.toBits(), A.rows(), W),
                    dev.gemm(GemmRequest.of(h, A)).f16Bits(), "works again after the reset");
        }
    }

    @Test
    void cardThatStaysDeadAfterResetSaysHowToResetThePcieFunction() {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults())) {
            try (Device dev = Device.open(rig.uri(""))) {
                WeightHandle h = dev.upload(W);
                rig.device().injectHang();
                rig.device().injectStuckReset(true);
                DeviceTimeoutException e = assertThrows(DeviceTimeoutException.class,
                        () -> dev.gemm(GemmRequest.of(h, A).withTimeout(Duration.ofMillis(200))));
                assertContains(e.getMessage(), "did not come back from a soft reset and is unusable",
                        "reset its PCIe function", "/sys/bus/pci/devices/<BDF>/reset", "lspci -D -d 10ee:",
                        "docs/board-bringup.md");
                LinkException later = assertThrows(LinkException.class, () -> dev.submit(GemmRequest.of(h, A)));
                assertContains(later.getMessage(), "is unusable", "reset its PCIe function");
                assertThrows(PacqException.class, dev::close); // the handle is reported as leaked
            }
            // at open, a card stuck in reset is refused with the same advice
            LinkException atOpen = assertThrows(LinkException.class, () -> Device.open(rig.uri("")));
            assertContains(atOpen.getMessage(), "did not finish its reset", "reset its PCIe function");
            rig.device().injectStuckReset(false);
        }
    }

    @Test
    void abiMajorMismatchIsRefusedNamingBothVersions() {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults())) {
            int other = (Abi.VERSION_MAJOR + 1) << Abi.AbiVersionBits.MAJOR_LSB | 3;
            rig.override(Abi.Reg.ABI_VERSION, other);
            awaitPublished(rig, Abi.Reg.ABI_VERSION, other);
            IncompatibleDeviceException e = assertThrows(IncompatibleDeviceException.class,
                    () -> Device.open(rig.uri("")));
            assertContains(e.getMessage(), "implements ABI " + (Abi.VERSION_MAJOR + 1) + ".3",
                    "this host speaks ABI " + Abi.VERSION_MAJOR + "." + Abi.VERSION_MINOR, "load a matching bitstream");
            // discovery shows the same refusal without opening the device
            List<XdmaDevices.Found> found = XdmaDevices.scan(dir);
            assertEquals(1, found.size());
            assertNull(found.get(0).info());
            assertContains(found.get(0).problem(), "implements ABI " + (Abi.VERSION_MAJOR + 1) + ".3");
            assertContains(found.get(0).describe(), "not usable");
        }
    }

    @Test
    void cardReadingAllOnesIsReportedAsOffTheBus() {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults())) {
            rig.override(Abi.Reg.ID, 0xFFFFFFFF);
            awaitPublished(rig, Abi.Reg.ID, 0xFFFFFFFF);
            XdmaNoDeviceException e = assertThrows(XdmaNoDeviceException.class, () -> Device.open(rig.uri("")));
            assertContains(e.getMessage(), "reads 0xffffffff", "does not answer on PCIe", "reset its PCIe function");
        }
    }

    @Test
    void aSecondOpenOfTheSameCardIsRefusedWhileTheFirstHoldsIt() {
        try (XdmaFileRig rig = new XdmaFileRig(dir, XdmaFileRig.Options.defaults())) {
            try (Device first = Device.open(rig.uri(""))) {
                XdmaException e = assertThrows(XdmaException.class, () -> Device.open(rig.uri("")));
                assertEquals(Errno.EAGAIN, e.errno());
                assertContains(e.getMessage(), "is in use by another process", "fuser -v");
                XdmaDevices.Found f = XdmaDevices.scan(dir).get(0);
                assertTrue(f.inUse(), f.describe());
                assertNotNull(f.info(), "looking at a device in use still reads its capability block");
                assertEquals(first.info().memoryBytes(), f.info().memoryBytes());
            }
            XdmaDevices.Found f = XdmaDevices.scan(dir).get(0);
            assertFalse(f.inUse(), f.describe());
            assertContains(f.describe(), "xdma:" + rig.prefix(), "PacQ ABI " + Abi.VERSION_MAJOR, "EMU_FUNCTIONAL",
                    "1 H2C + 1 C2H", "interrupt nodes [0]");
        }
    }

    @Test
    void badUriParametersNameWhatIsAccepted() {
        String base = "xdma:" + dir.resolve("xdma0");
        assertContains(assertThrows(InvalidRequestException.class, () -> Device.open(base + "?bogus=1")).getMessage(),
                "unknown parameter 'bogus'", "[channels, chunk, events, irq, regs]");
        assertContains(assertThrows(InvalidRequestException.class, () -> Device.open(base + "?irq=msi")).getMessage(),
                "irq=msi is not one of [auto, events, poll]");
        assertContains(assertThrows(InvalidRequestException.class, () -> Device.open(base + "?channels=5")).getMessage(),
                "channels must be 1..4");
        assertContains(assertThrows(InvalidRequestException.class, () -> Device.open(base + "?chunk=1000")).getMessage(),
                "chunk must be a multiple of 4k");
        assertContains(assertThrows(InvalidRequestException.class, () -> Device.open(base + "?events=16")).getMessage(),
                "events must be 0..15");
        assertContains(assertThrows(InvalidRequestException.class, () -> Device.open("xdma:dev/xdma0")).getMessage(),
                "must be absolute");
        assertContains(assertThrows(InvalidRequestException.class, () -> Device.open("xdma:")).getMessage(),
                "names no device", "xdma:/dev/xdmaN");
        assertEquals("/dev/xdma3", XdmaProvider.config(io.pacq.DeviceUri.parse("xdma:3")).prefix());
        assertEquals("/dev/xdma1", XdmaProvider.config(io.pacq.DeviceUri.parse("xdma:/dev/xdma1_user")).prefix());
    }

    @Test
    void theProviderIsFoundAndDescribesItself() {
        XdmaProvider p = (XdmaProvider) io.pacq.Devices.providers().stream()
                .filter(x -> x.schemes().contains("xdma")).findFirst().orElseThrow();
        assertContains(p.describe(), "xdma:/dev/xdmaN", "Xilinx XDMA driver");
        assertFalse(XdmaDevices.report().isEmpty(), "the report always says something, even with no device");
    }

    /** Waits until the rig's bridge has written a value into the register file. */
    private static void awaitPublished(XdmaFileRig rig, int offset, int value) {
        long end = System.nanoTime() + 2_000_000_000L;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of(rig.prefix() + "_user"))) {
            ByteBuffer b = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (System.nanoTime() < end) {
                b.clear();
                ch.read(b, offset);
                if (b.getInt(0) == value) {
                    return;
                }
                Thread.sleep(1);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the rig did not publish 0x" + Integer.toHexString(value) + " at 0x"
                + Integer.toHexString(offset));
    }
}
