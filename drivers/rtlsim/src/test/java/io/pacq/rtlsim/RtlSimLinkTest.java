package io.pacq.rtlsim;

import io.pacq.Device;
import io.pacq.DeviceInfo;
import io.pacq.InvalidRequestException;
import io.pacq.LinkException;
import io.pacq.abi.Abi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rtlsim link and provider against the Verilated device: the register block, the command
 * ring with NOP commands, the interrupt seen from a second thread, soft reset, backdoor memory,
 * waveforms and the errors a user can make. Expected values are the ABI's.
 */
class RtlSimLinkTest {
    private static final long RING = 0x10000;
    private static final long CPL = 0x20000;
    private static final int ENTRIES = 8;

    @Test
    void identifiesAsTheRtlThroughTheDriver() {
        try (Device dev = Device.open(RtlSimTesting.uri(""))) {
            DeviceInfo info = dev.info();
            assertEquals("RTL_SIM", info.model());
            assertEquals(Abi.VERSION_MAJOR, info.abiMajor());
            assertTrue(info.description().contains("Verilated"), info.description());
        }
    }

    @Test
    void registersBehaveAsTheAbiSays() {
        try (RtlSimLink link = RtlSimTesting.link("")) {
            assertEquals(Abi.MAGIC, link.readReg(Abi.Reg.ID));
            assertEquals(Abi.Model.RTL_SIM, link.readReg(Abi.Reg.CAP_MODEL));
            link.writeReg(Abi.Reg.SCRATCH, 0x12345678);
            assertEquals(0x12345678, link.readReg(Abi.Reg.SCRATCH));
            link.writeReg(Abi.Reg.ID, 0);
            assertEquals(Abi.MAGIC, link.readReg(Abi.Reg.ID), "ID is read-only");
            LinkException e = assertThrows(LinkException.class, () -> link.readReg(0x1000));
            assertTrue(e.getMessage().contains("0x1000"), e.getMessage());
        }
    }

    @Test
    void nopCommandsCompleteInOrderAndRaiseTheInterruptSeenByAnotherThread() throws Exception {
        try (RtlSimLink link = RtlSimTesting.link("")) {
            program(link);
            for (int c = 0; c < 20; c++) {
                if (c >= ENTRIES) { // wait for the slot to be completed before reusing it
                    while (Integer.compareUnsigned(link.readReg(Abi.Reg.CPL_COUNT), c - ENTRIES + 1) < 0) {
                        assertTrue(link.awaitInterrupt(TimeUnit.SECONDS.toNanos(5)), "no interrupt");
                        link.writeReg(Abi.Reg.IRQ_STATUS, Abi.IrqStatusBits.CPL);
                    }
                }
                link.writeMem(RING + (long) (c % ENTRIES) * Abi.Desc.BYTES, nop(1000 + c));
                link.writeReg(Abi.Reg.SQ_TAIL, c + 1);
            }
            // The interrupt wait runs the device from a second thread while this one polls.
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    while (link.readReg(Abi.Reg.CPL_COUNT) != 20) {
                        link.awaitInterrupt(TimeUnit.MILLISECONDS.toNanos(50));
                        link.writeReg(Abi.Reg.IRQ_STATUS, Abi.IrqStatusBits.CPL);
                    }
                    return true;
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            for (int i = 0; i < 50 && !waiter.isDone(); i++) {
                link.readReg(Abi.Reg.STATUS); // concurrent register traffic
            }
            assertTrue(waiter.get(30, TimeUnit.SECONDS));
            for (int c = 12; c < 20; c++) {
                ByteBuffer rec = record(link, c % ENTRIES);
                assertEquals(1000 + c, rec.getInt(Abi.Cpl.SEQ), "record of command " + c);
                assertEquals(Abi.Status.OK, rec.getInt(Abi.Cpl.STATUS));
                assertEquals(0, rec.getLong(Abi.Cpl.CYCLES), "a NOP runs no kernel: 0 cycles");
            }
            assertEquals(20, link.readReg(Abi.Reg.SQ_HEAD));
            assertEquals(0, link.readReg(Abi.Reg.STATUS));
        }
    }

    @Test
    void softResetAbortsAndClearsTheRing() throws Exception {
        try (RtlSimLink link = RtlSimTesting.link("")) {
            program(link);
            for (int c = 0; c < 4; c++) {
                link.writeMem(RING + (long) c * Abi.Desc.BYTES, nop(c));
            }
            link.writeReg(Abi.Reg.SQ_TAIL, 4);
            link.writeReg(Abi.Reg.CTRL, Abi.CtrlBits.SOFT_RESET);
            int polls = 0;
            while ((link.readReg(Abi.Reg.CTRL) & Abi.CtrlBits.SOFT_RESET) != 0) {
                assertTrue(++polls < 1000, "soft reset never finished");
            }
            assertEquals(0, link.readReg(Abi.Reg.SQ_HEAD));
            assertEquals(0, link.readReg(Abi.Reg.CPL_COUNT));
            assertEquals(0, link.readReg(Abi.Reg.CTRL));
            assertFalse(link.awaitInterrupt(TimeUnit.MILLISECONDS.toNanos(20)), "interrupt after reset");
        }
    }

    @Test
    void backdoorMemoryRoundTripsAndChecksBounds() {
        try (RtlSimLink link = RtlSimTesting.link("")) {
            byte[] data = new byte[3 << 20];
            new java.util.SplittableRandom(1).nextBytes(data);
            long at = (1L << 32) - data.length - 64; // near the top of the 4 GiB memory, across pages
            link.writeMem(at, ByteBuffer.wrap(data));
            ByteBuffer back = ByteBuffer.allocate(data.length);
            link.readMem(at, back);
            assertArrayEquals(data, back.array());
            long size = ((long) link.readReg(Abi.Reg.CAP_MEM_HI) << 32) | (link.readReg(Abi.Reg.CAP_MEM_LO) & 0xFFFFFFFFL);
            LinkException e = assertThrows(LinkException.class,
                    () -> link.readMem(size - 4, ByteBuffer.allocate(8)));
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
        }
    }

    @Test
    void writesAWaveformWhenAsked(@TempDir Path dir) throws Exception {
        Path fst = dir.resolve("nop.fst");
        try (RtlSimLink link = RtlSimTesting.link("trace=" + fst)) {
            program(link);
            link.writeMem(RING, nop(7));
            link.writeReg(Abi.Reg.SQ_TAIL, 1);
            assertTrue(link.awaitInterrupt(TimeUnit.SECONDS.toNanos(5)));
        }
        assertTrue(Files.size(fst) > 100, "waveform " + fst + " is empty");
    }

    @Test
    void badUrisAreRejectedWithTheFix() {
        InvalidRequestException p = assertThrows(InvalidRequestException.class,
                () -> Device.open(RtlSimTesting.uri("latency=3")));
        assertTrue(p.getMessage().contains("unknown parameter 'latency'"), p.getMessage());
        InvalidRequestException r = assertThrows(InvalidRequestException.class,
                () -> Device.open(RtlSimTesting.uri("rd_latency=0")));
        assertTrue(r.getMessage().contains("rd_latency must be"), r.getMessage());
        LinkException l = assertThrows(LinkException.class, () -> Device.open("rtlsim:?lib=/nonexistent/libx.so"));
        assertTrue(l.getMessage().contains("make -C hw-fpga rtlsim"), l.getMessage());
    }

    // --------------------------------------------------------------------------------- helpers

    private static void program(RtlSimLink link) {
        link.writeReg(Abi.Reg.RING_BASE_LO, (int) RING);
        link.writeReg(Abi.Reg.RING_BASE_HI, 0);
        link.writeReg(Abi.Reg.RING_ENTRIES, ENTRIES);
        link.writeReg(Abi.Reg.CPL_BASE_LO, (int) CPL);
        link.writeReg(Abi.Reg.CPL_BASE_HI, 0);
        link.writeReg(Abi.Reg.IRQ_STATUS, -1);
        link.writeReg(Abi.Reg.CTRL, Abi.CtrlBits.ENABLE | Abi.CtrlBits.IRQ_EN);
    }

    private static ByteBuffer nop(int seq) {
        ByteBuffer d = ByteBuffer.allocate(Abi.Desc.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        d.put(Abi.Desc.OPCODE, (byte) Abi.Opcode.NOP);
        d.put(Abi.Desc.FLAGS, (byte) Abi.DescFlags.IRQ);
        d.putInt(Abi.Desc.SEQ, seq);
        return d;
    }

    private static ByteBuffer record(RtlSimLink link, int slot) {
        ByteBuffer r = ByteBuffer.allocate(Abi.Cpl.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        link.readMem(CPL + (long) slot * Abi.Cpl.BYTES, r);
        return r.flip();
    }
}
