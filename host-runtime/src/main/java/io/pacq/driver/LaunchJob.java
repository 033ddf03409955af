package io.pacq.driver;

import io.pacq.DeviceException;
import io.pacq.DeviceMemoryException;
import io.pacq.KernelLaunch;
import io.pacq.PacqException;
import io.pacq.UnsupportedCommandException;
import io.pacq.abi.Abi;
import io.pacq.link.Link;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device side of one {@link KernelLaunch} in {@link LinkDevice}: its device memory (program
 * and buffers), the writes before the LAUNCH descriptor, the descriptor itself (ABI {@code Desc}
 * LAUNCH fields), the reads of the outputs after completion, and the error text. Not
 * thread-safe: {@link LinkDevice} calls it under its lock.
 */
final class LaunchJob {
    /** Kernels address device memory with 32 bits (docs/simt.md 2). */
    private static final long KERNEL_ADDRESS_LIMIT = 1L << 32;
    /** Zero-fill chunk for outputs. */
    private static final int ZERO_CHUNK = 1 << 20;

    final KernelLaunch req;
    private long progAddr;               // 0 until allocated
    private final long[] bufAddr;        // per buffer, 0 until allocated

    LaunchJob(KernelLaunch req) {
        this.req = req;
        this.bufAddr = new long[req.buffers().size()];
    }

    String describe(int seq) {
        return "LAUNCH #" + seq + " (" + req.programWords() + " program words, " + req.tilesX() + "x" + req.tilesY()
                + " tiles, " + req.buffers().size() + " buffers)";
    }

    boolean allocated() {
        return progAddr != 0;
    }

    /**
     * Allocates the program and every buffer, all or nothing.
     *
     * @throws DeviceMemoryException when they do not fit, or land above what a kernel can address
     */
    void allocate(DeviceMemoryAllocator memory, String what) {
        if (allocated()) {
            return;
        }
        long[] got = new long[bufAddr.length + 1];
        int n = 0;
        try {
            List<KernelLaunch.Buffer> bs = req.buffers();
            for (int i = 0; i <= bs.size(); i++) {      // the program, then each buffer
                long bytes = i == 0 ? 8L * req.programWords() : bs.get(i - 1).bytes();
                String w = (i == 0 ? "the program" : bs.get(i - 1).toString()) + " of " + what;
                long a = memory.allocate(bytes, w);
                got[n++] = a;
                checkReach(a, bytes, w);
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < n; i++) {
                memory.free(got[i]);
            }
            throw e;
        }
        progAddr = got[0];
        System.arraycopy(got, 1, bufAddr, 0, bufAddr.length);
    }

    private static void checkReach(long address, long bytes, String what) {
        if (address + bytes > KERNEL_ADDRESS_LIMIT) {
            throw new DeviceMemoryException("device memory for " + what + " landed at 0x" + Long.toHexString(address)
                    + ", above the 4 GiB a kernel can address; free device memory (close weight handles) and retry");
        }
    }

    /** Frees the program and buffers; idempotent. */
    void free(DeviceMemoryAllocator memory) {
        if (progAddr != 0) {
            memory.free(progAddr);
            progAddr = 0;
        }
        for (int i = 0; i < bufAddr.length; i++) {
            if (bufAddr[i] != 0) {
                memory.free(bufAddr[i]);
                bufAddr[i] = 0;
            }
        }
    }

    /** Writes the program, the inputs and zeroed outputs; returns the bytes written. */
    long write(Link link) {
        long bytes = 0;
        ByteBuffer p = ByteBuffer.allocate(8 * req.programWords()).order(ByteOrder.LITTLE_ENDIAN);
        p.asLongBuffer().put(req.program());
        link.writeMem(progAddr, p);
        bytes += p.capacity();
        List<KernelLaunch.Buffer> bs = req.buffers();
        byte[] zeros = null;
        for (int i = 0; i < bs.size(); i++) {
            KernelLaunch.Buffer b = bs.get(i);
            if (b.kind() == KernelLaunch.Kind.INPUT) {
                ByteBuffer in = ByteBuffer.allocate(b.bytes());
                b.writeTo(in);
                link.writeMem(bufAddr[i], in.flip());
            } else {
                // outputs start as zeros, not as whatever an earlier command left there
                if (zeros == null) {
                    zeros = new byte[Math.min(ZERO_CHUNK, maxOutputBytes())];
                }
                for (long off = 0; off < b.bytes(); off += zeros.length) {
                    link.writeMem(bufAddr[i] + off, ByteBuffer.wrap(zeros, 0, (int) Math.min(zeros.length, b.bytes() - off)));
                }
            }
            bytes += b.bytes();
        }
        return bytes;
    }

    private int maxOutputBytes() {
        int m = 1;
        for (KernelLaunch.Buffer b : req.buffers()) {
            if (b.kind() == KernelLaunch.Kind.OUTPUT) {
                m = Math.max(m, b.bytes());
            }
        }
        return m;
    }

    /** The LAUNCH descriptor, from the ABI's field offsets. */
    ByteBuffer descriptor(int seq) {
        ByteBuffer d = ByteBuffer.allocate(Abi.Desc.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        d.put(Abi.Desc.OPCODE, (byte) Abi.Opcode.LAUNCH);
        d.put(Abi.Desc.FLAGS, (byte) Abi.DescFlags.IRQ);
        d.putInt(Abi.Desc.SEQ, seq);
        d.putInt(Abi.Desc.LAUNCH_TILES_X, req.tilesX());
        d.putInt(Abi.Desc.LAUNCH_TILES_Y, req.tilesY());
        d.putInt(Abi.Desc.LAUNCH_PROG_WORDS, req.programWords());
        d.putInt(Abi.Desc.LAUNCH_ENTRY, req.entry());
        d.putInt(Abi.Desc.LAUNCH_MAX_CYCLES, (int) req.maxCycles());
        d.putLong(Abi.Desc.LAUNCH_PROG_ADDR, progAddr);
        int[] args = req.argumentWords(bufAddr);
        for (int i = 0; i < args.length; i++) {
            d.putInt(Abi.Desc.LAUNCH_ARGS + 4 * i, args[i]);
        }
        return d;
    }

    /** Reads every output buffer back, in declaration order. */
    Map<String, byte[]> readOutputs(Link link) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<KernelLaunch.Buffer> bs = req.buffers();
        for (int i = 0; i < bs.size(); i++) {
            KernelLaunch.Buffer b = bs.get(i);
            if (b.kind() == KernelLaunch.Kind.OUTPUT) {
                ByteBuffer buf = ByteBuffer.allocate(b.bytes());
                link.readMem(bufAddr[i], buf);
                out.put(b.name(), buf.array());
            }
        }
        return out;
    }

    long outputBytes() {
        long n = 0;
        for (KernelLaunch.Buffer b : req.buffers()) {
            if (b.kind() == KernelLaunch.Kind.OUTPUT) {
                n += b.bytes();
            }
        }
        return n;
    }

    /**
     * The exception for a failed completion: BAD_OPCODE means the device has no LAUNCH command;
     * other statuses keep the status and say where in the program or memory the kernel failed.
     */
    PacqException failure(int status, long info, String what, String uri) {
        DeviceException e = new DeviceException(status, info, what + detail(status, info));
        if (status == Abi.Status.BAD_OPCODE) {
            return new UnsupportedCommandException("device " + uri + " does not run kernel launches: it rejected "
                    + "the LAUNCH command with status BAD_OPCODE", e);
        }
        return e;
    }

    private String detail(int status, long info) {
        return switch (status) {
            case Abi.Status.ILLEGAL_INSTRUCTION, Abi.Status.DIVERGENCE -> {
                long index = info - Abi.PROG_RAM_BASE;
                yield index >= 0 && index < req.programWords()
                        ? ": at program word " + index + " (pc 0x" + Long.toHexString(info) + ")"
                        : ": pc 0x" + Long.toHexString(info) + " is outside the program (words 0 .. "
                                + (req.programWords() - 1) + " at pc 0x" + Integer.toHexString(Abi.PROG_RAM_BASE) + ")";
            }
            case Abi.Status.ADDRESS_FAULT -> info >= KERNEL_ADDRESS_LIMIT
                    ? ": shared-memory address 0x" + Long.toHexString(info - KERNEL_ADDRESS_LIMIT)
                    : ": device address 0x" + Long.toHexString(info) + bufferNear(info);
            case Abi.Status.WATCHDOG -> ": the kernel did not end within its budget of " + info + " cycles";
            case Abi.Status.BAD_DESCRIPTOR -> ": the device rejected the LAUNCH fields (the host checks all of them but the grid limit of 2^24 tiles)";
            default -> "";
        };
    }

    /** Names the buffer an address falls in or just past (within its block), to help find an off-by-one. */
    private String bufferNear(long address) {
        List<KernelLaunch.Buffer> bs = req.buffers();
        for (int i = 0; i < bs.size(); i++) {
            long start = bufAddr[i];
            long size = bs.get(i).bytes();
            long block = (size + DeviceMemoryAllocator.ALIGN - 1) & -DeviceMemoryAllocator.ALIGN;
            if (start != 0 && address >= start && address < start + block) {
                long off = address - start;
                return off < size ? " (offset " + off + " in " + bs.get(i) + ")"
                        : " (" + (off - size) + " bytes past the end of " + bs.get(i) + ")";
            }
        }
        return "";
    }
}
