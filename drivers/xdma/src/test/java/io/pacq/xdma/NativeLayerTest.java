package io.pacq.xdma;

import com.sun.jna.Memory;
import io.pacq.abi.Abi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JNA layer on regular files and FIFOs: positional I/O at offsets, the mapped and the
 * pread/pwrite register windows, DMA chunking and striping, poll on a FIFO, errno translation.
 * Expected values come from plain java.nio reads and writes of the same files.
 */
class NativeLayerTest {
    @TempDir
    Path dir;

    private Path file(String name, int bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, new byte[bytes]);
        return p;
    }

    @Test
    void preadAndPwriteAtOffsets() throws IOException {
        Path p = file("mem", 3 * 4096);
        try (NativeFile f = NativeFile.open(p.toString(), LibC.O_RDWR, Errno.Node.H2C)) {
            Memory m = new Memory(10);
            for (int i = 0; i < 10; i++) {
                m.setByte(i, (byte) (0xA0 + i));
            }
            f.pwriteFully(m, 10, 4093, "test");        // straddles a page boundary
            byte[] onDisk = Files.readAllBytes(p);
            for (int i = 0; i < 10; i++) {
                assertEquals((byte) (0xA0 + i), onDisk[4093 + i]);
            }
            assertEquals(0, onDisk[4092]);
            assertEquals(0, onDisk[4103]);
            Memory back = new Memory(4);
            f.preadFully(back, 4, 4095, "test");
            assertEquals((byte) 0xA2, back.getByte(0));
            assertEquals((byte) 0xA5, back.getByte(3));
        }
    }

    @Test
    void shortReadAtEndOfFileIsAnErrorNamingBothCounts() throws IOException {
        Path p = file("mem", 100);
        try (NativeFile f = NativeFile.open(p.toString(), LibC.O_RDONLY, Errno.Node.C2H)) {
            XdmaException e = assertThrows(XdmaException.class, () -> f.preadFully(new Memory(64), 64, 80, "card"));
            assertTrue(e.getMessage().contains("short read") && e.getMessage().contains("20 of 64 bytes"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("0x50"), e.getMessage());
            assertEquals(0, e.errno());
        }
    }

    @Test
    void mappedRegisterWindowSharesTheFileBothWays() throws IOException {
        Path p = file("regs", Abi.REG_WINDOW_BYTES);
        try (NativeFile f = NativeFile.open(p.toString(), LibC.O_RDWR, Errno.Node.USER);
             RegisterWindow.Mapped w = new RegisterWindow.Mapped(f, true);
             FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            w.write(Abi.Reg.SCRATCH, 0xCAFEF00D);
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, Abi.Reg.SCRATCH);
            assertEquals(0xCAFEF00D, b.getInt(0), "the store reached the shared file, little-endian");
            b.clear();
            b.putInt(0, 0x12345678);
            ch.write(b, Abi.Reg.CAP_MODEL);
            assertEquals(0x12345678, w.read(Abi.Reg.CAP_MODEL), "a write by another party is seen");
            assertThrows(IllegalArgumentException.class, () -> w.read(2));
            assertThrows(IllegalArgumentException.class, () -> w.read(Abi.REG_WINDOW_BYTES));
        }
    }

    @Test
    void preadRegisterWindowMatchesTheMappedOne() throws IOException {
        Path p = file("regs", Abi.REG_WINDOW_BYTES);
        try (NativeFile f = NativeFile.open(p.toString(), LibC.O_RDWR, Errno.Node.USER);
             RegisterWindow.Mapped mapped = new RegisterWindow.Mapped(f, true);
             RegisterWindow.Pread pread = new RegisterWindow.Pread(f)) {
            pread.write(Abi.Reg.RING_BASE_LO, 0x00010040);
            assertEquals(0x00010040, mapped.read(Abi.Reg.RING_BASE_LO));
            mapped.write(Abi.Reg.CPL_BASE_HI, -7);
            assertEquals(-7, pread.read(Abi.Reg.CPL_BASE_HI));
        }
    }

    @Test
    void dmaChunksAndStripesMoveTheExactBytes() throws IOException {
        int size = 8 << 20;
        Path p = file("card", size);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int channels : new int[] {1, 3}) {
            List<NativeFile> h2c = new ArrayList<>();
            List<NativeFile> c2h = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                h2c.add(NativeFile.open(p.toString(), LibC.O_WRONLY, Errno.Node.H2C));
                c2h.add(NativeFile.open(p.toString(), LibC.O_RDONLY, Errno.Node.C2H));
            }
            try (DmaChannels dma = new DmaChannels(h2c, c2h, 16 * 4096)) {
                // sizes below and above the striping threshold; odd card addresses
                for (int len : new int[] {1, 4095, 70_001, (3 << 20) + 123}) {
                    long addr = 1 + rnd.nextInt(size - len - 1);
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    ByteBuffer src = ByteBuffer.wrap(data);
                    dma.write(addr, src);
                    assertFalse(src.hasRemaining(), "write advances the source");
                    byte[] onDisk = new byte[len];
                    try (FileChannel ch = FileChannel.open(p)) {
                        ch.read(ByteBuffer.wrap(onDisk), addr);
                    }
                    assertArrayEquals(data, onDisk, "channels=" + channels + " len=" + len + " addr=" + addr);
                    ByteBuffer heap = ByteBuffer.allocate(len);
                    dma.read(addr, heap);
                    assertArrayEquals(data, heap.array());
                    ByteBuffer direct = ByteBuffer.allocateDirect(len + 8192).alignedSlice(4096);
                    direct.position((int) (addr & 4095)).limit((int) (addr & 4095) + len);
                    dma.read(addr, direct);               // zero-copy path: same page offset
                    direct.position((int) (addr & 4095));
                    byte[] viaDirect = new byte[len];
                    direct.get(viaDirect);
                    assertArrayEquals(data, viaDirect);
                }
            }
        }
    }

    @Test
    void pollOnAFifoTimesOutThenSeesTheEvent() throws Exception {
        String path = dir.resolve("events").toString();
        assertEquals(0, LibC.mkfifo(path, 0600));
        try (NativeFile writer = NativeFile.open(path, LibC.O_RDWR | LibC.O_NONBLOCK, Errno.Node.EVENTS);
             InterruptSource.Events events = new InterruptSource.Events(
                     NativeFile.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK, Errno.Node.EVENTS))) {
            long t0 = System.nanoTime();
            assertFalse(events.await(TimeUnit.MILLISECONDS.toNanos(30)));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(25), "the deadline was honoured");
            Memory word = new Memory(4);
            word.setInt(0, 1);
            writer.writeFully(word, 4);
            writer.writeFully(word, 4);
            assertTrue(events.await(TimeUnit.SECONDS.toNanos(1)));
            assertFalse(events.await(0), "both pending events were coalesced into one return");
        }
    }

    @Test
    void missingNodeIsNoDeviceWithDriverAdvice() {
        String path = dir.resolve("xdma7_user").toString();
        XdmaNoDeviceException e = assertThrows(XdmaNoDeviceException.class,
                () -> NativeFile.open(path, LibC.O_RDWR, Errno.Node.USER));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ENOENT", e.errnoName());
        assertEquals(path, e.node());
        assertTrue(e.getMessage().contains("XDMA driver is not loaded or there is no such device"), e.getMessage());
        assertTrue(e.getMessage().contains("ls " + dir.resolve("xdma7")), e.getMessage());
    }

    @Test
    void realErrnosFromTheKernelAreNamed() throws IOException {
        // EACCES even for root: a shared writable mapping of a descriptor opened read-only
        Path p = file("regs", Abi.REG_WINDOW_BYTES);
        try (NativeFile ro = NativeFile.open(p.toString(), LibC.O_RDONLY, Errno.Node.USER)) {
            XdmaPermissionException e = assertThrows(XdmaPermissionException.class, () -> new RegisterWindow.Mapped(ro, true));
            assertEquals(Errno.EACCES, e.errno());
            assertTrue(e.getMessage().startsWith("mmap " + p), e.getMessage());
            assertTrue(e.getMessage().contains("regs=pread"), e.getMessage());
        }
        // EISDIR: a directory where a node should be
        XdmaException dirErr = assertThrows(XdmaException.class,
                () -> NativeFile.open(dir.toString(), LibC.O_RDWR, Errno.Node.H2C));
        assertEquals(Errno.EISDIR, dirErr.errno());
        // ESPIPE: positional I/O on a FIFO
        String fifo = dir.resolve("fifo").toString();
        assertEquals(0, LibC.mkfifo(fifo, 0600));
        try (NativeFile f = NativeFile.open(fifo, LibC.O_RDWR | LibC.O_NONBLOCK, Errno.Node.C2H)) {
            XdmaException e = assertThrows(XdmaException.class, () -> f.preadFully(new Memory(4), 4, 0, "x"));
            assertEquals(Errno.ESPIPE, e.errno());
            assertTrue(e.getMessage().contains("ESPIPE"), e.getMessage());
        }
    }

    @Test
    void errnoTranslationGivesTypesAndAdviceAndNeverUnknownError() {
        XdmaException timeout = Errno.exception(Errno.ERESTARTSYS, "pwrite", Errno.Node.H2C, "/dev/xdma0_h2c_0", "x");
        assertInstanceOf(XdmaTimeoutException.class, timeout);
        assertTrue(timeout.getMessage().contains("ERESTARTSYS, errno 512"), timeout.getMessage());
        assertTrue(timeout.getMessage().contains("transfer timed out"), timeout.getMessage());
        assertTrue(timeout.getMessage().contains("may need a reset"), timeout.getMessage());
        assertInstanceOf(XdmaTimeoutException.class,
                Errno.exception(Errno.ETIMEDOUT, "pread", Errno.Node.C2H, "/dev/xdma0_c2h_0", null));
        XdmaException perm = Errno.exception(Errno.EACCES, "open", Errno.Node.USER, "/dev/xdma0_user", null);
        assertInstanceOf(XdmaPermissionException.class, perm);
        assertTrue(perm.getMessage().contains("udev rule"), perm.getMessage());
        assertInstanceOf(XdmaPermissionException.class,
                Errno.exception(Errno.EPERM, "open", Errno.Node.USER, "/dev/xdma0_user", null));
        for (int e : new int[] {Errno.ENOENT, Errno.ENODEV, Errno.ENXIO}) {
            assertInstanceOf(XdmaNoDeviceException.class, Errno.exception(e, "open", Errno.Node.USER, "/dev/xdma0_user", null));
        }
        XdmaException eio = Errno.exception(Errno.EIO, "pread", Errno.Node.C2H, "/dev/xdma0_c2h_0", null);
        assertEquals(XdmaException.class, eio.getClass());
        assertTrue(eio.getMessage().contains("DMA engine reported a failed transfer"), eio.getMessage());
        for (int code : new int[] {Errno.ERESTARTSYS, Errno.ENOTSUPP, Errno.EIOCBQUEUED, 9999}) {
            String msg = Errno.exception(code, "read", Errno.Node.EVENTS, "/dev/xdma0_events_0", null).getMessage();
            assertFalse(msg.contains("Unknown error"), msg);
            assertTrue(msg.contains("errno " + code), msg);
        }
        assertEquals("errno 9999", Errno.name(9999));
        assertEquals("/dev/xdma3", Errno.devicePrefix("/dev/xdma3_c2h_1"));
    }
}
