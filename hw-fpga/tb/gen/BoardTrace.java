import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.driver.LinkDevice;
import io.pacq.emu.EmuDevice;
import io.pacq.emu.EmuLink;
import io.pacq.emu.simt.SimtConfig;
import io.pacq.emu.simt.SimtEngine;
import io.pacq.link.Link;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Writes the host side of the board testbench (hw-fpga/tb/tb_board.cpp): the driver (LinkDevice)
 * opens a device, uploads INT4 weights and runs two GEMMs on the Java cycle-level model
 * (emu:?model=cycle) through a Link that records every call. The testbench replays the calls
 * against the Verilated board wrapper as the XDMA would carry them (register accesses as AXI4-Lite
 * transactions from M_AXI_LITE, memory writes as the host's H2C DMA into card memory, interrupt
 * waits on usr_irq_req) and checks every memory read the driver made (completion records and
 * results) byte for byte. The results are checked here against ReferenceGemm first, so the
 * expected bytes are the reference's.
 *
 * <p>Run as a source-file program: {@code java -cp <host-runtime classes, test-classes,
 * sw-emulator classes, slf4j-api> hw-fpga/tb/gen/BoardTrace.java <out-file>}. Deterministic.
 *
 * <pre>
 * one call per line:
 *   W off value      register write (hex)            R off value      register read and its value
 *   M addr hexbytes  memory write (host DMA)         D addr hexbytes  memory read, expected bytes
 *   I                wait for the interrupt
 * </pre>
 */
public final class BoardTrace {
    private BoardTrace() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        SimtConfig cfg = SimtConfig.DEFAULTS;
        EmuDevice.Config caps = new EmuDevice.Config(4L << 30, cfg.cores(), cfg.warps(), io.pacq.abi.Abi.SIMT_LANES,
                cfg.smemBytes(), cfg.mmaUnits(), 1024, io.pacq.abi.Abi.Model.EMU_CYCLE,
                io.pacq.abi.Abi.DEFAULT_CLOCK_KHZ, cfg.dmemLatency(), cfg.dmemBytesPerCycle());
        EmuDevice emu = new EmuDevice(caps, new SimtEngine(cfg));
        HexFormat hex = HexFormat.of();
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(out))) {
            Link rec = new Recording(new EmuLink(emu, "board trace"), pw, hex);
            try (Device dev = LinkDevice.open(rec, DeviceUri.parse("emu:?model=cycle"), DeviceOptions.DEFAULTS,
                    "board trace")) {
                SplittableRandom rnd = new SplittableRandom(2025);
                QuantizedWeights w = RandomProblems.weights(rnd, 128, 128, new QuantSpec(4, 64, 1, false));
                try (WeightHandle h = dev.upload(w, EnumSet.of(GemmMode.PACQ))) {
                    for (int m : new int[] {16, 5}) {
                        Fp16Matrix a = RandomProblems.activations(rnd, m, 128, 4f);
                        GemmResult r = dev.submit(GemmRequest.of(h, a)).join();
                        short[] ref = ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), m, w);
                        if (!Arrays.equals(ref, r.f16Bits())) {
                            throw new IllegalStateException("cycle model differs from ReferenceGemm: no trace");
                        }
                    }
                }
            }
        }
    }

    /** A Link that writes each call to the trace, then forwards it. */
    private record Recording(Link inner, PrintWriter pw, HexFormat hex) implements Link {
        @Override
        public synchronized int readReg(int offset) {
            int v = inner.readReg(offset);
            pw.printf("R %x %x%n", offset, v);
            return v;
        }

        @Override
        public synchronized void writeReg(int offset, int value) {
            pw.printf("W %x %x%n", offset, value);
            inner.writeReg(offset, value);
        }

        @Override
        public synchronized void writeMem(long address, ByteBuffer src) {
            byte[] b = new byte[src.remaining()];
            src.duplicate().get(b);
            pw.printf("M %x %s%n", address, hex.formatHex(b));
            inner.writeMem(address, src);
        }

        @Override
        public synchronized void readMem(long address, ByteBuffer dst) {
            ByteBuffer view = dst.duplicate();
            inner.readMem(address, dst);
            byte[] b = new byte[view.remaining() - dst.remaining()];
            view.get(b);
            pw.printf("D %x %s%n", address, hex.formatHex(b));
        }

        @Override
        public boolean awaitInterrupt(long timeoutNanos) throws InterruptedException {
            boolean got = inner.awaitInterrupt(timeoutNanos);
            synchronized (this) {
                if (got) {
                    pw.println("I");
                }
            }
            return got;
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
