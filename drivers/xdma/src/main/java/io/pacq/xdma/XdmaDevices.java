package io.pacq.xdma;

import io.pacq.DeviceInfo;
import io.pacq.DeviceUri;
import io.pacq.GemmMode;
import io.pacq.PacqException;
import io.pacq.driver.LinkDevice;
import io.pacq.link.Link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Discovery for {@code pacq info --list}: the XDMA devices present and what each reports in its
 * capability block. Looking never disturbs a device another process is driving: only the ID,
 * ABI-version and capability registers are read (no reset, no ring, no DMA), through a read-only
 * mapping of the user node.
 *
 * <pre>{@code
 * for (String line : XdmaDevices.report()) System.out.println(line);
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class XdmaDevices {
    private XdmaDevices() {}

    /** Where the XDMA driver creates its nodes. */
    static final String DEV = "/dev";
    private static final Pattern USER_NODE = Pattern.compile("xdma(\\d+)_user");

    /**
     * One XDMA device found.
     *
     * @param uri         URI that opens it, e.g. "xdma:/dev/xdma0"
     * @param pciAddress  PCI function, e.g. "0000:03:00.0", or null when unknown
     * @param h2cChannels host-to-card channel nodes present
     * @param c2hChannels card-to-host channel nodes present
     * @param events      user-interrupt event nodes present (their indexes)
     * @param inUse       true when another open device (this or another process) holds it
     * @param info        the capability block, or null when it could not be read or was refused
     * @param problem     why it cannot be used (permissions, not a PacQ bitstream, ABI mismatch
     *                    naming both versions, dead card), or null
     */
    public record Found(String uri, String pciAddress, int h2cChannels, int c2hChannels, List<Integer> events,
                        boolean inUse, DeviceInfo info, String problem) {
        public Found {
            events = List.copyOf(events);
        }

        /** One line for a listing. */
        public String describe() {
            StringBuilder b = new StringBuilder(uri);
            if (pciAddress != null) {
                b.append(" (PCI ").append(pciAddress).append(")");
            }
            b.append(": ");
            if (info != null) {
                b.append("PacQ ABI ").append(info.abiMajor()).append('.').append(info.abiMinor()).append(", ")
                        .append(info.model()).append(", ").append(info.cores()).append(" core(s) x ")
                        .append(info.warps()).append(" warps x ").append(info.lanes()).append(" lanes, INT")
                        .append(String.join("/INT", new TreeSet<>(info.bits()).stream().map(String::valueOf).toList()))
                        .append(", modes ").append(new TreeSet<GemmMode>(info.modes())).append(", ")
                        .append(String.format(java.util.Locale.ROOT, "%.1f GiB", info.memoryBytes() / (double) (1L << 30)))
                        .append(info.clockKhz() == 0 ? "" : ", " + info.clockKhz() / 1000.0 + " MHz");
            } else {
                b.append("not usable: ").append(problem);
            }
            b.append("; ").append(h2cChannels).append(" H2C + ").append(c2hChannels).append(" C2H channel(s), ")
                    .append(events.isEmpty() ? "no interrupt nodes" : "interrupt nodes " + events);
            if (inUse) {
                b.append("; in use");
            }
            return b.toString();
        }
    }

    /** The XDMA devices in /dev. */
    public static List<Found> scan() {
        return scan(Path.of(DEV));
    }

    /** The XDMA devices whose nodes ({@code xdmaN_user}, ...) are in a directory. */
    public static List<Found> scan(Path dir) {
        List<Found> out = new ArrayList<>();
        for (String prefix : prefixes(dir.toString())) {
            out.add(probe(prefix));
        }
        return out;
    }

    /** Lines for {@code pacq info --list}: one per device, or one saying none was found and why. */
    public static List<String> report() {
        List<Found> found = scan();
        if (found.isEmpty()) {
            return List.of("no XDMA device in " + DEV + " (is the xdma driver loaded? `lsmod | grep xdma`, "
                    + "`lspci -d 10ee:`; see docs/board-bringup.md)");
        }
        return found.stream().map(Found::describe).toList();
    }

    /** Node prefixes ("/dev/xdma0", ...) of the devices in a directory, by device number. */
    static List<String> prefixes(String dir) {
        List<Integer> numbers = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            s.forEach(p -> {
                Matcher m = USER_NODE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    numbers.add(Integer.parseInt(m.group(1)));
                }
            });
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        numbers.sort(Comparator.naturalOrder());
        return numbers.stream().map(n -> Path.of(dir, "xdma" + n).toString()).toList();
    }

    /** Looks at one device without disturbing it. */
    static Found probe(String prefix) {
        XdmaLink.Config c = XdmaLink.Config.of(prefix);
        String uri = XdmaProvider.SCHEME + ":" + prefix;
        int h2c = count(c, true);
        int c2h = count(c, false);
        List<Integer> events = new ArrayList<>();
        for (int i = 0; i < XdmaLink.MAX_EVENTS; i++) {
            if (Files.exists(Path.of(c.events(i)))) {
                events.add(i);
            }
        }
        String bdf = XdmaLink.pciAddress(prefix);
        boolean inUse = false;
        DeviceInfo info = null;
        String problem = null;
        try {
            LibC.ensureAvailable();
            try (NativeFile user = NativeFile.open(c.user(), LibC.O_RDONLY, Errno.Node.USER)) {
                inUse = !user.tryLock(false);
                RegisterWindow regs;
                try {
                    regs = new RegisterWindow.Mapped(user, false);
                } catch (XdmaException e) {
                    regs = new RegisterWindow.Pread(user);
                }
                try (RegisterWindow r = regs) {
                    if (r.read(io.pacq.abi.Abi.Reg.ID) == 0xFFFFFFFF) {
                        problem = "every register reads 0xffffffff: the card does not answer on PCIe; "
                                + XdmaLink.recoveryAdvice(prefix);
                    } else {
                        info = LinkDevice.readInfo(new RegisterOnlyLink(r, prefix), DeviceUri.parse(uri),
                                "PacQ FPGA board at " + prefix);
                    }
                }
            }
        } catch (PacqException e) {
            problem = e.getMessage();
        }
        if (h2c == 0 || c2h == 0) {
            String missing = "no " + (h2c == 0 ? c.h2c(0) : c.c2h(0)) + ": the bitstream has no DMA channel in that "
                    + "direction, which PacQ needs";
            problem = problem == null ? missing : problem + "; " + missing;
            info = null;
        }
        return new Found(uri, bdf, h2c, c2h, events, inUse, info, problem);
    }

    private static int count(XdmaLink.Config c, boolean h2c) {
        int n = 0;
        while (n < XdmaLink.MAX_CHANNELS && Files.exists(Path.of(h2c ? c.h2c(n) : c.c2h(n)))) {
            n++;
        }
        return n;
    }

    /** Just enough of a link for {@link LinkDevice#readInfo}: register reads, nothing else. */
    private record RegisterOnlyLink(RegisterWindow regs, String prefix) implements Link {
        @Override public int readReg(int offset) { return regs.read(offset); }
        @Override public void writeReg(int offset, int value) { throw unsupported(); }
        @Override public void writeMem(long address, ByteBuffer src) { throw unsupported(); }
        @Override public void readMem(long address, ByteBuffer dst) { throw unsupported(); }
        @Override public boolean awaitInterrupt(long timeoutNanos) { return false; }
        @Override public String describe() { return prefix + " (read-only probe)"; }
        @Override public void close() { }

        private static UnsupportedOperationException unsupported() {
            return new UnsupportedOperationException("discovery only reads registers");
        }
    }
}
