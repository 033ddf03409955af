package io.pacq.emu.simt;

import io.pacq.abi.Abi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assembler and disassembler: encodings, round trips, and errors with file:line. */
class AssemblerTest {

    private static long[] asm(String src) {
        return Assembler.assemble(src, "t.pasm").words();
    }

    @Test
    void encodingsMatchTheAbiFields() {
        // opcode [7:0], rd [15:8], ra [23:16], rb [31:24], imm [63:32] (docs/simt.md section 3)
        assertEquals(0x0000_0000_0302_0110L, asm("add r1, r2, r3")[0]);
        assertEquals(0xFFFF_FFFF_0000_0520L, asm("li r5, -1")[0]);
        assertEquals(0x0000_0000_0007_0620L, asm("mov r6, r7")[0]);
        assertEquals(0x0000_0010_0002_0344L, asm("ldg.128 r3, [r2 + 16]")[0]);
        assertEquals(0xFFFF_FFF0_0902_004AL, asm("stg [r2 - 16], r9")[0]);
        assertEquals(0x0000_0804_0000_072EL, asm("bfe r7, r0, 4, 8")[0]);
        // pmma.z: rz 16 in IMM[7:0], bits 4 in IMM[15:8], .z in IMM[16]
        assertEquals(0x0001_0410_0C08_4061L, asm("pmma.z r64, r8, r12, r16, 4")[0]);
        assertEquals(0x0000_0000_1814_2060L, asm("hmma r32, r20, r24")[0]);
        assertEquals(0x0000_0010_0000_0109L, asm("s2r r1, arg0")[0]);
        assertEquals(0x0000_001E_0000_0109L, asm("s2r r1, arg(14)")[0]);
        // branches store target - pc
        long[] w = asm("top: nop\nbz r3, top\nbra end\nnop\nend: exit");
        assertEquals(0xFFFF_FFFF_0003_0005L, w[1]);
        assertEquals(0x0000_0002_0000_0004L, w[2]);
    }

    @Test
    void directivesAndExpressions() {
        long[] w = asm("""
                .equ    N, 3 * (2 + 4) - 1      ; 17
                .reg    acc, r40
                .if N > 16 && (N & 1) == 1
                li      acc, N << 2
                .else
                li      acc, 0
                .endif
                .for    i, 0, 3
                addi    r(acc + i), r0, i
        l{i}:   bra     l{i}
                .endfor
                .meta   SIZE, 0x10 | 3
                .word   0x123456789
                """);
        assertArrayEquals(new long[] {
            Assembler.word(Abi.Isa.ADDI, 40, 0, 0, 68),
            Assembler.word(Abi.Isa.ADDI, 40, 0, 0, 0), Assembler.word(Abi.Isa.BRA, 0, 0, 0, 0),
            Assembler.word(Abi.Isa.ADDI, 41, 0, 0, 1), Assembler.word(Abi.Isa.BRA, 0, 0, 0, 0),
            Assembler.word(Abi.Isa.ADDI, 42, 0, 0, 2), Assembler.word(Abi.Isa.BRA, 0, 0, 0, 0),
            0x123456789L}, w);
        assertEquals(19, Assembler.assemble(".meta SIZE, 0x10 | 3", "t").meta("SIZE"));
        assertEquals(Map.of("a", 0, "b", 1), Assembler.assemble("a: nop\nb: exit", "t").labels());
    }

    @Test
    void everyKernelRoundTrips() {
        long[] rom = KernelRom.get().words();
        for (KernelRom.Kernel k : KernelRom.get().kernels()) {
            long[] words = java.util.Arrays.copyOfRange(rom, k.entry(), k.end());
            String listing = Disassembler.listing(words);
            assertArrayEquals(words, asm(listing), k.name());
        }
    }

    @Test
    void everyOpcodeRoundTrips() {
        SplittableRandom rnd = new SplittableRandom(3);
        StringBuilder src = new StringBuilder();
        for (int op = 0; op < 256; op++) {
            String mn = Abi.Isa.mnemonic(op);
            if (mn == null) {
                continue;
            }
            for (int rep = 0; rep < 20; rep++) {
                src.append(line(op, mn, rnd)).append('\n');
            }
        }
        long[] words = asm(src.toString());
        assertTrue(words.length >= 74 * 20);
        for (long w : words) {
            String text = Disassembler.disassemble(w);
            assertTrue(!text.startsWith(".word"), "canonical word disassembled as .word: " + text);
        }
        assertArrayEquals(words, asm(Disassembler.listing(words)));
    }

    private static String line(int op, String mn, SplittableRandom r) {
        int fmt = Abi.Isa.format(op);
        String rd = "r" + r.nextInt(128);
        String ra = "r" + r.nextInt(128);
        String rb = "r" + r.nextInt(128);
        int imm = r.nextInt();
        int groups = Assembler.ldstRegs(op);
        return switch (fmt) {
            case Abi.Format.N -> mn;
            case Abi.Format.R -> mn + " " + rd + ", " + ra + ", " + rb;
            case Abi.Format.I -> op == Abi.Isa.BFE ? mn + " " + rd + ", " + ra + ", " + r.nextInt(32) + ", " + r.nextInt(33)
                    : op == Abi.Isa.UNPK ? mn + " " + rd + ", " + ra + ", " + r.nextInt(32) + ", " + (1 + r.nextInt(16))
                    : mn + " " + rd + ", " + ra + ", " + imm;
            case Abi.Format.U -> mn + " " + rd + ", " + ra;
            case Abi.Format.SR -> mn + " " + rd + ", " + (r.nextBoolean() ? "lane" : "arg" + r.nextInt(16));
            case Abi.Format.LD -> mn + " r" + r.nextInt(128 - groups + 1) + ", [" + ra + (imm < 0 ? " - " + -(long) imm : " + " + imm) + "]";
            case Abi.Format.ST -> mn + " [" + ra + " + " + (imm & 0xFFFF) + "], r" + r.nextInt(128 - groups + 1);
            case Abi.Format.J -> mn + " . + " + (imm >> 8);
            case Abi.Format.BR -> mn + " " + ra + ", . - " + (r.nextInt(1000));
            case Abi.Format.M -> mn + " " + ra;
            case Abi.Format.MH -> mn + (r.nextBoolean() ? ".z" : "") + " r" + r.nextInt(121) + ", r" + r.nextInt(125) + ", r" + r.nextInt(125);
            case Abi.Format.MQ -> {
                int bits = new int[] {2, 4, 8}[r.nextInt(3)];
                yield mn + (r.nextBoolean() ? ".z" : "") + " r" + r.nextInt(129 - 128 / bits) + ", r" + r.nextInt(125) + ", r"
                        + r.nextInt(125) + ", r" + r.nextInt(128) + ", " + bits;
            }
            default -> throw new IllegalStateException();
        };
    }

    @Test
    void arbitraryWordsRoundTripThroughDotWord() {
        SplittableRandom rnd = new SplittableRandom(5);
        long[] words = new long[5000];
        for (int i = 0; i < words.length; i++) {
            long w = rnd.nextLong();
            if (i % 2 == 0) {   // half of them with a defined opcode and small fields, often canonical
                w = (w & 0xFFFF_FFFF_0000_0000L) | (rnd.nextInt(0x70) & 0xFF) | (long) rnd.nextInt(128) << 8
                        | (long) rnd.nextInt(128) << 16 | (long) rnd.nextInt(128) << 24;
            }
            words[i] = w;
        }
        assertArrayEquals(words, asm(Disassembler.listing(words)));
        assertEquals(".word 0x0000000000000000", Disassembler.disassemble(0));
        assertEquals(".word 0x0000000000000321", Disassembler.disassemble(0x321));   // opcode 0x21 is not defined
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'nop\nfrob r1, r2'                    | 2 | unknown instruction 'frob'",
        "'add r1, r2'                          | 1 | add takes rd, ra, rb, got 2 operand(s)",
        "'nop\nnop\naddi r1, r2, x'            | 3 | undefined symbol 'x'",
        "'add r1, r2, r128'                    | 1 | register r128 does not exist",
        "'add r1, r2, q3'                      | 1 | 'q3' is not a register",
        "'a: nop\na: nop'                      | 2 | duplicate label 'a'",
        "'.if 1\nnop'                          | 1 | .if without .endif",
        "'.for i, 0, 2\nnop'                   | 1 | .for without .endfor",
        "'nop\n.endif'                         | 2 | .endif without a matching .if",
        "'li r1, 0x100000000'                  | 1 | does not fit in 32 bits",
        "'pmma r0, r1, r2, r3, 3'              | 1 | bits must be 2, 4 or 8",
        "'pmma r100, r1, r2, r3, 2'            | 1 | run past r127",
        "'ldg.128 r126, [r1]'                  | 1 | run past r127",
        "'ldg r1, r2'                          | 1 | expected a memory operand",
        "'s2r r1, bogus'                       | 1 | undefined symbol 'bogus'",
        "'s2r r1, arg(16)'                     | 1 | kernel argument 16 does not exist",
        "'bfe r1, r2, 4, 33'                   | 1 | len 33 is not in 0 .. 32",
        "'unpk r1, r2, 32, 4'                  | 1 | pos 32 is not in 0 .. 31",
        "'add.z r1, r2, r3'                    | 1 | only matrix instructions take .z",
        "'.bogus 1'                            | 1 | unknown directive '.bogus'",
        "'li r1, (3'                           | 1 | missing ')'",
        "'li r1, 4 / 0'                        | 1 | division by zero",
        "'nop\n\n; c\nbra nowhere'             | 4 | undefined symbol 'nowhere'",
    })
    void malformedSourceNamesFileAndLine(String src, int line, String message) {
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble(src, "bad.pasm"));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.pasm:" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
