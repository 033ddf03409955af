package io.pacq.abi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generates the device ABI's Java class, SystemVerilog package and C header from the one
 * machine-readable source, {@code host-runtime/src/main/abi/pacq_abi.json}.
 *
 * <p>Run through {@code AbiGeneratedFilesTest} with {@code -Dpacq.abi.write=true} to rewrite the
 * committed outputs; without it the test fails when any output is stale.
 */
public final class AbiGenerator {
    /** Source, relative to the repository root. */
    public static final Path SOURCE = Path.of("host-runtime/src/main/abi/pacq_abi.json");

    private static final String HEADER =
            "GENERATED from host-runtime/src/main/abi/pacq_abi.json by AbiGenerator. Do not edit.";

    private final JsonNode root;

    public AbiGenerator(JsonNode root) {
        this.root = root;
    }

    public static AbiGenerator load(Path repoRoot) throws IOException {
        return new AbiGenerator(new ObjectMapper().readTree(Files.readString(repoRoot.resolve(SOURCE))));
    }

    /** Output path (relative to the repository root) to generated text. */
    public Map<Path, String> generateAll() {
        Map<Path, String> out = new LinkedHashMap<>();
        out.put(Path.of("host-runtime/src/main/java/io/pacq/abi/Abi.java"), java());
        out.put(Path.of("hw-fpga/rtl/pacq_abi_pkg.sv"), systemVerilog());
        out.put(Path.of("hw-fpga/sim/pacq_abi.h"), cHeader());
        return out;
    }

    static long num(JsonNode n) {
        if (n.isNumber()) {
            return n.asLong();
        }
        String s = n.asText().replace("_", "");
        return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
    }

    private static String hex(long v) {
        return String.format("0x%X", v);
    }

    private static int typeBytes(String t) {
        return switch (t) {
            case "u8" -> 1;
            case "u16" -> 2;
            case "u32" -> 4;
            case "u64" -> 8;
            default -> throw new IllegalArgumentException("unknown field type " + t);
        };
    }

    /** "u32", or "u32[16]" for an array field. */
    private static String typeName(JsonNode fld) {
        return fld.get("type").asText() + (fld.has("count") ? "[" + fld.get("count").asInt() + "]" : "");
    }

    private static int fieldBytes(JsonNode fld) {
        return typeBytes(fld.get("type").asText()) * (fld.has("count") ? fld.get("count").asInt() : 1);
    }

    /** Assembler mnemonic of an instruction name: LDG_128 -> ldg.128. */
    static String mnemonic(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }

    private static String upperCamel(String allCaps) {
        StringBuilder b = new StringBuilder();
        for (String part : allCaps.toLowerCase().split("_")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }

    private static String allCaps(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
    }

    // ------------------------------------------------------------------------------------ Java

    String java() {
        StringBuilder b = new StringBuilder();
        b.append("// ").append(HEADER).append("\n");
        b.append("package io.pacq.abi;\n\n");
        b.append("/**\n * ").append(root.get("doc").asText()).append("\n *\n");
        b.append(" * <p>All registers are 32 bits wide at byte offsets in the control window; all\n");
        b.append(" * device-memory structures are little-endian.\n */\n");
        b.append("public final class Abi {\n    private Abi() {}\n\n");
        JsonNode v = root.get("version");
        b.append("    /** ABI major version: the host refuses a device whose major differs. */\n");
        b.append("    public static final int VERSION_MAJOR = ").append(v.get("major").asInt()).append(";\n");
        b.append("    /** ABI minor version: additions only. */\n");
        b.append("    public static final int VERSION_MINOR = ").append(v.get("minor").asInt()).append(";\n\n");
        for (JsonNode c : root.get("constants")) {
            b.append("    /** ").append(c.get("doc").asText()).append(" */\n");
            long val = num(c.get("value"));
            b.append("    public static final int ").append(c.get("name").asText()).append(" = ")
                    .append(val > 255 ? hex(val) : Long.toString(val)).append(";\n");
        }
        b.append("\n    /** Control registers: byte offsets in the control window. */\n");
        b.append("    public static final class Reg {\n        private Reg() {}\n\n");
        for (JsonNode r : root.get("registers")) {
            b.append("        /** ").append(r.get("doc").asText()).append(" (").append(r.get("access").asText())
                    .append(") */\n");
            b.append("        public static final int ").append(r.get("name").asText()).append(" = ")
                    .append(String.format("0x%03X", num(r.get("offset")))).append(";\n");
        }
        b.append("\n        /** Name of the register at a byte offset, or null. */\n");
        b.append("        public static String name(int offset) {\n            return switch (offset) {\n");
        for (JsonNode r : root.get("registers")) {
            b.append("                case ").append(r.get("name").asText()).append(" -> \"")
                    .append(r.get("name").asText()).append("\";\n");
        }
        b.append("                default -> null;\n            };\n        }\n    }\n");
        for (JsonNode r : root.get("registers")) {
            if (!r.has("fields")) {
                continue;
            }
            b.append("\n    /** Fields of register ").append(r.get("name").asText()).append(". */\n");
            String cls = upperCamel(r.get("name").asText()) + "Bits";
            b.append("    public static final class ").append(cls).append(" {\n        private ").append(cls)
                    .append("() {}\n\n");
            for (JsonNode f : r.get("fields")) {
                String n = f.get("name").asText();
                int lsb = f.get("lsb").asInt();
                int w = f.get("width").asInt();
                b.append("        /** ").append(f.get("doc").asText()).append(" */\n");
                if (w == 1) {
                    b.append("        public static final int ").append(n).append(" = 1 << ").append(lsb).append(";\n");
                } else {
                    b.append("        public static final int ").append(n).append("_LSB = ").append(lsb).append(";\n");
                    b.append("        public static final int ").append(n).append("_MASK = ")
                            .append(hex((1L << w) - 1)).append(";\n");
                }
            }
            b.append("    }\n");
        }
        for (JsonNode e : root.get("enums")) {
            String name = e.get("name").asText();
            b.append("\n    /** ").append(e.get("doc").asText()).append(" */\n");
            b.append("    public static final class ").append(name).append(" {\n        private ").append(name)
                    .append("() {}\n\n");
            for (JsonNode val : e.get("values")) {
                b.append("        /** ").append(val.get("doc").asText()).append(" */\n");
                b.append("        public static final int ").append(val.get("name").asText()).append(" = ")
                        .append(val.get("value").asInt()).append(";\n");
            }
            b.append("\n        /** Name of a value, or \"UNKNOWN(v)\". */\n");
            b.append("        public static String name(int value) {\n            return switch (value) {\n");
            for (JsonNode val : e.get("values")) {
                b.append("                case ").append(val.get("name").asText()).append(" -> \"")
                        .append(val.get("name").asText()).append("\";\n");
            }
            b.append("                default -> \"UNKNOWN(\" + value + \")\";\n            };\n        }\n    }\n");
        }
        for (JsonNode f : root.get("flags")) {
            String name = f.get("name").asText();
            b.append("\n    /** ").append(f.get("doc").asText()).append(" */\n");
            b.append("    public static final class ").append(name).append(" {\n        private ").append(name)
                    .append("() {}\n\n");
            for (JsonNode val : f.get("values")) {
                b.append("        /** ").append(val.get("doc").asText()).append(" */\n");
                b.append("        public static final int ").append(val.get("name").asText()).append(" = 1 << ")
                        .append(val.get("lsb").asInt()).append(";\n");
            }
            b.append("    }\n");
        }
        for (JsonNode s : root.get("structs")) {
            String name = s.get("name").asText();
            b.append("\n    /** ").append(s.get("doc").asText()).append(" Field constants are byte offsets. */\n");
            b.append("    public static final class ").append(name).append(" {\n        private ").append(name)
                    .append("() {}\n\n");
            b.append("        /** Size in bytes. */\n");
            b.append("        public static final int BYTES = ").append(s.get("bytes").asInt()).append(";\n");
            for (JsonNode fld : s.get("fields")) {
                b.append("        /** ").append(typeName(fld)).append(": ").append(fld.get("doc").asText())
                        .append(" */\n");
                b.append("        public static final int ").append(fld.get("name").asText()).append(" = ")
                        .append(String.format("0x%02X", num(fld.get("offset")))).append(";\n");
            }
            b.append("    }\n");
        }
        javaIsa(b);
        b.append("\n    /** Device-memory layouts of the GEMM operands. */\n");
        b.append("    public static final class Layout {\n        private Layout() {}\n\n");
        for (JsonNode l : root.get("layouts")) {
            b.append("        /** ").append(l.get("doc").asText()).append(" */\n");
            b.append("        public static final String ").append(l.get("name").asText()).append(" = \"")
                    .append(l.get("doc").asText().replace("\"", "\\\"")).append("\";\n");
        }
        b.append("    }\n}\n");
        return b.toString();
    }

    private void javaIsa(StringBuilder b) {
        JsonNode isa = root.get("isa");
        b.append("\n    /**\n     * ").append(isa.get("doc").asText()).append("\n     *\n");
        b.append("     * <p>Field constants are bit positions and widths in the 64-bit instruction word; opcode\n");
        b.append("     * constants carry each instruction's format, unit, operands and semantics in their Javadoc.\n     */\n");
        b.append("    public static final class Isa {\n        private Isa() {}\n\n");
        for (JsonNode f : isa.get("fields")) {
            b.append("        /** ").append(f.get("doc").asText()).append(" */\n");
            b.append("        public static final int ").append(f.get("name").asText()).append("_LSB = ")
                    .append(f.get("lsb").asInt()).append(";\n");
            b.append("        /** Width of ").append(f.get("name").asText()).append(". */\n");
            b.append("        public static final int ").append(f.get("name").asText()).append("_WIDTH = ")
                    .append(f.get("width").asInt()).append(";\n");
        }
        b.append("\n");
        for (JsonNode in : isa.get("instructions")) {
            b.append("        /** {@code ").append(mnemonic(in.get("name").asText())).append("} (format ")
                    .append(in.get("format").asText()).append(", unit ").append(in.get("unit").asText())
                    .append("; reads ").append(in.get("reads").asText().isEmpty() ? "-" : in.get("reads").asText())
                    .append("; writes ").append(in.get("writes").asText().isEmpty() ? "-" : in.get("writes").asText())
                    .append("): ").append(in.get("doc").asText()).append(" */\n");
            b.append("        public static final int ").append(in.get("name").asText()).append(" = ")
                    .append(String.format("0x%02X", num(in.get("opcode")))).append(";\n");
        }
        b.append("\n        /** Assembler mnemonic of an opcode (e.g. \"ldg.128\"), or null when undefined. */\n");
        b.append("        public static String mnemonic(int opcode) {\n            return switch (opcode) {\n");
        for (JsonNode in : isa.get("instructions")) {
            b.append("                case ").append(in.get("name").asText()).append(" -> \"")
                    .append(mnemonic(in.get("name").asText())).append("\";\n");
        }
        b.append("                default -> null;\n            };\n        }\n");
        b.append("\n        /** Format (a Format value) of an opcode, or -1 when undefined. */\n");
        b.append("        public static int format(int opcode) {\n            return switch (opcode) {\n");
        for (JsonNode in : isa.get("instructions")) {
            b.append("                case ").append(in.get("name").asText()).append(" -> Format.")
                    .append(in.get("format").asText()).append(";\n");
        }
        b.append("                default -> -1;\n            };\n        }\n");
        b.append("\n        /** Functional unit (a Unit value) of an opcode, or -1 when undefined. */\n");
        b.append("        public static int unit(int opcode) {\n            return switch (opcode) {\n");
        for (JsonNode in : isa.get("instructions")) {
            b.append("                case ").append(in.get("name").asText()).append(" -> Unit.")
                    .append(in.get("unit").asText()).append(";\n");
        }
        b.append("                default -> -1;\n            };\n        }\n    }\n");
    }

    // --------------------------------------------------------------------------- SystemVerilog

    String systemVerilog() {
        StringBuilder b = new StringBuilder();
        b.append("// ").append(HEADER).append("\n//\n// ").append(root.get("doc").asText()).append("\n\n");
        b.append("package pacq_abi_pkg;\n\n");
        JsonNode v = root.get("version");
        b.append("  localparam int unsigned AbiVersionMajor = ").append(v.get("major").asInt()).append(";\n");
        b.append("  localparam int unsigned AbiVersionMinor = ").append(v.get("minor").asInt()).append(";\n\n");
        for (JsonNode c : root.get("constants")) {
            b.append("  // ").append(c.get("doc").asText()).append("\n");
            b.append("  localparam int unsigned ").append(upperCamel(c.get("name").asText())).append(" = 32'h")
                    .append(Long.toHexString(num(c.get("value"))).toUpperCase()).append(";\n");
        }
        b.append("\n  // Control registers: byte offsets in the control window.\n");
        for (JsonNode r : root.get("registers")) {
            b.append("  localparam logic [11:0] Reg").append(upperCamel(r.get("name").asText())).append(" = 12'h")
                    .append(String.format("%03X", num(r.get("offset")))).append(";  // ")
                    .append(r.get("access").asText()).append("\n");
        }
        for (JsonNode r : root.get("registers")) {
            if (!r.has("fields")) {
                continue;
            }
            b.append("\n  // Fields of ").append(r.get("name").asText()).append(" (bit positions and widths)\n");
            for (JsonNode f : r.get("fields")) {
                String n = upperCamel(r.get("name").asText()) + upperCamel(f.get("name").asText());
                b.append("  localparam int unsigned ").append(n).append("Lsb = ").append(f.get("lsb").asInt())
                        .append(";\n");
                b.append("  localparam int unsigned ").append(n).append("Width = ").append(f.get("width").asInt())
                        .append(";\n");
            }
        }
        for (JsonNode e : root.get("enums")) {
            b.append("\n  // ").append(e.get("doc").asText()).append("\n");
            for (JsonNode val : e.get("values")) {
                b.append("  localparam logic [7:0] ").append(e.get("name").asText())
                        .append(upperCamel(val.get("name").asText())).append(" = 8'd").append(val.get("value").asInt())
                        .append(";\n");
            }
        }
        for (JsonNode f : root.get("flags")) {
            b.append("\n  // ").append(f.get("doc").asText()).append(" (bit positions)\n");
            for (JsonNode val : f.get("values")) {
                b.append("  localparam int unsigned ").append(f.get("name").asText())
                        .append(upperCamel(val.get("name").asText())).append("Bit = ").append(val.get("lsb").asInt())
                        .append(";\n");
            }
        }
        for (JsonNode s : root.get("structs")) {
            String name = s.get("name").asText();
            b.append("\n  // ").append(s.get("doc").asText()).append("\n");
            b.append("  localparam int unsigned ").append(name).append("Bytes = ").append(s.get("bytes").asInt())
                    .append(";\n");
            for (JsonNode fld : s.get("fields")) {
                String n = name + upperCamel(fld.get("name").asText());
                b.append("  localparam int unsigned ").append(n).append("Offset = ")
                        .append(num(fld.get("offset"))).append(";  // ").append(fld.get("type").asText())
                        .append("\n");
                b.append("  localparam int unsigned ").append(n).append("Bytes = ")
                        .append(fieldBytes(fld)).append(";\n");
            }
        }
        JsonNode isa = root.get("isa");
        b.append("\n  // ").append(isa.get("doc").asText()).append("\n");
        b.append("  // Instruction fields: bit position (Lsb) and width in the 64-bit instruction word.\n");
        for (JsonNode f : isa.get("fields")) {
            String n = "Isa" + upperCamel(f.get("name").asText());
            b.append("  localparam int unsigned ").append(n).append("Lsb = ").append(f.get("lsb").asInt())
                    .append(";  // ").append(f.get("doc").asText()).append("\n");
            b.append("  localparam int unsigned ").append(n).append("Width = ").append(f.get("width").asInt())
                    .append(";\n");
        }
        b.append("\n  // Opcodes.\n");
        for (JsonNode in : isa.get("instructions")) {
            b.append("  localparam logic [7:0] Op").append(upperCamel(in.get("name").asText())).append(" = 8'h")
                    .append(String.format("%02X", num(in.get("opcode")))).append(";  // ")
                    .append(mnemonic(in.get("name").asText())).append("\n");
        }
        b.append("\n  // 1 for a defined opcode.\n");
        b.append("  function automatic logic isa_valid(input logic [7:0] op);\n    case (op)\n");
        for (JsonNode in : isa.get("instructions")) {
            b.append("      Op").append(upperCamel(in.get("name").asText())).append(": return 1'b1;\n");
        }
        b.append("      default: return 1'b0;\n    endcase\n  endfunction\n");
        b.append("\n  // Format (Format* value) of an opcode; 8'hFF when undefined.\n");
        b.append("  function automatic logic [7:0] isa_format(input logic [7:0] op);\n    case (op)\n");
        for (JsonNode in : isa.get("instructions")) {
            b.append("      Op").append(upperCamel(in.get("name").asText())).append(": return Format")
                    .append(upperCamel(in.get("format").asText())).append(";\n");
        }
        b.append("      default: return 8'hFF;\n    endcase\n  endfunction\n");
        b.append("\n  // Functional unit (Unit* value) of an opcode; 8'hFF when undefined.\n");
        b.append("  function automatic logic [7:0] isa_unit(input logic [7:0] op);\n    case (op)\n");
        for (JsonNode in : isa.get("instructions")) {
            b.append("      Op").append(upperCamel(in.get("name").asText())).append(": return Unit")
                    .append(upperCamel(in.get("unit").asText())).append(";\n");
        }
        b.append("      default: return 8'hFF;\n    endcase\n  endfunction\n");
        b.append("\nendpackage\n");
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------- C

    String cHeader() {
        StringBuilder b = new StringBuilder();
        b.append("/* ").append(HEADER).append(" */\n");
        b.append("#ifndef PACQ_ABI_H\n#define PACQ_ABI_H\n\n");
        JsonNode v = root.get("version");
        b.append("#define PACQ_ABI_VERSION_MAJOR ").append(v.get("major").asInt()).append("u\n");
        b.append("#define PACQ_ABI_VERSION_MINOR ").append(v.get("minor").asInt()).append("u\n\n");
        for (JsonNode c : root.get("constants")) {
            b.append("/* ").append(c.get("doc").asText()).append(" */\n");
            b.append("#define PACQ_").append(c.get("name").asText()).append(" ").append(hex(num(c.get("value"))))
                    .append("u\n");
        }
        b.append("\n");
        for (JsonNode r : root.get("registers")) {
            b.append("#define PACQ_REG_").append(r.get("name").asText()).append(" ")
                    .append(String.format("0x%03Xu", num(r.get("offset")))).append("\n");
        }
        for (JsonNode e : root.get("enums")) {
            b.append("\n");
            for (JsonNode val : e.get("values")) {
                b.append("#define PACQ_").append(allCaps(e.get("name").asText())).append("_")
                        .append(val.get("name").asText()).append(" ").append(val.get("value").asInt()).append("u\n");
            }
        }
        for (JsonNode s : root.get("structs")) {
            String name = s.get("name").asText().toUpperCase();
            b.append("\n#define PACQ_").append(name).append("_BYTES ").append(s.get("bytes").asInt()).append("u\n");
            for (JsonNode fld : s.get("fields")) {
                b.append("#define PACQ_").append(name).append("_").append(fld.get("name").asText()).append(" ")
                        .append(String.format("0x%02Xu", num(fld.get("offset")))).append("\n");
            }
        }
        JsonNode isa = root.get("isa");
        b.append("\n/* SIMT instruction fields: bit position and width in the 64-bit instruction word. */\n");
        for (JsonNode f : isa.get("fields")) {
            b.append("#define PACQ_ISA_").append(f.get("name").asText()).append("_LSB ").append(f.get("lsb").asInt())
                    .append("u\n");
            b.append("#define PACQ_ISA_").append(f.get("name").asText()).append("_WIDTH ")
                    .append(f.get("width").asInt()).append("u\n");
        }
        b.append("\n/* SIMT opcodes. */\n");
        for (JsonNode in : isa.get("instructions")) {
            b.append("#define PACQ_OP_").append(in.get("name").asText()).append(" ")
                    .append(String.format("0x%02Xu", num(in.get("opcode")))).append("  /* ")
                    .append(mnemonic(in.get("name").asText())).append(" */\n");
        }
        b.append("\n#endif /* PACQ_ABI_H */\n");
        return b.toString();
    }
}
