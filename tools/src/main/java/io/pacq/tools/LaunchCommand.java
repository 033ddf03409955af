package io.pacq.tools;

import io.pacq.Device;
import io.pacq.DeviceInfo;
import io.pacq.DeviceUri;
import io.pacq.InvalidRequestException;
import io.pacq.KernelLaunch;
import io.pacq.KernelResult;
import io.pacq.emu.simt.AsmException;
import io.pacq.emu.simt.Assembler;
import io.pacq.emu.simt.Program;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pacq launch}: assembles a SIMT program (docs/simt.md 10) and runs it on a device with
 * arguments and buffers; prints the completion's counters as JSON and writes the outputs.
 * Kernel arguments: the {@code --arg} values first, then the device address of each {@code --in}
 * buffer, then of each {@code --out} buffer, in the order given.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = {"Assemble a SIMT kernel (.pasm) and run it over a grid of tiles on a device with a SIMT machine.",
            "Kernel arguments ARG0.. are the --arg values, then the device address of each --in buffer, then of each "
                    + "--out buffer, in command-line order. Prints the completion's counters as JSON; writes each "
                    + "output buffer to its file.",
            "Example: pacq launch saxpy.pasm --tiles 4 --arg 1000 --arg 2.5f --in x.bin --in b.bin --out y.bin:4000"})
final class LaunchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROGRAM.pasm", description = "Kernel source in the SIMT assembly language.")
    Path program;

    @Option(names = {"-d", "--device"}, paramLabel = "URI", defaultValue = "emu:?model=cycle",
            description = "Device URI (default: ${DEFAULT-VALUE}); rtlsim:, xdma:/dev/xdma0 and other devices with a "
                    + "SIMT machine also run launches.")
    String uri;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the auth token of a remote device (default: $PACQ_TOKEN).")
    Path tokenFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Deadline of the launch, in seconds (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--tiles", paramLabel = "X[xY]", defaultValue = "1",
            description = "Grid of tiles, e.g. 8 or 4x2 (default: ${DEFAULT-VALUE}).")
    String tiles;

    @Option(names = "--entry", paramLabel = "N|LABEL", defaultValue = "0",
            description = "Instruction index or label every tile starts at (default: ${DEFAULT-VALUE}).")
    String entry;

    @Option(names = "--max-cycles", paramLabel = "N", defaultValue = "0",
            description = "Kernel cycle budget (watchdog); 0 = the device default (default: ${DEFAULT-VALUE}).")
    long maxCycles;

    @Option(names = "--arg", paramLabel = "V",
            description = "A 32-bit kernel argument: an integer (decimal or 0x hex, may be negative) or an FP32 "
                    + "value with an f suffix (2.5f). Repeatable; ARG0 first.")
    List<String> args = new ArrayList<>();

    @Option(names = "--in", paramLabel = "FILE",
            description = "An input buffer: the file's bytes. Repeatable.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE:BYTES",
            description = "An output buffer of BYTES bytes (123, 0x7b, 64k, 1M), zero before the kernel runs, "
                    + "written to FILE after it. Repeatable.")
    List<String> outputs = new ArrayList<>();

    @Option(names = {"-D", "--define"}, paramLabel = "NAME=VALUE",
            description = "A symbol for the assembler's expressions. Repeatable.")
    Map<String, String> defines = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        Map<String, Long> symbols = new LinkedHashMap<>();
        defines.forEach((k, v) -> symbols.put(k, parseLong("-D " + k, v)));
        Program prog;
        try {
            prog = Assembler.assemble(Files.readString(program), program.toString(), symbols);
        } catch (AsmException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        KernelLaunch.Builder b = KernelLaunch.builder(prog.words()).entry(entryIndex(prog)).maxCycles(maxCycles);
        int[] grid = parseTiles(tiles);
        b.tiles(grid[0], grid[1]);
        for (String a : args) {
            b.arg(parseArg(a));
        }
        for (Path in : inputs) {
            b.input(in.toString(), Files.readAllBytes(in));
        }
        List<Path> outFiles = new ArrayList<>();
        for (String o : outputs) {
            int colon = o.lastIndexOf(':');
            if (colon <= 0 || colon == o.length() - 1) {
                throw new InvalidRequestException("--out must be FILE:BYTES, got '" + o + "'");
            }
            String file = o.substring(0, colon);
            long bytes = parseSize("--out " + o, o.substring(colon + 1));
            if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
                throw new InvalidRequestException("--out " + o + ": the size must be 1 .. " + (Integer.MAX_VALUE - 8)
                        + " bytes, got " + bytes);
            }
            b.output(file, (int) bytes);
            outFiles.add(Path.of(file));
        }
        KernelLaunch launch = b.build();
        DeviceOptionsMixin opts = new DeviceOptionsMixin();
        opts.uri = uri;
        opts.tokenFile = tokenFile;
        opts.timeoutSeconds = timeoutSeconds;
        KernelResult r;
        DeviceInfo info;
        long t0 = System.nanoTime();
        try (Device dev = opts.open()) {
            info = dev.info();
            r = dev.runKernel(launch);
        }
        long wall = System.nanoTime() - t0;
        for (Path f : outFiles) {
            Files.write(f, r.output(f.toString()));
        }
        spec.commandLine().getOut().println(json(info, prog, launch, r, wall));
        return 0;
    }

    private int entryIndex(Program prog) {
        Integer label = prog.labels().get(entry);
        if (label != null) {
            return label;
        }
        try {
            return Integer.decode(entry);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("--entry must be an instruction index or a label of " + program
                    + ", got '" + entry + "'");
        }
    }

    static int[] parseTiles(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (p.length == 1) {
                return new int[] {Integer.parseInt(p[0].strip()), 1};
            }
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException("--tiles must be X or XxY (e.g. 8 or 4x2), got '" + s + "'");
    }

    /** An integer (decimal, 0x hex, negative; up to 32 bits, signed or unsigned) or an FP32 literal ending in f. */
    static int parseArg(String s) {
        String t = s.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.endsWith("f") && !lower.startsWith("0x") && !lower.startsWith("-0x")) {
            try {
                return Float.floatToRawIntBits(Float.parseFloat(t.substring(0, t.length() - 1)));
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("--arg " + s + " is not an FP32 value");
            }
        }
        long v = parseLong("--arg", t);
        if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
            throw new InvalidRequestException("--arg " + s + " does not fit 32 bits");
        }
        return (int) v;
    }

    private static long parseLong(String what, String v) {
        try {
            return Long.decode(v.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(what + ": '" + v + "' is not an integer (decimal or 0x hex)");
        }
    }

    private static long parseSize(String what, String v) {
        try {
            return DeviceUri.parseSize(v);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidRequestException(what + ": '" + v + "' is not a size (123, 0x7b, 64k, 1M)");
        }
    }

    private static String json(DeviceInfo info, Program prog, KernelLaunch l, KernelResult r, long wallNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", info.uri());
        m.put("model", info.model());
        m.put("program", prog.name());
        m.put("program_words", l.programWords());
        m.put("tiles_x", l.tilesX());
        m.put("tiles_y", l.tilesY());
        m.put("entry", l.entry());
        m.put("max_cycles", l.maxCycles());
        Map<String, Object> args = new LinkedHashMap<>();
        int[] user = l.args();
        for (int i = 0; i < user.length; i++) {
            args.put("ARG" + i, user[i]);
        }
        for (KernelLaunch.Buffer b : l.buffers()) {
            args.put("ARG" + l.bufferArg(b.name()), "&" + b.name() + " (" + b.kind().name().toLowerCase(Locale.ROOT)
                    + ", " + b.bytes() + " bytes)");
        }
        m.put("args", args);
        m.put("launch_ms", r.deviceNanos() / 1e6);
        m.put("wall_ms", wallNanos / 1e6);
        m.put("counters", Json.counters(r.stats()));
        return Json.write(m);
    }
}
