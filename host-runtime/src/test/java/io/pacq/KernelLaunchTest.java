package io.pacq;

import io.pacq.abi.Abi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KernelLaunch: the argument layout it promises, immutability, and a clear error for every bad field. */
class KernelLaunchTest {
    private static final long[] EXIT = {1};

    @Test
    void userArgumentsComeFirstThenBufferAddressesInDeclarationOrder() {
        KernelLaunch l = KernelLaunch.builder(EXIT).args(7, -1).input("x", new byte[] {1, 2, 3})
                .output("y", 100).input("z", new int[] {5}).arg(9).build();
        assertArrayEquals(new int[] {7, -1, 9}, l.args());
        assertEquals(3, l.bufferArg("x"));
        assertEquals(4, l.bufferArg("y"));
        assertEquals(5, l.bufferArg("z"));
        int[] words = l.argumentWords(new long[] {0x1000, 0x2000, 0xFFFF_F000L});
        int[] expected = new int[Abi.KERNEL_ARGS];
        expected[0] = 7;
        expected[1] = -1;
        expected[2] = 9;
        expected[3] = 0x1000;
        expected[4] = 0x2000;
        expected[5] = 0xFFFF_F000;
        assertArrayEquals(expected, words);
        assertEquals(List.of("x", "y", "z"), l.buffers().stream().map(KernelLaunch.Buffer::name).toList());
        assertArrayEquals(new byte[] {5, 0, 0, 0}, l.buffers().get(2).contents());   // little-endian
        assertThrows(InvalidRequestException.class, () -> l.bufferArg("w"));
    }

    @Test
    void defaultsAndCopies() {
        long[] prog = {1, 2};
        byte[] in = {4};
        KernelLaunch.Builder b = KernelLaunch.builder(prog).input("in", in);
        prog[0] = 99;
        in[0] = 99;
        KernelLaunch l = b.build();
        assertArrayEquals(new long[] {1, 2}, l.program());
        assertArrayEquals(new byte[] {4}, l.buffers().get(0).contents());
        l.program()[1] = 42;
        assertArrayEquals(new long[] {1, 2}, l.program());
        assertEquals(1, l.tilesX());
        assertEquals(1, l.tilesY());
        assertEquals(0, l.entry());
        assertEquals(0, l.maxCycles());
        assertEquals(null, l.timeout());
        assertThrows(UnsupportedOperationException.class, () -> l.buffers().clear());
    }

    record Bad(String what, Supplier<KernelLaunch> build, String message) { }

    @Test
    void everyBadFieldIsNamed() {
        long[] max = new long[Abi.PROG_RAM_WORDS];
        for (Bad c : List.of(
                new Bad("empty program", () -> KernelLaunch.builder(new long[0]).build(), "the program is empty"),
                new Bad("program too long", () -> KernelLaunch.builder(new long[Abi.PROG_RAM_WORDS + 1]).build(),
                        "the program has 4097 instruction words but program RAM holds at most PROG_RAM_WORDS = 4096"),
                new Bad("entry past the end", () -> KernelLaunch.builder(new long[3]).entry(3).build(),
                        "entry 3 is outside the program (0 .. 2)"),
                new Bad("negative entry", () -> KernelLaunch.builder(EXIT).entry(-1).build(), "entry -1"),
                new Bad("zero tiles x", () -> KernelLaunch.builder(EXIT).tiles(0, 1).build(),
                        "at least one tile in each direction, got 0x1"),
                new Bad("zero tiles y", () -> KernelLaunch.builder(EXIT).tiles(2, 0).build(), "got 2x0"),
                new Bad("budget too large", () -> KernelLaunch.builder(EXIT).maxCycles(1L << 32).build(),
                        "maxCycles must be 0 (device default) .. 2^32-1, got 4294967296"),
                new Bad("negative budget", () -> KernelLaunch.builder(EXIT).maxCycles(-1).build(), "got -1"),
                new Bad("too many args", () -> KernelLaunch.builder(EXIT).args(new int[Abi.KERNEL_ARGS + 1]).build(),
                        "17 arguments and 0 buffer addresses need 17 argument words but the device passes KERNEL_ARGS = 16"),
                new Bad("args plus buffers", () -> KernelLaunch.builder(EXIT).args(new int[Abi.KERNEL_ARGS - 1])
                        .output("a", 4).output("b", 4).build(), "15 arguments and 2 buffer addresses need 17"),
                new Bad("duplicate names", () -> KernelLaunch.builder(EXIT).output("a", 4).input("a", new byte[1]).build(),
                        "two buffers are named 'a'"),
                new Bad("empty output", () -> KernelLaunch.builder(EXIT).output("y", 0).build(),
                        "output 'y' must have at least 1 byte, got 0"),
                new Bad("empty input", () -> KernelLaunch.builder(EXIT).input("x", new byte[0]).build(),
                        "input 'x' must have at least 1 byte, got 0"),
                new Bad("blank name", () -> KernelLaunch.builder(EXIT).output(" ", 4).build(), "non-empty name"),
                new Bad("zero timeout", () -> KernelLaunch.builder(EXIT).timeout(Duration.ZERO).build(),
                        "timeout must be positive"),
                new Bad("null program", () -> KernelLaunch.builder(null).build(), "the program is null"))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, c.build()::get, c.what());
            assertTrue(e.getMessage().contains(c.message()), c.what() + ": " + e.getMessage());
        }
        // the limits themselves are accepted
        KernelLaunch l = KernelLaunch.builder(max).entry(Abi.PROG_RAM_WORDS - 1).maxCycles(0xFFFF_FFFFL)
                .args(new int[Abi.KERNEL_ARGS - 1]).output("y", 1).build();
        assertEquals(Abi.PROG_RAM_WORDS, l.programWords());
    }

    @Test
    void resultAccessors() {
        KernelResult r = new KernelResult(java.util.Map.of("y", new byte[] {1, 0, 0, 0, 0, 0, (byte) 0x80, 0x3F}),
                CommandStats.NONE, 5);
        assertArrayEquals(new int[] {1, 0x3F800000}, r.outputInts("y"));
        assertEquals(1.0f, r.outputFloats("y")[1]);
        r.output("y")[0] = 9;
        assertEquals(1, r.output("y")[0]);
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> r.output("x"));
        assertTrue(e.getMessage().contains("no output named 'x'"), e.getMessage());
    }
}
