package io.pacq.xdma;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;
import io.pacq.InvalidRequestException;
import io.pacq.abi.Abi;
import io.pacq.driver.LinkDevice;
import io.pacq.spi.DeviceProvider;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens {@code xdma:} devices: a PacQ bitstream on an FPGA board behind the Xilinx XDMA driver,
 * driven by the shared driver logic ({@link LinkDevice}) over an XDMA link.
 *
 * <pre>
 *   xdma:/dev/xdma0[?irq=auto|events|poll][&amp;events=0][&amp;regs=auto|mmap|pread][&amp;channels=4][&amp;chunk=8M]
 * </pre>
 * The path is the node prefix ({@code /dev/xdmaN}; {@code xdma:N} is short for it, and a trailing
 * {@code _user} is accepted). irq: interrupts from {@code <prefix>_events_<events>} (auto: when
 * that node exists, else status-register polling); regs: register access (auto: mmap, falling
 * back to pread/pwrite); channels: DMA channels per direction to use at most (those present);
 * chunk: largest single DMA call.
 *
 * <p>Thread-safe; holds no state.
 */
public final class XdmaProvider implements DeviceProvider {
    private static final Set<String> PARAMS = Set.of("irq", "events", "regs", "channels", "chunk");

    /** The URI scheme. */
    public static final String SCHEME = "xdma";

    @Override
    public Set<String> schemes() {
        return Set.of(SCHEME);
    }

    /** One line; names the XDMA devices present in /dev, without touching them. */
    @Override
    public String describe() {
        List<String> found = XdmaDevices.prefixes(XdmaDevices.DEV);
        return "xdma:/dev/xdmaN  FPGA board over PCIe through the Xilinx XDMA driver ("
                + (found.isEmpty() ? "none found in /dev" : "found: " + String.join(", ",
                found.stream().map(p -> SCHEME + ":" + p).toList())) + ")";
    }

    @Override
    public Device open(DeviceUri uri, DeviceOptions options) {
        XdmaLink.Config config = config(uri);
        XdmaLink link = XdmaLink.open(config);
        try {
            checkAlive(link, uri);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
        return LinkDevice.open(link, uri, options, "PacQ FPGA board, " + link.describe());
    }

    /**
     * A card that dropped off the bus, or whose function is in reset, reads all ones on every
     * register; say so instead of "not a PacQ device".
     */
    private static void checkAlive(XdmaLink link, DeviceUri uri) {
        int id = link.readReg(Abi.Reg.ID);
        if (id == 0xFFFFFFFF) {
            throw new XdmaNoDeviceException(0, link.config().user(), "device " + uri + " reads 0xffffffff from every "
                    + "register: the card does not answer on PCIe (link down, function in reset, or the bitstream "
                    + "was reloaded without a rescan); " + link.recoveryAdvice());
        }
    }

    /** Parses the URI into a link configuration; errors name the parameter and what it accepts. */
    static XdmaLink.Config config(DeviceUri uri) {
        for (String key : uri.query().keySet()) {
            if (!PARAMS.contains(key)) {
                throw new InvalidRequestException("device URI '" + uri + "': unknown parameter '" + key
                        + "'; xdma: takes " + new TreeSet<>(PARAMS));
            }
        }
        String prefix = prefix(uri);
        XdmaLink.Irq irq = choice(uri, "irq", XdmaLink.Irq.class, XdmaLink.Irq.AUTO);
        XdmaLink.Regs regs = choice(uri, "regs", XdmaLink.Regs.class, XdmaLink.Regs.AUTO);
        long events = uri.longParam("events", 0);
        if (events < 0 || events >= XdmaLink.MAX_EVENTS) {
            throw new InvalidRequestException("device URI '" + uri + "': events must be 0.." + (XdmaLink.MAX_EVENTS - 1)
                    + " (the user interrupt the bitstream raises), got " + events);
        }
        long channels = uri.longParam("channels", XdmaLink.MAX_CHANNELS);
        if (channels < 1 || channels > XdmaLink.MAX_CHANNELS) {
            throw new InvalidRequestException("device URI '" + uri + "': channels must be 1.." + XdmaLink.MAX_CHANNELS
                    + ", got " + channels);
        }
        long chunk = uri.longParam("chunk", DmaChannels.DEFAULT_CHUNK_BYTES);
        if (chunk < DmaChannels.PAGE || chunk > DmaChannels.MAX_CHUNK_BYTES || chunk % DmaChannels.PAGE != 0) {
            throw new InvalidRequestException("device URI '" + uri + "': chunk must be a multiple of 4k between 4k and "
                    + (DmaChannels.MAX_CHUNK_BYTES >> 20) + "M, got " + chunk);
        }
        return new XdmaLink.Config(prefix, regs, irq, (int) events, (int) channels, chunk);
    }

    private static String prefix(DeviceUri uri) {
        String p = uri.path();
        if (p.isEmpty()) {
            List<String> found = XdmaDevices.prefixes(XdmaDevices.DEV);
            throw new InvalidRequestException("device URI '" + uri + "' names no device; use xdma:/dev/xdmaN ("
                    + (found.isEmpty() ? "no XDMA device found in /dev: is the xdma driver loaded?"
                    : "found: " + String.join(", ", found)) + ")");
        }
        if (p.matches("\\d+")) {
            return XdmaDevices.DEV + "/xdma" + p;
        }
        if (!p.startsWith("/")) {
            throw new InvalidRequestException("device URI '" + uri + "': the path must be absolute, e.g. xdma:/dev/xdma0");
        }
        if (p.endsWith("_user")) {
            p = p.substring(0, p.length() - "_user".length());
        }
        return p;
    }

    private static <E extends Enum<E>> E choice(DeviceUri uri, String key, Class<E> type, E dflt) {
        String v = uri.param(key, null);
        if (v == null) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            TreeSet<String> ok = new TreeSet<>();
            for (E c : type.getEnumConstants()) {
                ok.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw new InvalidRequestException("device URI '" + uri + "': " + key + "=" + v + " is not one of " + ok);
        }
    }
}
