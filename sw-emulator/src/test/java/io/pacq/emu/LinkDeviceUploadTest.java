package io.pacq.emu;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.LinkException;
import io.pacq.WeightHandle;
import io.pacq.driver.LinkDevice;
import io.pacq.link.Link;
import io.pacq.quant.PackedWeights;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads whose N-packed image is streamed to the device in several pieces (it is larger than
 * the driver's piece and not a multiple of it): every mode gives the reference bits, the bytes
 * written are the image, and a transfer that fails part-way frees everything the upload held.
 */
class LinkDeviceUploadTest {

    /** Counts host-to-card bytes and fails the write with the given index (0-based; -1: none). */
    private static final class CountingLink implements Link {
        final EmuLink inner;
        final AtomicInteger writes = new AtomicInteger();
        volatile int failAt = -1;
        long bytes;

        CountingLink(EmuLink inner) {
            this.inner = inner;
        }

        @Override public int readReg(int offset) { return inner.readReg(offset); }
        @Override public void writeReg(int offset, int value) { inner.writeReg(offset, value); }
        @Override public void readMem(long address, ByteBuffer dst) { inner.readMem(address, dst); }
        @Override public boolean awaitInterrupt(long t) throws InterruptedException { return inner.awaitInterrupt(t); }
        @Override public String describe() { return inner.describe(); }
        @Override public void close() { inner.close(); }

        @Override
        public void writeMem(long address, ByteBuffer src) {
            if (writes.getAndIncrement() == failAt) {
                throw new LinkException("test: write " + failAt + " fails");
            }
            bytes += src.remaining();
            inner.writeMem(address, src);
        }
    }

    private static Device open(CountingLink link) {
        return LinkDevice.open(link, DeviceUri.parse("emu:"), DeviceOptions.DEFAULTS, "test emulator");
    }

    private static CountingLink link() {
        EmuDevice emu = new EmuDevice(EmuDevice.Config.functional(64L << 20), GemmEngines.create("auto", 2));
        return new CountingLink(new EmuLink(emu, "test emulator"));
    }

    @Test
    void imagesOfSeveralPiecesGiveTheReferenceBits() {
        SplittableRandom rnd = new SplittableRandom(31);
        CountingLink link = link();
        try (Device dev = open(link)) {
            for (int bits : new int[] {2, 4, 8}) {
                // 64 whole strips and 40 columns more: 65 strips * 1024 rows * 32 bytes = 2.1 MB
                int k = 1024;
                int n = PackedWeights.stripCols(bits) * 64 + 40;
                QuantizedWeights w = RandomProblems.weights(rnd, k, n, new QuantSpec(bits, 128, 1, bits != 4));
                long image = PackedWeights.weightBytes(k, n, bits);
                assertTrue(image > 2 << 20 && image % (1 << 20) != 0, "image of " + image + " bytes");
                long before = link.bytes;
                try (WeightHandle h = dev.upload(w, EnumSet.allOf(GemmMode.class))) {
                    PackedWeights p = PackedWeights.pack(w);
                    long kpacked = io.pacq.quant.KPackedWeights.weightBytes(k, n, bits);
                    assertEquals(p.totalBytes() + kpacked, h.deviceBytes());
                    assertEquals(h.deviceBytes(), link.bytes - before, "every image byte written once");
                    Fp16Matrix a = RandomProblems.activations(rnd, 2, k, 2f);
                    for (GemmMode mode : GemmMode.values()) {
                        assertArrayEquals(ReferenceGemm.gemmF16(mode, a.toBits(), 2, w),
                                dev.gemm(GemmRequest.of(h, a).withMode(mode)).f16Bits(), "INT" + bits + " " + mode);
                    }
                }
            }
        }
    }

    @Test
    void aTransferFailingPartWayFreesEverything() {
        CountingLink link = link();
        try (Device dev = open(link)) {
            SplittableRandom rnd = new SplittableRandom(32);
            QuantizedWeights w = RandomProblems.weights(rnd, 1024, 4096, QuantSpec.of(4, 128));   // 2 MiB image
            long inUse = dev.counters().deviceBytesInUse();
            link.failAt = link.writes.get() + 1;                                                  // the second piece
            LinkException e = assertThrows(LinkException.class, () -> dev.upload(w));
            assertTrue(e.getMessage().contains("test: write"), e.getMessage());
            assertEquals(inUse, dev.counters().deviceBytesInUse());
            assertEquals(0, dev.counters().liveHandles());
            try (WeightHandle h = dev.upload(w)) {
                Fp16Matrix a = RandomProblems.activations(rnd, 1, 1024, 1f);
                assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), 1, w),
                        dev.gemm(GemmRequest.of(h, a)).f16Bits());
            }
        }
    }
}
