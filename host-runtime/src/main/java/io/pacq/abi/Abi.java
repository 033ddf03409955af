// GENERATED from host-runtime/src/main/abi/pacq_abi.json by AbiGenerator. Do not edit.
package io.pacq.abi;

/**
 * PacQ device ABI: the one source of every constant shared by the RTL, the emulator and the host. Generated into host-runtime/src/main/java/io/pacq/abi/Abi.java, hw-fpga/rtl/pacq_abi_pkg.sv and hw-fpga/sim/pacq_abi.h by AbiGenerator; AbiGeneratedFilesTest fails when they are stale.
 *
 * <p>All registers are 32 bits wide at byte offsets in the control window; all
 * device-memory structures are little-endian.
 */
public final class Abi {
    private Abi() {}

    /** ABI major version: the host refuses a device whose major differs. */
    public static final int VERSION_MAJOR = 1;
    /** ABI minor version: additions only. */
    public static final int VERSION_MINOR = 0;

    /** Value of register ID: the bytes 'PACQ' read as a little-endian u32. */
    public static final int MAGIC = 0x51434150;
    /** Size of the control-register window (AXI4-Lite, 32-bit registers). */
    public static final int REG_WINDOW_BYTES = 0x1000;
    /** Every operand address in a descriptor is a multiple of this many bytes (one AXI burst beat group). */
    public static final int MEM_ALIGN = 64;
    /** Width of a packed weight word: 4 x INT4, 8 x INT2 or 2 x INT8 codes along N. */
    public static final int WORD_BITS = 16;
    /** Packed words per strip row (32 bytes): a strip is 16 words wide, i.e. 64 INT4, 128 INT2 or 32 INT8 columns. */
    public static final int STRIP_WORDS = 16;
    /** Largest group_cols (a power of two; it must divide the narrowest strip, 32 INT8 columns). */
    public static final int MAX_GROUP_COLS = 32;
    /** group_size must be a multiple of this (the k-step of the matrix units). */
    public static final int GROUP_K_MULTIPLE = 16;
    /** Largest M, N or K a descriptor may name. */
    public static final int MAX_DIM = 0x100000;

    /** Control registers: byte offsets in the control window. */
    public static final class Reg {
        private Reg() {}

        /** Reads MAGIC. (ro) */
        public static final int ID = 0x000;
        /** ABI version implemented by the device. (ro) */
        public static final int ABI_VERSION = 0x004;
        /** Control. (rw) */
        public static final int CTRL = 0x008;
        /** Status. (ro) */
        public static final int STATUS = 0x00C;
        /** Device address of the command ring, bits 31:0 (MEM_ALIGN aligned). Written while CTRL.ENABLE is clear. (rw) */
        public static final int RING_BASE_LO = 0x010;
        /** Device address of the command ring, bits 63:32. (rw) */
        public static final int RING_BASE_HI = 0x014;
        /** Number of descriptor slots in the ring, a power of two not above CAP_MAX_RING. (rw) */
        public static final int RING_ENTRIES = 0x018;
        /** Device address of the completion array (RING_ENTRIES records; slot i completes descriptor slot i), bits 31:0. (rw) */
        public static final int CPL_BASE_LO = 0x01C;
        /** Device address of the completion array, bits 63:32. (rw) */
        public static final int CPL_BASE_HI = 0x020;
        /** Doorbell. The host's count of submitted commands (wraps at 2^32); descriptor number c lives in slot c mod RING_ENTRIES. Writing it lets the device fetch up to it. (rw) */
        public static final int SQ_TAIL = 0x024;
        /** The device's count of fetched commands; a slot below it may be reused once its completion is read. (ro) */
        public static final int SQ_HEAD = 0x028;
        /** The device's count of completed commands. Completions are written in submission order, the record before the count. (ro) */
        public static final int CPL_COUNT = 0x02C;
        /** Interrupt causes; write 1 to clear. (w1c) */
        public static final int IRQ_STATUS = 0x030;
        /** Status code of the first failed command since reset (a Status value). (ro) */
        public static final int ERR_CODE = 0x034;
        /** Detail of the first failure: the faulting address bits 31:0, or the program counter. (ro) */
        public static final int ERR_INFO = 0x038;
        /** Free register for link tests; reset value 0. (rw) */
        public static final int SCRATCH = 0x03C;
        /** Cycles spent executing commands since reset, bits 31:0 (reading LO latches HI). (ro) */
        public static final int CYCLES_LO = 0x040;
        /** Bits 63:32 of the cycle count latched by the last CYCLES_LO read. (ro) */
        public static final int CYCLES_HI = 0x044;
        /** Capability: SIMT cores. (ro) */
        public static final int CAP_CORES = 0x080;
        /** Capability: warps per core. (ro) */
        public static final int CAP_WARPS = 0x084;
        /** Capability: threads per warp. (ro) */
        public static final int CAP_LANES = 0x088;
        /** Capability: bit b is set when b-bit weights are supported (b in 2, 4, 8). (ro) */
        public static final int CAP_BITS = 0x08C;
        /** Capability: bit m is set when GEMM mode m is supported (Mode enum). (ro) */
        public static final int CAP_MODES = 0x090;
        /** Capability: bit o is set when command opcode o is supported (Opcode enum). (ro) */
        public static final int CAP_OPCODES = 0x094;
        /** Capability: device memory size in bytes, bits 31:0. Device memory spans [0, size). (ro) */
        public static final int CAP_MEM_LO = 0x098;
        /** Capability: device memory size in bytes, bits 63:32. (ro) */
        public static final int CAP_MEM_HI = 0x09C;
        /** Capability: largest RING_ENTRIES. (ro) */
        public static final int CAP_MAX_RING = 0x0A0;
        /** Capability: core clock in kHz (0: not a clocked model). (ro) */
        public static final int CAP_CLOCK_KHZ = 0x0A4;
        /** Capability: shared memory per core in bytes. (ro) */
        public static final int CAP_SMEM_BYTES = 0x0A8;
        /** Capability: matrix units per core. (ro) */
        public static final int CAP_MMA_UNITS = 0x0AC;
        /** Capability: what implements the device (Model enum). (ro) */
        public static final int CAP_MODEL = 0x0B0;

        /** Name of the register at a byte offset, or null. */
        public static String name(int offset) {
            return switch (offset) {
                case ID -> "ID";
                case ABI_VERSION -> "ABI_VERSION";
                case CTRL -> "CTRL";
                case STATUS -> "STATUS";
                case RING_BASE_LO -> "RING_BASE_LO";
                case RING_BASE_HI -> "RING_BASE_HI";
                case RING_ENTRIES -> "RING_ENTRIES";
                case CPL_BASE_LO -> "CPL_BASE_LO";
                case CPL_BASE_HI -> "CPL_BASE_HI";
                case SQ_TAIL -> "SQ_TAIL";
                case SQ_HEAD -> "SQ_HEAD";
                case CPL_COUNT -> "CPL_COUNT";
                case IRQ_STATUS -> "IRQ_STATUS";
                case ERR_CODE -> "ERR_CODE";
                case ERR_INFO -> "ERR_INFO";
                case SCRATCH -> "SCRATCH";
                case CYCLES_LO -> "CYCLES_LO";
                case CYCLES_HI -> "CYCLES_HI";
                case CAP_CORES -> "CAP_CORES";
                case CAP_WARPS -> "CAP_WARPS";
                case CAP_LANES -> "CAP_LANES";
                case CAP_BITS -> "CAP_BITS";
                case CAP_MODES -> "CAP_MODES";
                case CAP_OPCODES -> "CAP_OPCODES";
                case CAP_MEM_LO -> "CAP_MEM_LO";
                case CAP_MEM_HI -> "CAP_MEM_HI";
                case CAP_MAX_RING -> "CAP_MAX_RING";
                case CAP_CLOCK_KHZ -> "CAP_CLOCK_KHZ";
                case CAP_SMEM_BYTES -> "CAP_SMEM_BYTES";
                case CAP_MMA_UNITS -> "CAP_MMA_UNITS";
                case CAP_MODEL -> "CAP_MODEL";
                default -> null;
            };
        }
    }

    /** Fields of register ABI_VERSION. */
    public static final class AbiVersionBits {
        private AbiVersionBits() {}

        /** Minor version: additions only. */
        public static final int MINOR_LSB = 0;
        public static final int MINOR_MASK = 0xFFFF;
        /** Major version: the host refuses a device whose major differs. */
        public static final int MAJOR_LSB = 16;
        public static final int MAJOR_MASK = 0xFFFF;
    }

    /** Fields of register CTRL. */
    public static final class CtrlBits {
        private CtrlBits() {}

        /** Command processor fetches commands while set. */
        public static final int ENABLE = 1 << 0;
        /** Raise the user interrupt when IRQ_STATUS has a bit set. */
        public static final int IRQ_EN = 1 << 1;
        /** Write 1: abort every command, clear ring pointers, counters and errors; reads 0 once the reset is done. */
        public static final int SOFT_RESET = 1 << 31;
    }

    /** Fields of register STATUS. */
    public static final class StatusBits {
        private StatusBits() {}

        /** A command is executing. */
        public static final int BUSY = 1 << 0;
        /** A command failed since the last reset (details in ERR_CODE, ERR_INFO). */
        public static final int ERROR = 1 << 1;
    }

    /** Fields of register IRQ_STATUS. */
    public static final class IrqStatusBits {
        private IrqStatusBits() {}

        /** A completion record was written. */
        public static final int CPL = 1 << 0;
        /** A command ended with a non-OK status. */
        public static final int ERR = 1 << 1;
    }

    /** Command descriptor opcodes. */
    public static final class Opcode {
        private Opcode() {}

        /** Completes at once; used to fence and to test the ring. */
        public static final int NOP = 0;
        /** C = A x W (numerics contract), fields below. */
        public static final int GEMM = 1;
        /** Run a kernel program (defined with the ISA). */
        public static final int LAUNCH = 2;

        /** Name of a value, or "UNKNOWN(v)". */
        public static String name(int value) {
            return switch (value) {
                case NOP -> "NOP";
                case GEMM -> "GEMM";
                case LAUNCH -> "LAUNCH";
                default -> "UNKNOWN(" + value + ")";
            };
        }
    }

    /** GEMM modes (numerics contract). */
    public static final class Mode {
        private Mode() {}

        /** Hyper-asymmetric GEMM: exact FP16 x INT products, FP32 per-group partial sums, one scale multiply per group. */
        public static final int PACQ = 0;
        /** Conventional baseline: weights dequantized to FP16, FP16 x FP16 products accumulated in FP32. */
        public static final int DEQUANT = 1;
        /** PACQ numerics from the K-packed weight layout (the paper's P(B)k baseline dataflow). */
        public static final int KPACKED = 2;

        /** Name of a value, or "UNKNOWN(v)". */
        public static String name(int value) {
            return switch (value) {
                case PACQ -> "PACQ";
                case DEQUANT -> "DEQUANT";
                case KPACKED -> "KPACKED";
                default -> "UNKNOWN(" + value + ")";
            };
        }
    }

    /** Completion status codes (also ERR_CODE). */
    public static final class Status {
        private Status() {}

        /** Success. */
        public static final int OK = 0;
        /** Unknown or unsupported opcode. */
        public static final int BAD_OPCODE = 1;
        /** A field is out of range: bits, mode, shape, group size, alignment. */
        public static final int BAD_DESCRIPTOR = 2;
        /** An operand lies outside device memory (ERR_INFO: the address). */
        public static final int ADDRESS_FAULT = 3;
        /** A kernel executed an undefined instruction (ERR_INFO: pc). */
        public static final int ILLEGAL_INSTRUCTION = 4;
        /** Threads of a warp took different branches where the ISA forbids it (ERR_INFO: pc). */
        public static final int DIVERGENCE = 5;
        /** A kernel ran past its cycle budget. */
        public static final int WATCHDOG = 6;
        /** The command was aborted by a soft reset. */
        public static final int ABORTED = 7;
        /** The device model failed; a bug. */
        public static final int INTERNAL = 8;

        /** Name of a value, or "UNKNOWN(v)". */
        public static String name(int value) {
            return switch (value) {
                case OK -> "OK";
                case BAD_OPCODE -> "BAD_OPCODE";
                case BAD_DESCRIPTOR -> "BAD_DESCRIPTOR";
                case ADDRESS_FAULT -> "ADDRESS_FAULT";
                case ILLEGAL_INSTRUCTION -> "ILLEGAL_INSTRUCTION";
                case DIVERGENCE -> "DIVERGENCE";
                case WATCHDOG -> "WATCHDOG";
                case ABORTED -> "ABORTED";
                case INTERNAL -> "INTERNAL";
                default -> "UNKNOWN(" + value + ")";
            };
        }
    }

    /** What implements the device (CAP_MODEL). */
    public static final class Model {
        private Model() {}

        /** Java emulator, functional engine. */
        public static final int EMU_FUNCTIONAL = 1;
        /** Java emulator, cycle-level SIMT model. */
        public static final int EMU_CYCLE = 2;
        /** Verilated RTL. */
        public static final int RTL_SIM = 3;
        /** FPGA board. */
        public static final int FPGA = 4;

        /** Name of a value, or "UNKNOWN(v)". */
        public static String name(int value) {
            return switch (value) {
                case EMU_FUNCTIONAL -> "EMU_FUNCTIONAL";
                case EMU_CYCLE -> "EMU_CYCLE";
                case RTL_SIM -> "RTL_SIM";
                case FPGA -> "FPGA";
                default -> "UNKNOWN(" + value + ")";
            };
        }
    }

    /** Desc.FLAGS bits. */
    public static final class DescFlags {
        private DescFlags() {}

        /** Write C as FP32 (acc) instead of FP16 (RN16(acc)). */
        public static final int OUT_F32 = 1 << 0;
        /** No zero-point array: z = 2^(bits-1) everywhere. */
        public static final int SYMMETRIC = 1 << 1;
        /** Raise IRQ_STATUS.CPL when this command completes. */
        public static final int IRQ = 1 << 2;
    }

    /** Command descriptor, little-endian, in the ring at RING_BASE + slot * DESC_BYTES. Bytes not named are zero. Field constants are byte offsets. */
    public static final class Desc {
        private Desc() {}

        /** Size in bytes. */
        public static final int BYTES = 128;
        /** u8: Opcode. */
        public static final int OPCODE = 0x00;
        /** u8: GEMM: Mode. */
        public static final int MODE = 0x01;
        /** u8: GEMM: weight code width, 2, 4 or 8. */
        public static final int BITS = 0x02;
        /** u8: DescFlags bits. */
        public static final int FLAGS = 0x03;
        /** u32: Host sequence number, echoed in the completion record. */
        public static final int SEQ = 0x04;
        /** u32: GEMM: rows of A and C (>= 1). */
        public static final int M = 0x08;
        /** u32: GEMM: columns of W and C (>= 1). */
        public static final int N = 0x0C;
        /** u32: GEMM: columns of A, rows of W; a multiple of GROUP_SIZE. */
        public static final int K = 0x10;
        /** u32: GEMM: rows of W per quantization group, a multiple of GROUP_K_MULTIPLE. */
        public static final int GROUP_SIZE = 0x14;
        /** u32: GEMM: columns per group, a power of two <= MAX_GROUP_COLS. */
        public static final int GROUP_COLS = 0x18;
        /** u64: GEMM: activations, FP16 [M][K] row-major. */
        public static final int ADDR_A = 0x20;
        /** u64: GEMM: packed weights (N-packed strips; K-packed for KPACKED). */
        public static final int ADDR_W = 0x28;
        /** u64: GEMM: scales, FP16, strip-major (see Layout). */
        public static final int ADDR_SCALES = 0x30;
        /** u64: GEMM: zero points, U8, strip-major; ignored with FLAGS.SYMMETRIC. */
        public static final int ADDR_ZEROS = 0x38;
        /** u64: GEMM: output [M][N] row-major, FP16 or FP32 (FLAGS.OUT_F32). */
        public static final int ADDR_C = 0x40;
    }

    /** Completion record, little-endian, at CPL_BASE + slot * CPL_BYTES. Counters count the work of this command only. Field constants are byte offsets. */
    public static final class Cpl {
        private Cpl() {}

        /** Size in bytes. */
        public static final int BYTES = 128;
        /** u32: SEQ of the completed descriptor. */
        public static final int SEQ = 0x00;
        /** u32: Status. */
        public static final int STATUS = 0x04;
        /** u64: Device cycles from fetch to completion (0 for the functional emulator). */
        public static final int CYCLES = 0x08;
        /** u64: Warp instructions issued. */
        public static final int INSTRUCTIONS = 0x10;
        /** u64: Register-file reads (32-bit words). */
        public static final int RF_READS = 0x18;
        /** u64: Register-file writes (32-bit words). */
        public static final int RF_WRITES = 0x20;
        /** u64: Shared-memory bytes read and written. */
        public static final int SMEM_BYTES = 0x28;
        /** u64: Device-memory bytes read. */
        public static final int DMEM_READ_BYTES = 0x30;
        /** u64: Device-memory bytes written. */
        public static final int DMEM_WRITE_BYTES = 0x38;
        /** u64: Multiplier operations: FP16 x INT products (PACQ), FP16 x FP16 products (DEQUANT) and FP32 multiplies. */
        public static final int MUL_OPS = 0x40;
        /** u64: FP32 additions (accumulations, including those inside fused multiply-adds). */
        public static final int ADD_OPS = 0x48;
        /** u64: Issue-slot cycles lost waiting for memory. */
        public static final int STALL_MEM = 0x50;
        /** u64: Issue-slot cycles lost to register dependences. */
        public static final int STALL_DEP = 0x58;
        /** u64: Issue-slot cycles lost to a busy functional or matrix unit. */
        public static final int STALL_UNIT = 0x60;
        /** u64: Issue-slot cycles lost waiting at barriers. */
        public static final int STALL_BARRIER = 0x68;
        /** u64: With a failure status: the faulting address or program counter. */
        public static final int ERR_INFO = 0x70;
    }

    /** Device-memory layouts of the GEMM operands. */
    public static final class Layout {
        private Layout() {}

        /** Activations: FP16, [M][K] row-major, element (m, k) at ADDR_A + 2*(m*K + k). */
        public static final String A = "Activations: FP16, [M][K] row-major, element (m, k) at ADDR_A + 2*(m*K + k).";
        /** Output: [M][N] row-major, element (m, n) at ADDR_C + e*(m*N + n), e = 2 (FP16) or 4 (FP32). */
        public static final String C = "Output: [M][N] row-major, element (m, n) at ADDR_C + e*(m*N + n), e = 2 (FP16) or 4 (FP32).";
        /** PacQ weights (PACQ, DEQUANT). Columns are cut into strips of S = STRIP_WORDS*16/bits columns (N padded to a whole strip, padding codes 0). Strip s is K rows of STRIP_WORDS u16 words, rows consecutive; word w of row k of strip s holds the codes of columns s*S + w*(16/bits) + j, j = 0 .. 16/bits-1, code j in bits [j*bits, j*bits+bits). Word address: ADDR_W + 2*((s*K + k)*STRIP_WORDS + w). */
        public static final String W_NPACKED = "PacQ weights (PACQ, DEQUANT). Columns are cut into strips of S = STRIP_WORDS*16/bits columns (N padded to a whole strip, padding codes 0). Strip s is K rows of STRIP_WORDS u16 words, rows consecutive; word w of row k of strip s holds the codes of columns s*S + w*(16/bits) + j, j = 0 .. 16/bits-1, code j in bits [j*bits, j*bits+bits). Word address: ADDR_W + 2*((s*K + k)*STRIP_WORDS + w).";
        /** K-packed weights (KPACKED, GPTQ-like): u16 words [K*bits/16][Np] row-major, Np = N padded to a whole strip; word (r, n) holds the codes of rows r*(16/bits) + j of column n, code j in bits [j*bits, j*bits+bits). */
        public static final String W_KPACKED = "K-packed weights (KPACKED, GPTQ-like): u16 words [K*bits/16][Np] row-major, Np = N padded to a whole strip; word (r, n) holds the codes of rows r*(16/bits) + j of column n, code j in bits [j*bits, j*bits+bits).";
        /** Scales: FP16, strip-major [N/S strips][K/group_size][S/group_cols]: the scale of group (G, column n) at ADDR_SCALES + 2*(((n/S)*(K/group_size) + G)*(S/group_cols) + (n%S)/group_cols). Padding scales are 0. */
        public static final String SCALES = "Scales: FP16, strip-major [N/S strips][K/group_size][S/group_cols]: the scale of group (G, column n) at ADDR_SCALES + 2*(((n/S)*(K/group_size) + G)*(S/group_cols) + (n%S)/group_cols). Padding scales are 0.";
        /** Zero points: U8, the same arrangement as SCALES with 1-byte elements. Padding zeros are 0. */
        public static final String ZEROS = "Zero points: U8, the same arrangement as SCALES with 1-byte elements. Padding zeros are 0.";
    }
}
