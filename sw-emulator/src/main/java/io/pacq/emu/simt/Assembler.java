package io.pacq.emu.simt;

import io.pacq.abi.Abi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SIMT assembler: source text to 64-bit instruction words (docs/simt.md, section 10).
 * Stateless and thread-safe.
 *
 * <pre>
 * ; comment (also # and //)
 *         .equ    NAME, expr        constant; expressions: + - * / % &lt;&lt; &gt;&gt; &amp; | ^ ~ ! == != &lt; &gt; &lt;= &gt;= &amp;&amp; || ( )
 *         .reg    NAME, r12         register alias
 *         .if expr / .else / .endif conditional assembly
 *         .for NAME, from, to       repeat the block up to .endfor with NAME = from .. to-1
 *         .meta   NAME, expr        a value for the program's user (e.g. shared-memory needs)
 *         .word   expr              a raw 64-bit word
 * label:  add     r1, r2, r3
 *         ldg.128 r4, [r2 + 16]
 *         pmma.z  r(ACC), r4, r8, r12, BITS
 * </pre>
 *
 * Branch targets are labels or expressions of absolute instruction indices ({@code .} is the
 * current one); the encoding stores {@code target - pc}. Pseudo-instructions: {@code li rd, imm}
 * ({@code addi rd, r0, imm}) and {@code mov rd, ra} ({@code addi rd, ra, 0}). Every error is an
 * {@link AsmException} naming the file and line.
 */
public final class Assembler {
    private Assembler() {}

    private static final Map<String, Integer> OPCODES = new HashMap<>();
    private static final Map<String, Integer> SREGS = new HashMap<>();

    static {
        for (int op = 0; op < 256; op++) {
            String m = Abi.Isa.mnemonic(op);
            if (m != null) {
                OPCODES.put(m, op);
            }
        }
        for (int s = 0; s < 64; s++) {
            String n = Abi.Sreg.name(s);
            if (!n.startsWith("UNKNOWN")) {
                SREGS.put(n.toLowerCase(Locale.ROOT), s);
            }
        }
    }

    /** Assembles a source with no predefined symbols. */
    public static Program assemble(String source, String file) {
        return assemble(source, file, Map.of());
    }

    /**
     * Assembles a source.
     *
     * @param file       name used in error messages and as the program name
     * @param predefined symbols visible to every expression (e.g. {@code BITS})
     * @throws AsmException on any error in the source
     */
    public static Program assemble(String source, String file, Map<String, Long> predefined) {
        State st = new State(file);
        String[] raw = source.split("\r?\n", -1);
        List<SrcLine> lines = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            String t = stripComment(raw[i]).strip();
            if (!t.isEmpty()) {
                lines.add(new SrcLine(i + 1, t));
            }
        }
        Map<String, Long> env = new HashMap<>(predefined);
        st.process(lines, 0, lines.size(), env, new HashMap<>());
        long[] words = new long[st.stmts.size()];
        for (int i = 0; i < words.length; i++) {
            words[i] = st.encode(st.stmts.get(i), i);
        }
        return new Program(file, words, st.labels, st.meta);
    }

    private static String stripComment(String s) {
        int cut = s.length();
        int i = s.indexOf(';');
        if (i >= 0) {
            cut = Math.min(cut, i);
        }
        i = s.indexOf('#');
        if (i >= 0) {
            cut = Math.min(cut, i);
        }
        i = s.indexOf("//");
        if (i >= 0) {
            cut = Math.min(cut, i);
        }
        return s.substring(0, cut);
    }

    private record SrcLine(int no, String text) {}

    /** One instruction (or .word) to encode in pass 2, with the symbols visible where it stood. */
    private record Stmt(int line, String mnemonic, List<String> operands, Map<String, Long> env,
                        Map<String, Integer> regs) {}

    private static final class State {
        final String file;
        final List<Stmt> stmts = new ArrayList<>();
        final Map<String, Integer> labels = new LinkedHashMap<>();
        final Map<String, Long> meta = new LinkedHashMap<>();
        final Map<String, List<SrcLine>> macros = new HashMap<>();
        int expansions;

        State(String file) {
            this.file = file;
        }

        AsmException err(int line, String msg) {
            return new AsmException(file, line, msg);
        }

        void process(List<SrcLine> lines, int from, int to, Map<String, Long> env, Map<String, Integer> regs) {
            for (int i = from; i < to; i++) {
                SrcLine ln = lines.get(i);
                String text = substitute(ln, env);
                int colon = labelEnd(text);
                if (colon > 0) {
                    String label = text.substring(0, colon).strip();
                    if (labels.containsKey(label)) {
                        throw err(ln.no(), "duplicate label '" + label + "'");
                    }
                    if (env.containsKey(label)) {
                        throw err(ln.no(), "label '" + label + "' clashes with a symbol of the same name");
                    }
                    labels.put(label, stmts.size());
                    text = text.substring(colon + 1).strip();
                    if (text.isEmpty()) {
                        continue;
                    }
                }
                String[] mo = splitMnemonic(text);
                String mn = mo[0].toLowerCase(Locale.ROOT);
                List<String> ops = splitOperands(mo[1], ln.no());
                switch (mn) {
                    case ".equ" -> {
                        need(ops, 2, ln, ".equ NAME, expr");
                        String name = ident(ops.get(0), ln);
                        env.put(name, eval(ops.get(1), env, ln.no(), -1));
                    }
                    case ".reg" -> {
                        need(ops, 2, ln, ".reg NAME, rN");
                        regs.put(ident(ops.get(0), ln), reg(ops.get(1), env, regs, ln.no()));
                    }
                    case ".meta" -> {
                        need(ops, 2, ln, ".meta NAME, expr");
                        meta.put(ident(ops.get(0), ln), eval(ops.get(1), env, ln.no(), -1));
                    }
                    case ".if" -> {
                        need(ops, 1, ln, ".if expr");
                        int[] blk = findIfBlock(lines, i, to);
                        boolean cond = eval(ops.get(0), env, ln.no(), -1) != 0;
                        if (cond) {
                            process(lines, i + 1, blk[0] >= 0 ? blk[0] : blk[1], env, regs);
                        } else if (blk[0] >= 0) {
                            process(lines, blk[0] + 1, blk[1], env, regs);
                        }
                        i = blk[1];
                    }
                    case ".for" -> {
                        need(ops, 3, ln, ".for NAME, from, to");
                        String name = ident(ops.get(0), ln);
                        long a = eval(ops.get(1), env, ln.no(), -1);
                        long b = eval(ops.get(2), env, ln.no(), -1);
                        int end = findEnd(lines, i, to, ".for", ".endfor");
                        if (b - a > 100_000) {
                            throw err(ln.no(), ".for of " + (b - a) + " iterations is too long");
                        }
                        for (long v = a; v < b; v++) {
                            Map<String, Long> inner = new HashMap<>(env);
                            inner.put(name, v);
                            process(lines, i + 1, end, inner, new HashMap<>(regs));
                        }
                        i = end;
                    }
                    case ".macro" -> {
                        need(ops, 1, ln, ".macro NAME");
                        String name = ident(ops.get(0), ln).toLowerCase(Locale.ROOT);
                        if (OPCODES.containsKey(name) || macros.containsKey(name)) {
                            throw err(ln.no(), "macro '" + name + "' is already an instruction or a macro");
                        }
                        int end = findEnd(lines, i, to, ".macro", ".endm");
                        macros.put(name, List.copyOf(lines.subList(i + 1, end)));
                        i = end;
                    }
                    case ".else", ".endif", ".endfor", ".endm" -> throw err(ln.no(), mn + " without a matching "
                            + switch (mn) {
                                case ".endfor" -> ".for";
                                case ".endm" -> ".macro";
                                default -> ".if";
                            });
                    default -> {
                        List<SrcLine> body = macros.get(mn);
                        if (body != null) {
                            if (!ops.isEmpty()) {
                                throw err(ln.no(), "macro '" + mn + "' takes no operands");
                            }
                            if (++expansions > 10_000) {
                                throw err(ln.no(), "too many macro expansions (a macro that uses itself?)");
                            }
                            Map<String, Long> inner = new HashMap<>(env);
                            inner.put("__N", (long) expansions);   // for unique labels: name{__N}
                            process(body, 0, body.size(), inner, regs);
                            continue;
                        }
                        if (mn.startsWith(".") && !mn.equals(".word")) {
                            throw err(ln.no(), "unknown directive '" + mn + "'");
                        }
                        if (stmts.size() >= Abi.PROG_RAM_WORDS + Abi.PROG_ROM_WORDS) {
                            throw err(ln.no(), "program longer than " + (Abi.PROG_RAM_WORDS + Abi.PROG_ROM_WORDS)
                                    + " words");
                        }
                        stmts.add(new Stmt(ln.no(), mn, ops, Map.copyOf(env), Map.copyOf(regs)));
                    }
                }
            }
        }

        /** Replaces every {expr} in a line by its value, so that unrolled code can make unique labels. */
        private String substitute(SrcLine ln, Map<String, Long> env) {
            String text = ln.text();
            String mn = splitMnemonic(text)[0].toLowerCase(Locale.ROOT);
            if (text.indexOf('{') < 0 || mn.equals(".for") || mn.equals(".endfor") || mn.equals(".if")) {
                return text;
            }
            StringBuilder b = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                int open = text.indexOf('{', i);
                if (open < 0) {
                    b.append(text, i, text.length());
                    break;
                }
                int close = text.indexOf('}', open);
                if (close < 0) {
                    throw err(ln.no(), "'{' without '}'");
                }
                b.append(text, i, open).append(eval(text.substring(open + 1, close), env, ln.no(), -1));
                i = close + 1;
            }
            return b.toString();
        }

        private static int labelEnd(String text) {
            int c = text.indexOf(':');
            if (c <= 0) {
                return -1;
            }
            String head = text.substring(0, c).strip();
            return head.matches("[A-Za-z_][A-Za-z0-9_]*") ? c : -1;
        }

        private void need(List<String> ops, int n, SrcLine ln, String syntax) {
            if (ops.size() != n) {
                throw err(ln.no(), "expected " + syntax + ", got " + ops.size() + " operand(s)");
            }
        }

        private String ident(String s, SrcLine ln) {
            String t = s.strip();
            if (!t.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw err(ln.no(), "'" + t + "' is not a name");
            }
            return t;
        }

        /** [else index or -1, endif index] of the .if at i. */
        private int[] findIfBlock(List<SrcLine> lines, int i, int to) {
            int depth = 0;
            int elseAt = -1;
            for (int j = i + 1; j < to; j++) {
                String mn = splitMnemonic(lines.get(j).text())[0].toLowerCase(Locale.ROOT);
                if (mn.equals(".if")) {
                    depth++;
                } else if (mn.equals(".endif")) {
                    if (depth == 0) {
                        return new int[] {elseAt, j};
                    }
                    depth--;
                } else if (mn.equals(".else") && depth == 0) {
                    if (elseAt >= 0) {
                        throw err(lines.get(j).no(), "second .else for one .if");
                    }
                    elseAt = j;
                }
            }
            throw err(lines.get(i).no(), ".if without .endif");
        }

        private int findEnd(List<SrcLine> lines, int i, int to, String open, String close) {
            int depth = 0;
            for (int j = i + 1; j < to; j++) {
                String mn = splitMnemonic(lines.get(j).text())[0].toLowerCase(Locale.ROOT);
                if (mn.equals(open)) {
                    depth++;
                } else if (mn.equals(close)) {
                    if (depth == 0) {
                        return j;
                    }
                    depth--;
                }
            }
            throw err(lines.get(i).no(), open + " without " + close);
        }

        // ------------------------------------------------------------------------- pass 2

        long encode(Stmt s, int pc) {
            String mn = s.mnemonic();
            List<String> ops = s.operands();
            int line = s.line();
            if (mn.equals(".word")) {
                if (ops.size() != 1) {
                    throw err(line, "expected .word expr");
                }
                return eval(ops.get(0), s, pc);
            }
            if (mn.equals("li")) {
                if (ops.size() != 2) {
                    throw err(line, "expected li rd, imm");
                }
                return word(Abi.Isa.ADDI, reg(ops.get(0), s), 0, 0, imm32(ops.get(1), s, pc));
            }
            if (mn.equals("mov")) {
                if (ops.size() != 2) {
                    throw err(line, "expected mov rd, ra");
                }
                return word(Abi.Isa.ADDI, reg(ops.get(0), s), reg(ops.get(1), s), 0, 0);
            }
            boolean zacc = false;
            Integer op = OPCODES.get(mn);
            if (op == null && mn.endsWith(".z")) {
                op = OPCODES.get(mn.substring(0, mn.length() - 2));
                zacc = true;
                if (op != null) {
                    int f = Abi.Isa.format(op);
                    if (f != Abi.Format.MH && f != Abi.Format.MQ) {
                        throw err(line, "'" + mn + "': only matrix instructions take .z");
                    }
                }
            }
            if (op == null) {
                throw err(line, "unknown instruction '" + mn + "'");
            }
            int fmt = Abi.Isa.format(op);
            switch (fmt) {
                case Abi.Format.N -> {
                    count(ops, 0, mn, "", line);
                    return word(op, 0, 0, 0, 0);
                }
                case Abi.Format.R -> {
                    count(ops, 3, mn, "rd, ra, rb", line);
                    return word(op, reg(ops.get(0), s), reg(ops.get(1), s), reg(ops.get(2), s), 0);
                }
                case Abi.Format.I -> {
                    if (op == Abi.Isa.BFE || op == Abi.Isa.UNPK) {
                        count(ops, 4, mn, "rd, ra, pos, len", line);
                        long pos = eval(ops.get(2), s, pc);
                        long len = eval(ops.get(3), s, pc);
                        if (pos < 0 || pos > 31) {
                            throw err(line, mn + ": pos " + pos + " is not in 0 .. 31");
                        }
                        long lo = op == Abi.Isa.BFE ? 0 : 1;
                        long hi = op == Abi.Isa.BFE ? 32 : 16;
                        if (len < lo || len > hi) {
                            throw err(line, mn + ": len " + len + " is not in " + lo + " .. " + hi);
                        }
                        return word(op, reg(ops.get(0), s), reg(ops.get(1), s), 0, (int) (pos | len << 8));
                    }
                    count(ops, 3, mn, "rd, ra, imm", line);
                    return word(op, reg(ops.get(0), s), reg(ops.get(1), s), 0, imm32(ops.get(2), s, pc));
                }
                case Abi.Format.U -> {
                    count(ops, 2, mn, "rd, ra", line);
                    return word(op, reg(ops.get(0), s), reg(ops.get(1), s), 0, 0);
                }
                case Abi.Format.SR -> {
                    count(ops, 2, mn, "rd, sreg", line);
                    String name = ops.get(1).strip().toLowerCase(Locale.ROOT);
                    Integer sr = SREGS.get(name);
                    long v;
                    if (sr != null) {
                        v = sr;
                    } else if (name.matches("arg\\s*\\(.*\\)")) {
                        String orig = ops.get(1).strip();
                        long n = eval(orig.substring(orig.indexOf('(')), s, pc);
                        if (n < 0 || n >= Abi.KERNEL_ARGS) {
                            throw err(line, "kernel argument " + n + " does not exist (0 .. " + (Abi.KERNEL_ARGS - 1) + ")");
                        }
                        v = Abi.Sreg.ARG0 + n;
                    } else {
                        v = eval(ops.get(1), s, pc);
                    }
                    if (Abi.Sreg.name((int) v).startsWith("UNKNOWN") || v < 0 || v > 255) {
                        throw err(line, "unknown special register '" + ops.get(1).strip() + "'");
                    }
                    return word(op, reg(ops.get(0), s), 0, 0, (int) v);
                }
                case Abi.Format.LD -> {
                    count(ops, 2, mn, "rd, [ra + imm]", line);
                    int rd = reg(ops.get(0), s);
                    group(rd, ldstRegs(op), mn, line);
                    int[] m = mem(ops.get(1), s, pc);
                    return word(op, rd, m[0], 0, m[1]);
                }
                case Abi.Format.ST -> {
                    count(ops, 2, mn, "[ra + imm], rb", line);
                    int[] m = mem(ops.get(0), s, pc);
                    int rb = reg(ops.get(1), s);
                    group(rb, ldstRegs(op), mn, line);
                    return word(op, 0, m[0], rb, m[1]);
                }
                case Abi.Format.J -> {
                    count(ops, 1, mn, "target", line);
                    return word(op, 0, 0, 0, offset(ops.get(0), s, pc));
                }
                case Abi.Format.BR -> {
                    count(ops, 2, mn, "ra, target", line);
                    return word(op, 0, reg(ops.get(0), s), 0, offset(ops.get(1), s, pc));
                }
                case Abi.Format.M -> {
                    count(ops, 1, mn, "ra", line);
                    return word(op, 0, reg(ops.get(0), s), 0, 0);
                }
                case Abi.Format.MH -> {
                    count(ops, 3, mn, "rd, ra, rb", line);
                    int rd = reg(ops.get(0), s);
                    int ra = reg(ops.get(1), s);
                    int rb = reg(ops.get(2), s);
                    group(rd, 8, mn + " accumulator", line);
                    group(ra, 4, mn + " A", line);
                    group(rb, 4, mn + " B", line);
                    return word(op, rd, ra, rb, zacc ? 1 << 16 : 0);
                }
                case Abi.Format.MQ -> {
                    count(ops, 5, mn, "rd, ra, rb, rz, bits", line);
                    int rd = reg(ops.get(0), s);
                    int ra = reg(ops.get(1), s);
                    int rb = reg(ops.get(2), s);
                    int rz = reg(ops.get(3), s);
                    long bits = eval(ops.get(4), s, pc);
                    if (bits != 2 && bits != 4 && bits != 8) {
                        throw err(line, mn + ": bits must be 2, 4 or 8, got " + bits);
                    }
                    group(rd, 8 * 16 / (int) bits, mn + " accumulator", line);
                    group(ra, 4, mn + " A", line);
                    group(rb, 4, mn + " B", line);
                    return word(op, rd, ra, rb, (int) (rz | bits << 8 | (zacc ? 1 << 16 : 0)));
                }
                default -> throw err(line, "internal: format " + fmt);
            }
        }

        private void count(List<String> ops, int n, String mn, String syntax, int line) {
            if (ops.size() != n) {
                throw err(line, mn + " takes " + (n == 0 ? "no operands" : syntax) + ", got " + ops.size()
                        + " operand(s)");
            }
        }

        private void group(int first, int n, String what, int line) {
            if (first + n > Abi.SIMT_REGS) {
                throw err(line, what + ": registers r" + first + " .. r" + (first + n - 1) + " run past r"
                        + (Abi.SIMT_REGS - 1));
            }
        }

        private int reg(String text, Stmt s) {
            return reg(text, s.env(), s.regs(), s.line());
        }

        int reg(String text, Map<String, Long> env, Map<String, Integer> regs, int line) {
            String t = text.strip();
            long v;
            if (t.matches("[rR][0-9]+")) {
                v = Long.parseLong(t.substring(1));
            } else if (t.matches("[rR]\\s*\\(.*\\)")) {
                // register aliases stand for their numbers inside r(expr)
                Map<String, Long> all = new HashMap<>(env);
                regs.forEach((k, n) -> all.putIfAbsent(k, (long) n));
                v = eval(t.substring(t.indexOf('(')), all, line, -1);
            } else if (regs.containsKey(t)) {
                v = regs.get(t);
            } else {
                throw err(line, "'" + t + "' is not a register (rN, r(expr) or a .reg name)");
            }
            if (v < 0 || v >= Abi.SIMT_REGS) {
                throw err(line, "register r" + v + " does not exist (r0 .. r" + (Abi.SIMT_REGS - 1) + ")");
            }
            return (int) v;
        }

        /** [ra, imm] of "[ra + expr]", "[ra - expr]", "[ra]" or "[expr]". */
        private int[] mem(String text, Stmt s, int pc) {
            String t = text.strip();
            if (!t.startsWith("[") || !t.endsWith("]")) {
                throw err(s.line(), "expected a memory operand [ra + imm], got '" + t + "'");
            }
            String in = t.substring(1, t.length() - 1).strip();
            int regEnd = registerPrefix(in, s.regs());
            if (regEnd < 0) {
                return new int[] {0, imm32(in, s, pc)};
            }
            int ra = reg(in.substring(0, regEnd), s);
            String rest = in.substring(regEnd).strip();
            if (rest.isEmpty()) {
                return new int[] {ra, 0};
            }
            if (!rest.startsWith("+") && !rest.startsWith("-")) {
                throw err(s.line(), "expected + or - after the base register in '" + t + "'");
            }
            return new int[] {ra, imm32("0 " + rest, s, pc)};
        }

        /** Length of a register at the start of s, or -1. */
        private static int registerPrefix(String s, Map<String, Integer> regs) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[rR][0-9]+\\b").matcher(s);
            if (m.find()) {
                return m.end();
            }
            if (s.matches("^[rR]\\s*\\(.*")) {
                int depth = 0;
                for (int i = s.indexOf('('); i < s.length(); i++) {
                    if (s.charAt(i) == '(') {
                        depth++;
                    } else if (s.charAt(i) == ')' && --depth == 0) {
                        return i + 1;
                    }
                }
                return -1;
            }
            m = java.util.regex.Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*").matcher(s);
            if (m.find() && regs.containsKey(m.group())) {
                return m.end();
            }
            return -1;
        }

        private int imm32(String text, Stmt s, int pc) {
            long v = eval(text, s, pc);
            if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
                throw err(s.line(), "immediate " + v + " does not fit in 32 bits");
            }
            return (int) v;
        }

        private int offset(String text, Stmt s, int pc) {
            long target = eval(text, s, pc);
            long off = target - pc;
            if (off < Integer.MIN_VALUE || off > Integer.MAX_VALUE) {
                throw err(s.line(), "branch target " + target + " out of range");
            }
            return (int) off;
        }

        private long eval(String text, Stmt s, int pc) {
            return eval(text, s.env(), s.line(), pc);
        }

        long eval(String text, Map<String, Long> env, int line, int pc) {
            return new Expr(text, env, labels, pc, this, line).parse();
        }
    }

    static int ldstRegs(int op) {
        int size = 1 << (op & 7);
        return Math.max(1, size / 4);
    }

    static long word(int op, int rd, int ra, int rb, int imm) {
        return (op & 0xFFL) | (long) rd << Abi.Isa.RD_LSB | (long) ra << Abi.Isa.RA_LSB | (long) rb << Abi.Isa.RB_LSB
                | (imm & 0xFFFF_FFFFL) << Abi.Isa.IMM_LSB;
    }

    /** [mnemonic, rest]. */
    private static String[] splitMnemonic(String text) {
        int i = 0;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return new String[] {text.substring(0, i), text.substring(i).strip()};
    }

    private static List<String> splitOperands(String s, int line) {
        List<String> out = new ArrayList<>();
        if (s.isBlank()) {
            return out;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(s.substring(start).strip());
        return out;
    }

    /** Recursive-descent expression evaluator with C precedence. */
    private static final class Expr {
        private final String s;
        private final Map<String, Long> env;
        private final Map<String, Integer> labels;
        private final int pc;
        private final State st;
        private final int line;
        private int i;

        Expr(String s, Map<String, Long> env, Map<String, Integer> labels, int pc, State st, int line) {
            this.s = s;
            this.env = env;
            this.labels = labels;
            this.pc = pc;
            this.st = st;
            this.line = line;
        }

        long parse() {
            if (s.isBlank()) {
                throw st.err(line, "missing expression");
            }
            long v = or();
            skip();
            if (i != s.length()) {
                throw st.err(line, "unexpected '" + s.substring(i) + "' in expression '" + s.strip() + "'");
            }
            return v;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean eat(String tok) {
            skip();
            if (s.startsWith(tok, i)) {
                // do not take '<' from '<<' or '<=' etc.
                if ((tok.equals("<") || tok.equals(">")) && i + 1 < s.length()
                        && (s.charAt(i + 1) == '=' || s.charAt(i + 1) == tok.charAt(0))) {
                    return false;
                }
                if ((tok.equals("&") || tok.equals("|")) && i + 1 < s.length() && s.charAt(i + 1) == tok.charAt(0)) {
                    return false;
                }
                if (tok.equals("!") && i + 1 < s.length() && s.charAt(i + 1) == '=') {
                    return false;
                }
                i += tok.length();
                return true;
            }
            return false;
        }

        private long or() {
            long v = and();
            while (eat("||")) {
                long r = and();
                v = (v != 0 || r != 0) ? 1 : 0;
            }
            return v;
        }

        private long and() {
            long v = bor();
            while (eat("&&")) {
                long r = bor();
                v = (v != 0 && r != 0) ? 1 : 0;
            }
            return v;
        }

        private long bor() {
            long v = bxor();
            while (eat("|")) {
                v |= bxor();
            }
            return v;
        }

        private long bxor() {
            long v = band();
            while (eat("^")) {
                v ^= band();
            }
            return v;
        }

        private long band() {
            long v = eq();
            while (eat("&")) {
                v &= eq();
            }
            return v;
        }

        private long eq() {
            long v = rel();
            while (true) {
                if (eat("==")) {
                    v = v == rel() ? 1 : 0;
                } else if (eat("!=")) {
                    v = v != rel() ? 1 : 0;
                } else {
                    return v;
                }
            }
        }

        private long rel() {
            long v = shift();
            while (true) {
                if (eat("<=")) {
                    v = v <= shift() ? 1 : 0;
                } else if (eat(">=")) {
                    v = v >= shift() ? 1 : 0;
                } else if (eat("<")) {
                    v = v < shift() ? 1 : 0;
                } else if (eat(">")) {
                    v = v > shift() ? 1 : 0;
                } else {
                    return v;
                }
            }
        }

        private long shift() {
            long v = add();
            while (true) {
                if (eat("<<")) {
                    v <<= add();
                } else if (eat(">>")) {
                    v >>= add();
                } else {
                    return v;
                }
            }
        }

        private long add() {
            long v = mul();
            while (true) {
                if (eat("+")) {
                    v += mul();
                } else if (eat("-")) {
                    v -= mul();
                } else {
                    return v;
                }
            }
        }

        private long mul() {
            long v = unary();
            while (true) {
                if (eat("*")) {
                    v *= unary();
                } else if (eat("/")) {
                    long d = unary();
                    if (d == 0) {
                        throw st.err(line, "division by zero in '" + s.strip() + "'");
                    }
                    v /= d;
                } else if (eat("%")) {
                    long d = unary();
                    if (d == 0) {
                        throw st.err(line, "division by zero in '" + s.strip() + "'");
                    }
                    v %= d;
                } else {
                    return v;
                }
            }
        }

        private long unary() {
            if (eat("-")) {
                return -unary();
            }
            if (eat("+")) {
                return unary();
            }
            if (eat("~")) {
                return ~unary();
            }
            if (eat("!")) {
                return unary() == 0 ? 1 : 0;
            }
            return primary();
        }

        private long primary() {
            skip();
            if (i >= s.length()) {
                throw st.err(line, "expression '" + s.strip() + "' ends too early");
            }
            char c = s.charAt(i);
            if (c == '(') {
                i++;
                long v = or();
                if (!eat(")")) {
                    throw st.err(line, "missing ')' in '" + s.strip() + "'");
                }
                return v;
            }
            if (Character.isDigit(c)) {
                int j = i;
                while (j < s.length() && Character.isLetterOrDigit(s.charAt(j))) {
                    j++;
                }
                String tok = s.substring(i, j).toLowerCase(Locale.ROOT).replace("_", "");
                i = j;
                try {
                    if (tok.startsWith("0x")) {
                        return Long.parseUnsignedLong(tok.substring(2), 16);
                    }
                    if (tok.startsWith("0b")) {
                        return Long.parseLong(tok.substring(2), 2);
                    }
                    return Long.parseLong(tok);
                } catch (NumberFormatException e) {
                    throw st.err(line, "bad number '" + tok + "'");
                }
            }
            if (c == '.' && (i + 1 >= s.length() || !Character.isLetterOrDigit(s.charAt(i + 1)))) {
                i++;
                if (pc < 0) {
                    throw st.err(line, "'.' (the current instruction) is not available here");
                }
                return pc;
            }
            if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                String name = s.substring(i, j);
                i = j;
                Long v = env.get(name);
                if (v != null) {
                    return v;
                }
                Integer l = labels.get(name);
                if (l != null && pc >= 0) {
                    return l;
                }
                throw st.err(line, "undefined symbol '" + name + "'");
            }
            throw st.err(line, "unexpected '" + c + "' in expression '" + s.strip() + "'");
        }
    }
}
