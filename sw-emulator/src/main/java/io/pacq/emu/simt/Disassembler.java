package io.pacq.emu.simt;

import io.pacq.abi.Abi;

import java.util.Locale;

/**
 * Instruction words back to assembly text that {@link Assembler} turns into the same words.
 * Branch targets are written relative to the instruction ({@code . + 5}), so a listing
 * reassembles anywhere. A word that is not the canonical encoding of a legal instruction (an
 * unknown opcode, a register field past r127, non-zero unused fields …) is written as
 * {@code .word 0x…}. Stateless and thread-safe.
 */
public final class Disassembler {
    private Disassembler() {}

    /** One instruction as assembly text (no label, no address). */
    public static String disassemble(long word) {
        String text = format(word);
        return text != null ? text : String.format(".word 0x%016X", word);
    }

    /** A whole program, one instruction per line with its address in a comment. */
    public static String listing(long[] words) {
        StringBuilder b = new StringBuilder();
        for (int pc = 0; pc < words.length; pc++) {
            String t = disassemble(words[pc]);
            b.append("        ").append(t);
            b.append(" ".repeat(Math.max(1, 40 - t.length()))).append("; ").append(String.format("%04d", pc))
                    .append('\n');
        }
        return b.toString();
    }

    /** The text of a canonical legal word, or null. */
    private static String format(long w) {
        int op = (int) (w & 0xFF);
        int rd = (int) (w >>> Abi.Isa.RD_LSB) & 0xFF;
        int ra = (int) (w >>> Abi.Isa.RA_LSB) & 0xFF;
        int rb = (int) (w >>> Abi.Isa.RB_LSB) & 0xFF;
        int imm = (int) (w >>> Abi.Isa.IMM_LSB);
        String mn = Abi.Isa.mnemonic(op);
        if (mn == null || rd >= Abi.SIMT_REGS || ra >= Abi.SIMT_REGS || rb >= Abi.SIMT_REGS) {
            return null;
        }
        int fmt = Abi.Isa.format(op);
        String text;
        long canonical;
        switch (fmt) {
            case Abi.Format.N -> {
                text = mn;
                canonical = Assembler.word(op, 0, 0, 0, 0);
            }
            case Abi.Format.R -> {
                text = mn + " r" + rd + ", r" + ra + ", r" + rb;
                canonical = Assembler.word(op, rd, ra, rb, 0);
            }
            case Abi.Format.I -> {
                if (op == Abi.Isa.BFE || op == Abi.Isa.UNPK) {
                    int pos = imm & 0x1F;
                    int len = (imm >>> 8) & 0x3F;
                    boolean ok = op == Abi.Isa.BFE ? len <= 32 : len >= 1 && len <= 16;
                    if (!ok) {
                        return null;
                    }
                    text = mn + " r" + rd + ", r" + ra + ", " + pos + ", " + len;
                    canonical = Assembler.word(op, rd, ra, 0, pos | len << 8);
                } else {
                    text = mn + " r" + rd + ", r" + ra + ", " + imm(imm);
                    canonical = Assembler.word(op, rd, ra, 0, imm);
                }
            }
            case Abi.Format.U -> {
                text = mn + " r" + rd + ", r" + ra;
                canonical = Assembler.word(op, rd, ra, 0, 0);
            }
            case Abi.Format.SR -> {
                String name = Abi.Sreg.name(imm);
                if (name.startsWith("UNKNOWN")) {
                    return null;
                }
                text = mn + " r" + rd + ", " + name.toLowerCase(Locale.ROOT);
                canonical = Assembler.word(op, rd, 0, 0, imm);
            }
            case Abi.Format.LD -> {
                if (rd + Assembler.ldstRegs(op) > Abi.SIMT_REGS) {
                    return null;
                }
                text = mn + " r" + rd + ", " + mem(ra, imm);
                canonical = Assembler.word(op, rd, ra, 0, imm);
            }
            case Abi.Format.ST -> {
                if (rb + Assembler.ldstRegs(op) > Abi.SIMT_REGS) {
                    return null;
                }
                text = mn + " " + mem(ra, imm) + ", r" + rb;
                canonical = Assembler.word(op, 0, ra, rb, imm);
            }
            case Abi.Format.J -> {
                text = mn + " " + rel(imm);
                canonical = Assembler.word(op, 0, 0, 0, imm);
            }
            case Abi.Format.BR -> {
                text = mn + " r" + ra + ", " + rel(imm);
                canonical = Assembler.word(op, 0, ra, 0, imm);
            }
            case Abi.Format.M -> {
                text = mn + " r" + ra;
                canonical = Assembler.word(op, 0, ra, 0, 0);
            }
            case Abi.Format.MH -> {
                boolean z = (imm & 1 << 16) != 0;
                if (rd + 8 > Abi.SIMT_REGS || ra + 4 > Abi.SIMT_REGS || rb + 4 > Abi.SIMT_REGS) {
                    return null;
                }
                text = mn + (z ? ".z" : "") + " r" + rd + ", r" + ra + ", r" + rb;
                canonical = Assembler.word(op, rd, ra, rb, z ? 1 << 16 : 0);
            }
            case Abi.Format.MQ -> {
                boolean z = (imm & 1 << 16) != 0;
                int rz = imm & 0xFF;
                int bits = (imm >>> 8) & 0xFF;
                if (bits != 2 && bits != 4 && bits != 8 || rz >= Abi.SIMT_REGS || rd + 128 / bits > Abi.SIMT_REGS
                        || ra + 4 > Abi.SIMT_REGS || rb + 4 > Abi.SIMT_REGS) {
                    return null;
                }
                text = mn + (z ? ".z" : "") + " r" + rd + ", r" + ra + ", r" + rb + ", r" + rz + ", " + bits;
                canonical = Assembler.word(op, rd, ra, rb, rz | bits << 8 | (z ? 1 << 16 : 0));
            }
            default -> {
                return null;
            }
        }
        return canonical == w ? text : null;
    }

    private static String imm(int v) {
        return (v > -65536 && v < 65536) ? Integer.toString(v) : String.format("0x%08X", v);
    }

    private static String mem(int ra, int imm) {
        if (imm == 0) {
            return "[r" + ra + "]";
        }
        return imm < 0 && imm != Integer.MIN_VALUE ? "[r" + ra + " - " + imm(-imm) + "]" : "[r" + ra + " + " + imm(imm) + "]";
    }

    private static String rel(int off) {
        return off < 0 ? ". - " + -(long) off : ". + " + off;
    }
}
