package io.pacq;

import io.pacq.abi.Abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A request to run a kernel program of the SIMT ISA (docs/simt.md) over a grid of tiles: the
 * host-side form of the device's LAUNCH command. Immutable and thread-safe; arrays are copied in
 * and out.
 *
 * <p><b>Arguments.</b> A kernel reads its arguments with {@code s2r rd, argN}. The device passes
 * {@link Abi#KERNEL_ARGS} 32-bit words; this request fills them in this order:
 * <ol>
 *   <li>{@code ARG0 .. ARG(a-1)}: the user arguments, in the order given to
 *       {@link Builder#arg(int)};</li>
 *   <li>{@code ARG(a) .. ARG(a+b-1)}: the 32-bit device address of each buffer, in the order the
 *       buffers were declared ({@link Builder#input}, {@link Builder#output}, mixed freely);
 *       {@link #bufferArg(String)} says which argument holds a given buffer;</li>
 *   <li>the remaining arguments are 0.</li>
 * </ol>
 * So {@code a + b <= KERNEL_ARGS}. The driver allocates every buffer in device memory below
 * 4 GiB (kernels use 32-bit addresses), aligned to at least {@link Abi#MEM_ALIGN} bytes, writes
 * the inputs' contents, fills outputs with zeros, and reads the outputs back when the kernel
 * completes. Buffers and the program live in device memory only for the duration of the command.
 *
 * <pre>{@code
 * KernelLaunch l = KernelLaunch.builder(words)          // 64-bit instruction words
 *         .tiles(4, 1).arg(n).arg(Float.floatToRawIntBits(a))
 *         .input("x", xBytes).output("y", 4 * n)        // ARG2 = &x, ARG3 = &y
 *         .build();
 * }</pre>
 */
public final class KernelLaunch {
    /** What the driver does with a buffer. */
    public enum Kind {
        /** Written to device memory before the kernel runs; not read back. */
        INPUT,
        /** Zero-filled before the kernel runs and read back after it completed. */
        OUTPUT
    }

    /**
     * One device buffer of a launch. Immutable.
     */
    public static final class Buffer {
        private final String name;
        private final Kind kind;
        private final byte[] contents;   // INPUT only
        private final int bytes;

        private Buffer(String name, Kind kind, byte[] contents, int bytes) {
            this.name = name;
            this.kind = kind;
            this.contents = contents;
            this.bytes = bytes;
        }

        /** The buffer's name, unique within its launch. */
        public String name() { return name; }

        /** Input or output. */
        public Kind kind() { return kind; }

        /** Size in bytes. */
        public int bytes() { return bytes; }

        /** A copy of an input's contents; an empty array for an output. */
        public byte[] contents() {
            return contents == null ? new byte[0] : contents.clone();
        }

        /** Writes an input's contents into {@code dst} (no copy of the array). */
        public void writeTo(ByteBuffer dst) {
            if (contents != null) {
                dst.put(contents);
            }
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "' (" + bytes + " bytes)";
        }
    }

    private final long[] program;
    private final int tilesX;
    private final int tilesY;
    private final int entry;
    private final long maxCycles;
    private final int[] args;
    private final List<Buffer> buffers;
    private final Duration timeout;

    private KernelLaunch(Builder b) {
        this.program = b.program;
        this.tilesX = b.tilesX;
        this.tilesY = b.tilesY;
        this.entry = b.entry;
        this.maxCycles = b.maxCycles;
        this.args = b.args.stream().mapToInt(Integer::intValue).toArray();
        this.buffers = List.copyOf(b.buffers);
        this.timeout = b.timeout;
    }

    /**
     * Starts a request for a program.
     *
     * @param program the program's 64-bit instruction words (copied), e.g. an assembler's output
     */
    public static Builder builder(long[] program) {
        return new Builder(program);
    }

    /** A copy of the program's instruction words. */
    public long[] program() { return program.clone(); }

    /** Program length in 64-bit instruction words. */
    public int programWords() { return program.length; }

    /** Tile columns of the grid (>= 1). */
    public int tilesX() { return tilesX; }

    /** Tile rows of the grid (>= 1). */
    public int tilesY() { return tilesY; }

    /** Index of the instruction every tile starts at. */
    public int entry() { return entry; }

    /** Kernel cycle budget (the watchdog), or 0 for the device default {@link Abi#WATCHDOG_DEFAULT_CYCLES}. */
    public long maxCycles() { return maxCycles; }

    /** A copy of the user arguments ({@code ARG0 ..}). */
    public int[] args() { return args.clone(); }

    /** The buffers, in declaration order. */
    public List<Buffer> buffers() { return buffers; }

    /** Deadline of the whole command, or null for the device's default. */
    public Duration timeout() { return timeout; }

    /**
     * The kernel argument words as the device receives them: user arguments, then a placeholder
     * for each buffer filled from {@code addresses} (one per buffer, in declaration order), then 0.
     *
     * @throws IllegalArgumentException when the number of addresses differs from the buffers'
     */
    public int[] argumentWords(long[] addresses) {
        if (addresses.length != buffers.size()) {
            throw new IllegalArgumentException(addresses.length + " addresses for " + buffers.size() + " buffers");
        }
        int[] w = new int[Abi.KERNEL_ARGS];
        System.arraycopy(args, 0, w, 0, args.length);
        for (int i = 0; i < addresses.length; i++) {
            w[args.length + i] = (int) addresses[i];
        }
        return w;
    }

    /**
     * The index of the kernel argument ({@code ARGn}) that holds a buffer's device address.
     *
     * @throws InvalidRequestException when no buffer has that name
     */
    public int bufferArg(String name) {
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).name().equals(name)) {
                return args.length + i;
            }
        }
        throw new InvalidRequestException("launch has no buffer named '" + name + "' (buffers: " + buffers + ")");
    }

    @Override
    public String toString() {
        return "KernelLaunch[" + program.length + " words, entry " + entry + ", " + tilesX + "x" + tilesY
                + " tiles, " + args.length + " args, " + buffers.size() + " buffers]";
    }

    /**
     * Builds a {@link KernelLaunch}; {@link #build()} checks everything. Not thread-safe.
     * Defaults: one tile, entry 0, the device's default cycle budget and deadline, no arguments.
     */
    public static final class Builder {
        private final long[] program;
        private int tilesX = 1;
        private int tilesY = 1;
        private int entry;
        private long maxCycles;
        private final List<Integer> args = new ArrayList<>();
        private final List<Buffer> buffers = new ArrayList<>();
        private Duration timeout;

        private Builder(long[] program) {
            if (program == null) {
                throw new InvalidRequestException("kernel launch: the program is null");
            }
            this.program = program.clone();
        }

        /** A grid of {@code x} by {@code y} tiles; tile (i, j) is number {@code t = j·x + i} and runs on core {@code t mod cores}. */
        public Builder tiles(int x, int y) {
            this.tilesX = x;
            this.tilesY = y;
            return this;
        }

        /** A row of {@code x} tiles. */
        public Builder tiles(int x) {
            return tiles(x, 1);
        }

        /** The instruction index every tile starts at (default 0). */
        public Builder entry(int entry) {
            this.entry = entry;
            return this;
        }

        /** Kernel cycle budget, 1 .. 2^32-1 cycles, or 0 (default) for the device default. */
        public Builder maxCycles(long cycles) {
            this.maxCycles = cycles;
            return this;
        }

        /** Appends one user argument (the next {@code ARGn}). */
        public Builder arg(int value) {
            args.add(value);
            return this;
        }

        /** Appends user arguments in order. */
        public Builder args(int... values) {
            for (int v : values) {
                args.add(v);
            }
            return this;
        }

        /** Declares an input buffer with these contents (copied). */
        public Builder input(String name, byte[] contents) {
            if (contents == null) {
                throw new InvalidRequestException("kernel launch: input '" + name + "' has null contents");
            }
            buffers.add(new Buffer(name, Kind.INPUT, contents.clone(), contents.length));
            return this;
        }

        /** Declares an input buffer of 32-bit words, little-endian (the device's byte order). */
        public Builder input(String name, int[] words) {
            ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(words);
            return input(name, b.array());
        }

        /** Declares an input buffer of FP32 values, little-endian, bit patterns kept (NaN payloads too). */
        public Builder input(String name, float[] values) {
            int[] w = new int[values.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = Float.floatToRawIntBits(values[i]);
            }
            return input(name, w);
        }

        /** Declares an output buffer of {@code bytes} bytes. */
        public Builder output(String name, int bytes) {
            buffers.add(new Buffer(name, Kind.OUTPUT, null, bytes));
            return this;
        }

        /** Deadline of the whole command (default: the device's, {@link DeviceOptions}). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Checks the request and builds it.
         *
         * @throws InvalidRequestException naming the field, its value and the allowed range
         */
        public KernelLaunch build() {
            if (program.length == 0) {
                throw new InvalidRequestException("kernel launch: the program is empty");
            }
            if (program.length > Abi.PROG_RAM_WORDS) {
                throw new InvalidRequestException("kernel launch: the program has " + program.length
                        + " instruction words but program RAM holds at most PROG_RAM_WORDS = " + Abi.PROG_RAM_WORDS);
            }
            if (entry < 0 || entry >= program.length) {
                throw new InvalidRequestException("kernel launch: entry " + entry + " is outside the program (0 .. "
                        + (program.length - 1) + ")");
            }
            if (tilesX < 1 || tilesY < 1) {
                throw new InvalidRequestException("kernel launch: the grid must have at least one tile in each "
                        + "direction, got " + tilesX + "x" + tilesY);
            }
            if (maxCycles < 0 || maxCycles > 0xFFFF_FFFFL) {
                throw new InvalidRequestException("kernel launch: maxCycles must be 0 (device default) .. 2^32-1, got "
                        + maxCycles);
            }
            if (args.size() + buffers.size() > Abi.KERNEL_ARGS) {
                throw new InvalidRequestException("kernel launch: " + args.size() + " arguments and " + buffers.size()
                        + " buffer addresses need " + (args.size() + buffers.size())
                        + " argument words but the device passes KERNEL_ARGS = " + Abi.KERNEL_ARGS);
            }
            Set<String> names = new HashSet<>();
            for (Buffer b : buffers) {
                if (b.name() == null || b.name().isBlank()) {
                    throw new InvalidRequestException("kernel launch: a buffer needs a non-empty name");
                }
                if (!names.add(b.name())) {
                    throw new InvalidRequestException("kernel launch: two buffers are named '" + b.name() + "'");
                }
                if (b.bytes() <= 0) {
                    throw new InvalidRequestException("kernel launch: " + b.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + " '" + b.name() + "' must have at least 1 byte, got " + b.bytes());
                }
            }
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new InvalidRequestException("kernel launch: timeout must be positive, got " + timeout);
            }
            return new KernelLaunch(this);
        }

        @Override
        public String toString() {
            return "KernelLaunch.Builder[" + program.length + " words, args " + args + ", buffers "
                    + Arrays.toString(buffers.toArray()) + "]";
        }
    }
}
