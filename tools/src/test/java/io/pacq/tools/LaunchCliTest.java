package io.pacq.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static io.pacq.tools.CliTest.pacq;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pacq launch} end to end, in process: a kernel from a .pasm file, its output file, and bad input. */
class LaunchCliTest {
    @TempDir
    Path dir;

    /** Tile t sums ARG0 words of the input from word t·ARG0 into output word t (lane 0 of warp 0). */
    private static final String SUMS = """
            ; per-tile sums
                    s2r     r1, warp
                    bnz     r1, done
                    li      r2, 1
                    setmask r2              ; lane 0 only
                    s2r     r3, tile_x
                    s2r     r7, arg0        ; words per tile
                    shli    r10, r7, 2
                    mul     r4, r3, r10
                    s2r     r5, arg1        ; &in
                    add     r4, r4, r5
                    li      r6, 0
            loop:   bz      r7, store
                    ldg     r8, [r4]
                    add     r6, r6, r8
                    addi    r4, r4, 4
                    addi    r7, r7, -1
                    bra     loop
            store:  shli    r3, r3, 2
                    s2r     r9, arg2        ; &out
                    add     r9, r9, r3
                    stg     [r9], r6
            done:   exit
            """;

    @Test
    void runsAKernelFromAFileAndWritesItsOutput() throws Exception {
        int tiles = 5;
        int per = 37;
        SplittableRandom r = new SplittableRandom(5);
        int[] in = new int[tiles * per];
        int[] expected = new int[tiles];
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextInt();
            expected[i / per] += in[i];            // wrapping, as the ISA's add
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * in.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(in);
        Path src = dir.resolve("sums.pasm");
        Path inFile = dir.resolve("in.bin");
        Path outFile = dir.resolve("sums.bin");
        Files.writeString(src, SUMS);
        Files.write(inFile, bytes.array());
        CliTest.Run run = pacq("launch", src.toString(), "--tiles", tiles + "x1", "--arg", String.valueOf(per),
                "--in", inFile.toString(), "--out", outFile + ":" + 4 * tiles);
        assertEquals(0, run.code(), run.err());
        int[] got = new int[tiles];
        ByteBuffer.wrap(Files.readAllBytes(outFile)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(got);
        assertArrayEquals(expected, got);
        assertTrue(run.out().contains("\"model\": \"EMU_CYCLE\""), run.out());
        assertTrue(run.out().contains("\"ARG1\": \"&" + inFile + " (input, " + 4 * in.length + " bytes)\""), run.out());
        // docs/simt.md 7: one 4-byte lane store per tile, one 64-byte transaction each
        assertTrue(run.out().contains("\"dmem_write_bytes\": " + 64 * tiles), run.out());
    }

    @Test
    void badInputGivesOneLineAndExitCode1() throws Exception {
        Path bad = dir.resolve("bad.pasm");
        Files.writeString(bad, "; a kernel\n        nop\n        frob r1, r2\n        exit\n");
        CliTest.Run asm = pacq("launch", bad.toString());
        assertEquals(1, asm.code());
        assertEquals(1, asm.err().strip().lines().count(), asm.err());
        assertTrue(asm.err().startsWith("pacq: error: " + bad + ":3: "), asm.err());

        Path spin = dir.resolve("spin.pasm");
        Files.writeString(spin, "spin: bra spin\n");
        CliTest.Run wd = pacq("launch", spin.toString(), "--max-cycles", "2000");
        assertEquals(1, wd.code());
        assertEquals(1, wd.err().strip().lines().count(), wd.err());
        assertTrue(wd.err().contains("WATCHDOG") && wd.err().contains("budget of 2000 cycles"), wd.err());

        CliTest.Run functional = pacq("launch", spin.toString(), "-d", "emu:");
        assertEquals(1, functional.code());
        assertTrue(functional.err().contains("does not run kernel launches"), functional.err());

        CliTest.Run tiles = pacq("launch", spin.toString(), "--tiles", "3y2");
        assertEquals(1, tiles.code());
        assertTrue(tiles.err().contains("--tiles must be X or XxY"), tiles.err());

        CliTest.Run out = pacq("launch", spin.toString(), "--out", "y.bin");
        assertEquals(1, out.code());
        assertTrue(out.err().contains("--out must be FILE:BYTES"), out.err());
    }

    @Test
    void argumentsParse() {
        assertEquals(-1, LaunchCommand.parseArg("0xFFFFFFFF"));
        assertEquals(-5, LaunchCommand.parseArg("-5"));
        assertEquals(Float.floatToRawIntBits(2.5f), LaunchCommand.parseArg("2.5f"));
        assertArrayEquals(new int[] {4, 2}, LaunchCommand.parseTiles("4x2"));
        assertArrayEquals(new int[] {7, 1}, LaunchCommand.parseTiles("7"));
    }
}
