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
    /** SIMT machine (docs/simt.md): threads (lanes) per warp. Fixed by the ISA: matrix fragments are laid out over 32 lanes. */
    public static final int SIMT_LANES = 32;
    /** 32-bit registers per lane, r0 .. r127; r0 reads as zero and ignores writes. */
    public static final int SIMT_REGS = 128;
    /** Largest number of warps per core. */
    public static final int SIMT_MAX_WARPS = 16;
    /** Largest number of cores. */
    public static final int SIMT_MAX_CORES = 64;
    /** Kernel argument words (special registers ARG0 .. ARG15, descriptor field LAUNCH_ARGS). */
    public static final int KERNEL_ARGS = 16;
    /** Program addresses 0 .. PROG_ROM_WORDS-1 hold the built-in kernel ROM (64-bit instruction words). */
    public static final int PROG_ROM_WORDS = 0x2000;
    /** Program address at which a LAUNCH command loads its program. */
    public static final int PROG_RAM_BASE = 0x2000;
    /** Instruction words of program RAM (largest LAUNCH program). */
    public static final int PROG_RAM_WORDS = 0x1000;
    /** Device-memory transaction: a warp global access moves one transaction per distinct aligned 64-byte block its active lanes touch. */
    public static final int DMEM_TX_BYTES = 64;
    /** Multipliers per matrix unit: FP16 x FP16 multipliers that are also PacQ parallel FP16 x packed-word multipliers. */
    public static final int MMA_MULTIPLIERS = 64;
    /** FP32 accumulation adders per matrix unit (4 per multiplier). */
    public static final int MMA_ADDERS = 0x100;
    /** Cycles from issue of an integer/control/S2R instruction until a dependent instruction may issue. */
    public static final int LAT_ALU = 1;
    /** Cycles from issue of an FP32/FP16/conversion instruction until a dependent instruction may issue. */
    public static final int LAT_FPU = 4;
    /** Cycles from a shared-memory load's last pass until a dependent instruction may issue. */
    public static final int LAT_SMEM = 4;
    /** Banks of shared memory: the 16-byte word at byte address a lies in bank (a / SMEM_BANK_BYTES) mod SMEM_BANKS. */
    public static final int SMEM_BANKS = 32;
    /** Bytes of one bank's row: a shared-memory pass reads or writes one row per bank. */
    public static final int SMEM_BANK_BYTES = 16;
    /** Cycles after a matrix unit's busy time until the accumulators written by the instruction may be used. */
    public static final int LAT_MMA_DRAIN = 4;
    /** Cycles from the start of a tile on a core until its warps may issue. */
    public static final int TILE_LAUNCH_CYCLES = 4;
    /** Fixed command-processor cycles of every GEMM or LAUNCH command (descriptor fetch, decode, completion write). */
    public static final int CMD_OVERHEAD_CYCLES = 64;
    /** Global memory instructions a core may have in flight (issued, not completed). */
    public static final int MEM_MAX_INFLIGHT = 8;
    /** Kernel cycle budget of a LAUNCH whose LAUNCH_MAX_CYCLES is 0. */
    public static final int WATCHDOG_DEFAULT_CYCLES = 0x40000000;
    /** Default SIMT cores of the cycle model and the RTL. */
    public static final int DEFAULT_CORES = 2;
    /** Default warps per core. */
    public static final int DEFAULT_WARPS = 4;
    /** Default matrix units per core. */
    public static final int DEFAULT_MMA_UNITS = 1;
    /** Default shared memory per core (64 KiB). */
    public static final int DEFAULT_SMEM_BYTES = 0x10000;
    /** Default device-memory latency in cycles (fixed, after a transaction's channel slot). */
    public static final int DEFAULT_DMEM_LATENCY = 40;
    /** Default device-memory bandwidth in bytes per cycle (8, 16, 32 or 64): one transaction per 64/this cycles. */
    public static final int DEFAULT_DMEM_BYTES_PER_CYCLE = 32;
    /** Core clock the cycle model assumes (200 MHz), reported in CAP_CLOCK_KHZ. */
    public static final int DEFAULT_CLOCK_KHZ = 0x30D40;
    /** Rows of C per GEMM tile (one matrix-instruction row block). */
    public static final int GEMM_TILE_M = 16;

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
        /** Capability: device-memory latency in cycles of the SIMT timing model (0: not a clocked model). (ro) */
        public static final int CAP_DMEM_LATENCY = 0x0B4;
        /** Capability: device-memory bandwidth in bytes per cycle of the SIMT timing model (0: not a clocked model). (ro) */
        public static final int CAP_DMEM_BW = 0x0B8;

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
                case CAP_DMEM_LATENCY -> "CAP_DMEM_LATENCY";
                case CAP_DMEM_BW -> "CAP_DMEM_BW";
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
        /** Run a kernel program of the SIMT ISA over a grid of tiles (LAUNCH_* fields; docs/simt.md). */
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

    /** SIMT functional units (docs/simt.md, timing). */
    public static final class Unit {
        private Unit() {}

        /** Control: branches, barrier, exit, mask; latency LAT_ALU. */
        public static final int CTRL = 0;
        /** Integer and bit operations, S2R; latency LAT_ALU. */
        public static final int ALU = 1;
        /** FP32 arithmetic, FP16x2 arithmetic, conversions; latency LAT_FPU, pipelined. */
        public static final int FPU = 2;
        /** Loads and stores to device and shared memory. */
        public static final int LSU = 3;
        /** Matrix units (warp-level matrix instructions). */
        public static final int MMA = 4;

        /** Name of a value, or "UNKNOWN(v)". */
        public static String name(int value) {
            return switch (value) {
                case CTRL -> "CTRL";
                case ALU -> "ALU";
                case FPU -> "FPU";
                case LSU -> "LSU";
                case MMA -> "MMA";
                default -> "UNKNOWN(" + value + ")";
            };
        }
    }

    /** SIMT instruction formats: which fields an instruction uses and its assembly syntax. */
    public static final class Format {
        private Format() {}

        /** No operands. */
        public static final int N = 0;
        /** rd, ra, rb. */
        public static final int R = 1;
        /** rd, ra, imm (IMM signed 32-bit). */
        public static final int I = 2;
        /** rd, ra. */
        public static final int U = 3;
        /** rd, sreg (IMM: Sreg number). */
        public static final int SR = 4;
        /** rd, [ra + imm]. */
        public static final int LD = 5;
        /** [ra + imm], rb. */
        public static final int ST = 6;
        /** target (IMM = target - pc). */
        public static final int J = 7;
        /** ra, target (IMM = target - pc). */
        public static final int BR = 8;
        /** ra. */
        public static final int M = 9;
        /** rd, ra, rb; optional .z suffix (field MMA_ZACC). */
        public static final int MH = 10;
        /** rd, ra, rb, rz, bits (fields MMA_RZ, MMA_BITS); optional .z suffix. */
        public static final int MQ = 11;

        /** Name of a value, or "UNKNOWN(v)". */
        public static String name(int value) {
            return switch (value) {
                case N -> "N";
                case R -> "R";
                case I -> "I";
                case U -> "U";
                case SR -> "SR";
                case LD -> "LD";
                case ST -> "ST";
                case J -> "J";
                case BR -> "BR";
                case M -> "M";
                case MH -> "MH";
                case MQ -> "MQ";
                default -> "UNKNOWN(" + value + ")";
            };
        }
    }

    /** SIMT special registers read by S2R (same value in every lane unless noted). */
    public static final class Sreg {
        private Sreg() {}

        /** Lane index 0 .. 31 (differs per lane). */
        public static final int LANE = 0;
        /** Warp index in the core, 0 .. NWARPS-1. */
        public static final int WARP = 1;
        /** Core index, 0 .. NCORES-1. */
        public static final int CORE = 2;
        /** Tile column of the running tile. */
        public static final int TILE_X = 3;
        /** Tile row of the running tile. */
        public static final int TILE_Y = 4;
        /** Warps per core. */
        public static final int NWARPS = 5;
        /** Cores. */
        public static final int NCORES = 6;
        /** Tile columns of the launch. */
        public static final int NTILES_X = 7;
        /** Tile rows of the launch. */
        public static final int NTILES_Y = 8;
        /** Shared memory per core in bytes. */
        public static final int SMEM_BYTES = 9;
        /** Kernel argument word 0. */
        public static final int ARG0 = 16;
        /** Kernel argument word 1. */
        public static final int ARG1 = 17;
        /** Kernel argument word 2. */
        public static final int ARG2 = 18;
        /** Kernel argument word 3. */
        public static final int ARG3 = 19;
        /** Kernel argument word 4. */
        public static final int ARG4 = 20;
        /** Kernel argument word 5. */
        public static final int ARG5 = 21;
        /** Kernel argument word 6. */
        public static final int ARG6 = 22;
        /** Kernel argument word 7. */
        public static final int ARG7 = 23;
        /** Kernel argument word 8. */
        public static final int ARG8 = 24;
        /** Kernel argument word 9. */
        public static final int ARG9 = 25;
        /** Kernel argument word 10. */
        public static final int ARG10 = 26;
        /** Kernel argument word 11. */
        public static final int ARG11 = 27;
        /** Kernel argument word 12. */
        public static final int ARG12 = 28;
        /** Kernel argument word 13. */
        public static final int ARG13 = 29;
        /** Kernel argument word 14. */
        public static final int ARG14 = 30;
        /** Kernel argument word 15. */
        public static final int ARG15 = 31;

        /** Name of a value, or "UNKNOWN(v)". */
        public static String name(int value) {
            return switch (value) {
                case LANE -> "LANE";
                case WARP -> "WARP";
                case CORE -> "CORE";
                case TILE_X -> "TILE_X";
                case TILE_Y -> "TILE_Y";
                case NWARPS -> "NWARPS";
                case NCORES -> "NCORES";
                case NTILES_X -> "NTILES_X";
                case NTILES_Y -> "NTILES_Y";
                case SMEM_BYTES -> "SMEM_BYTES";
                case ARG0 -> "ARG0";
                case ARG1 -> "ARG1";
                case ARG2 -> "ARG2";
                case ARG3 -> "ARG3";
                case ARG4 -> "ARG4";
                case ARG5 -> "ARG5";
                case ARG6 -> "ARG6";
                case ARG7 -> "ARG7";
                case ARG8 -> "ARG8";
                case ARG9 -> "ARG9";
                case ARG10 -> "ARG10";
                case ARG11 -> "ARG11";
                case ARG12 -> "ARG12";
                case ARG13 -> "ARG13";
                case ARG14 -> "ARG14";
                case ARG15 -> "ARG15";
                default -> "UNKNOWN(" + value + ")";
            };
        }
    }

    /** Kernel arguments the command processor passes to a built-in GEMM kernel (index into ARG0 ..). Addresses are the descriptor's (below 4 GiB). */
    public static final class GemmArg {
        private GemmArg() {}

        /** Desc.M. */
        public static final int M = 0;
        /** Desc.N. */
        public static final int N = 1;
        /** Desc.K. */
        public static final int K = 2;
        /** Desc.GROUP_SIZE. */
        public static final int GROUP_SIZE = 3;
        /** log2(Desc.GROUP_COLS). */
        public static final int GROUP_COLS_LOG2 = 4;
        /** Desc.FLAGS. */
        public static final int FLAGS = 5;
        /** Desc.ADDR_A. */
        public static final int ADDR_A = 6;
        /** Desc.ADDR_W. */
        public static final int ADDR_W = 7;
        /** Desc.ADDR_SCALES. */
        public static final int ADDR_SCALES = 8;
        /** Desc.ADDR_ZEROS (0 with FLAGS.SYMMETRIC). */
        public static final int ADDR_ZEROS = 9;
        /** Desc.ADDR_C. */
        public static final int ADDR_C = 10;
        /** Strips of W: ceil(N / S), S = 256 / bits. */
        public static final int STRIPS = 11;
        /** STRIPS * S. */
        public static final int PADDED_N = 12;
        /** K / GROUP_SIZE. */
        public static final int GROUPS = 13;
        /** Warps that compute a strip each in a tile (docs/simt.md 9.1); warps at or above it exit at once. */
        public static final int TILE_WARPS = 14;

        /** Name of a value, or "UNKNOWN(v)". */
        public static String name(int value) {
            return switch (value) {
                case M -> "M";
                case N -> "N";
                case K -> "K";
                case GROUP_SIZE -> "GROUP_SIZE";
                case GROUP_COLS_LOG2 -> "GROUP_COLS_LOG2";
                case FLAGS -> "FLAGS";
                case ADDR_A -> "ADDR_A";
                case ADDR_W -> "ADDR_W";
                case ADDR_SCALES -> "ADDR_SCALES";
                case ADDR_ZEROS -> "ADDR_ZEROS";
                case ADDR_C -> "ADDR_C";
                case STRIPS -> "STRIPS";
                case PADDED_N -> "PADDED_N";
                case GROUPS -> "GROUPS";
                case TILE_WARPS -> "TILE_WARPS";
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
        /** u32: LAUNCH: tile columns (>= 1); tiles run in order t = y * TILES_X + x, tile t on core t mod cores. */
        public static final int LAUNCH_TILES_X = 0x08;
        /** u32: LAUNCH: tile rows (>= 1); TILES_X * TILES_Y <= 2^24. */
        public static final int LAUNCH_TILES_Y = 0x0C;
        /** u32: LAUNCH: program length in 64-bit instruction words, 1 .. PROG_RAM_WORDS. */
        public static final int LAUNCH_PROG_WORDS = 0x10;
        /** u32: LAUNCH: index of the first instruction in the program (< PROG_WORDS); execution starts at pc PROG_RAM_BASE + ENTRY. */
        public static final int LAUNCH_ENTRY = 0x14;
        /** u32: LAUNCH: kernel cycle budget (watchdog); 0 means WATCHDOG_DEFAULT_CYCLES. */
        public static final int LAUNCH_MAX_CYCLES = 0x18;
        /** u64: LAUNCH: device address of the program (MEM_ALIGN aligned, below 4 GiB), little-endian 64-bit words. */
        public static final int LAUNCH_PROG_ADDR = 0x20;
        /** u32[16]: LAUNCH: kernel argument words ARG0 .. ARG15. */
        public static final int LAUNCH_ARGS = 0x28;
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

    /**
     * The PacQ SIMT instruction set (normative text: docs/simt.md). Every instruction is one little-endian 64-bit word. An opcode not listed, a register field >= SIMT_REGS, or a register group running past r127 is an illegal instruction. Fields a format does not use are ignored (the assembler writes 0).
     *
     * <p>Field constants are bit positions and widths in the 64-bit instruction word; opcode
     * constants carry each instruction's format, unit, operands and semantics in their Javadoc.
     */
    public static final class Isa {
        private Isa() {}

        /** Opcode. */
        public static final int OPCODE_LSB = 0;
        /** Width of OPCODE. */
        public static final int OPCODE_WIDTH = 8;
        /** Destination register (first of a group). */
        public static final int RD_LSB = 8;
        /** Width of RD. */
        public static final int RD_WIDTH = 8;
        /** First source register (address base of memory instructions). */
        public static final int RA_LSB = 16;
        /** Width of RA. */
        public static final int RA_WIDTH = 8;
        /** Second source register (data of stores). */
        public static final int RB_LSB = 24;
        /** Width of RB. */
        public static final int RB_WIDTH = 8;
        /** Immediate, signed 32-bit (branch offset in instructions, relative to the branch). */
        public static final int IMM_LSB = 32;
        /** Width of IMM. */
        public static final int IMM_WIDTH = 32;
        /** PMMA/KMMA: zero-point register (IMM[7:0]). */
        public static final int MMA_RZ_LSB = 32;
        /** Width of MMA_RZ. */
        public static final int MMA_RZ_WIDTH = 8;
        /** PMMA/KMMA: weight code width 2, 4 or 8 (IMM[15:8]); other values are illegal. */
        public static final int MMA_BITS_LSB = 40;
        /** Width of MMA_BITS. */
        public static final int MMA_BITS_WIDTH = 8;
        /** HMMA/PMMA/KMMA: accumulate from +0.0 instead of rd (.z suffix, IMM[16]). */
        public static final int MMA_ZACC_LSB = 48;
        /** Width of MMA_ZACC. */
        public static final int MMA_ZACC_WIDTH = 1;
        /** BFE/UNPK: bit position (IMM[4:0]). */
        public static final int BF_POS_LSB = 32;
        /** Width of BF_POS. */
        public static final int BF_POS_WIDTH = 5;
        /** BFE/UNPK: field length (IMM[13:8]). */
        public static final int BF_LEN_LSB = 40;
        /** Width of BF_LEN. */
        public static final int BF_LEN_WIDTH = 6;

        /** {@code nop} (format N, unit CTRL; reads -; writes -): Does nothing. */
        public static final int NOP = 0x01;
        /** {@code exit} (format N, unit CTRL; reads -; writes -): The warp ends. A tile ends when all its warps have exited and the core has no memory instruction in flight. */
        public static final int EXIT = 0x02;
        /** {@code bar} (format N, unit CTRL; reads -; writes -): Barrier: the warp waits until every warp of the core that has not exited waits at a BAR; all continue from the cycle after the last arrival (or exit). */
        public static final int BAR = 0x03;
        /** {@code bra} (format J, unit CTRL; reads -; writes -): pc = pc + imm. */
        public static final int BRA = 0x04;
        /** {@code bz} (format BR, unit CTRL; reads ra; writes -): Taken (pc = pc + imm) when ra == 0 in every active lane; not taken when ra != 0 in every active lane or no lane is active; otherwise DIVERGENCE. */
        public static final int BZ = 0x05;
        /** {@code bnz} (format BR, unit CTRL; reads ra; writes -): Taken when ra != 0 in every active lane; not taken when ra == 0 in every active lane or no lane is active; otherwise DIVERGENCE. */
        public static final int BNZ = 0x06;
        /** {@code setmask} (format M, unit CTRL; reads ra (all 32 lanes); writes -): Active mask = the lanes whose ra != 0; ra is read in all 32 lanes, active or not. */
        public static final int SETMASK = 0x07;
        /** {@code unmask} (format N, unit CTRL; reads -; writes -): Active mask = all 32 lanes. */
        public static final int UNMASK = 0x08;
        /** {@code s2r} (format SR, unit ALU; reads -; writes rd): rd = special register imm (Sreg); an undefined Sreg number is an illegal instruction. */
        public static final int S2R = 0x09;
        /** {@code add} (format R, unit ALU; reads ra, rb; writes rd): rd = ra + rb (mod 2^32). */
        public static final int ADD = 0x10;
        /** {@code sub} (format R, unit ALU; reads ra, rb; writes rd): rd = ra - rb (mod 2^32). */
        public static final int SUB = 0x11;
        /** {@code mul} (format R, unit ALU; reads ra, rb; writes rd): rd = low 32 bits of ra * rb. */
        public static final int MUL = 0x12;
        /** {@code and} (format R, unit ALU; reads ra, rb; writes rd): rd = ra & rb. */
        public static final int AND = 0x13;
        /** {@code or} (format R, unit ALU; reads ra, rb; writes rd): rd = ra | rb. */
        public static final int OR = 0x14;
        /** {@code xor} (format R, unit ALU; reads ra, rb; writes rd): rd = ra ^ rb. */
        public static final int XOR = 0x15;
        /** {@code shl} (format R, unit ALU; reads ra, rb; writes rd): rd = ra << (rb & 31). */
        public static final int SHL = 0x16;
        /** {@code shr} (format R, unit ALU; reads ra, rb; writes rd): rd = ra >>> (rb & 31) (logical). */
        public static final int SHR = 0x17;
        /** {@code sra} (format R, unit ALU; reads ra, rb; writes rd): rd = ra >> (rb & 31) (arithmetic). */
        public static final int SRA = 0x18;
        /** {@code slt} (format R, unit ALU; reads ra, rb; writes rd): rd = 1 if ra < rb as signed, else 0. */
        public static final int SLT = 0x19;
        /** {@code sltu} (format R, unit ALU; reads ra, rb; writes rd): rd = 1 if ra < rb as unsigned, else 0. */
        public static final int SLTU = 0x1A;
        /** {@code seq} (format R, unit ALU; reads ra, rb; writes rd): rd = 1 if ra == rb, else 0. */
        public static final int SEQ = 0x1B;
        /** {@code min} (format R, unit ALU; reads ra, rb; writes rd): rd = signed minimum of ra and rb. */
        public static final int MIN = 0x1C;
        /** {@code max} (format R, unit ALU; reads ra, rb; writes rd): rd = signed maximum of ra and rb. */
        public static final int MAX = 0x1D;
        /** {@code pack} (format R, unit ALU; reads ra, rb; writes rd): rd = (rb << 16) | (ra & 0xFFFF). */
        public static final int PACK = 0x1E;
        /** {@code sub2} (format R, unit ALU; reads ra, rb; writes rd): Two 16-bit subtractions: rd[15:0] = ra[15:0] - rb[15:0], rd[31:16] = ra[31:16] - rb[31:16] (each mod 2^16). */
        public static final int SUB2 = 0x1F;
        /** {@code addi} (format I, unit ALU; reads ra; writes rd): rd = ra + imm (mod 2^32). */
        public static final int ADDI = 0x20;
        /** {@code muli} (format I, unit ALU; reads ra; writes rd): rd = low 32 bits of ra * imm. */
        public static final int MULI = 0x22;
        /** {@code andi} (format I, unit ALU; reads ra; writes rd): rd = ra & imm. */
        public static final int ANDI = 0x23;
        /** {@code ori} (format I, unit ALU; reads ra; writes rd): rd = ra | imm. */
        public static final int ORI = 0x24;
        /** {@code xori} (format I, unit ALU; reads ra; writes rd): rd = ra ^ imm. */
        public static final int XORI = 0x25;
        /** {@code shli} (format I, unit ALU; reads ra; writes rd): rd = ra << (imm & 31). */
        public static final int SHLI = 0x26;
        /** {@code shri} (format I, unit ALU; reads ra; writes rd): rd = ra >>> (imm & 31) (logical). */
        public static final int SHRI = 0x27;
        /** {@code srai} (format I, unit ALU; reads ra; writes rd): rd = ra >> (imm & 31) (arithmetic). */
        public static final int SRAI = 0x28;
        /** {@code slti} (format I, unit ALU; reads ra; writes rd): rd = 1 if ra < imm as signed, else 0. */
        public static final int SLTI = 0x29;
        /** {@code sltiu} (format I, unit ALU; reads ra; writes rd): rd = 1 if ra < imm, both as unsigned 32-bit, else 0. */
        public static final int SLTIU = 0x2A;
        /** {@code seqi} (format I, unit ALU; reads ra; writes rd): rd = 1 if ra == imm, else 0. */
        public static final int SEQI = 0x2B;
        /** {@code mini} (format I, unit ALU; reads ra; writes rd): rd = signed minimum of ra and imm. */
        public static final int MINI = 0x2C;
        /** {@code maxi} (format I, unit ALU; reads ra; writes rd): rd = signed maximum of ra and imm. */
        public static final int MAXI = 0x2D;
        /** {@code bfe} (format I, unit ALU; reads ra; writes rd): Bit-field extract: rd = (ra >>> pos) & (2^len - 1), pos = BF_POS, len = BF_LEN in 0 .. 32 (larger is illegal). */
        public static final int BFE = 0x2E;
        /** {@code unpk} (format I, unit ALU; reads ra; writes rd): Unpack two adjacent fields: rd[15:0] = (ra >>> pos) & m, rd[31:16] = (ra >>> (pos + len)) & m, m = 2^len - 1, pos = BF_POS, len = BF_LEN in 1 .. 16 (else illegal); a shift by 32 or more gives 0. */
        public static final int UNPK = 0x2F;
        /** {@code fadd} (format R, unit FPU; reads ra, rb; writes rd): rd = RN32(ra + rb). */
        public static final int FADD = 0x30;
        /** {@code fsub} (format R, unit FPU; reads ra, rb; writes rd): rd = RN32(ra - rb). */
        public static final int FSUB = 0x31;
        /** {@code fmul} (format R, unit FPU; reads ra, rb; writes rd): rd = RN32(ra * rb). */
        public static final int FMUL = 0x32;
        /** {@code ffma} (format R, unit FPU; reads ra, rb, rd; writes rd): rd = RN32(ra * rb + rd), one rounding (fused). */
        public static final int FFMA = 0x33;
        /** {@code i2f} (format U, unit FPU; reads ra; writes rd): rd = RN32(ra as a signed 32-bit integer). */
        public static final int I2F = 0x34;
        /** {@code h2f} (format U, unit FPU; reads ra; writes rd): rd = the FP16 value ra[15:0] as FP32 (exact). */
        public static final int H2F = 0x35;
        /** {@code h2fh} (format U, unit FPU; reads ra; writes rd): rd = the FP16 value ra[31:16] as FP32 (exact). */
        public static final int H2FH = 0x36;
        /** {@code f2h} (format U, unit FPU; reads ra; writes rd): rd[15:0] = RN16(ra), rd[31:16] = 0. */
        public static final int F2H = 0x37;
        /** {@code f2h2} (format R, unit FPU; reads ra, rb; writes rd): rd[15:0] = RN16(ra), rd[31:16] = RN16(rb). */
        public static final int F2H2 = 0x38;
        /** {@code i2h2} (format U, unit FPU; reads ra; writes rd): rd[15:0] = RN16(ra[15:0] as signed 16-bit), rd[31:16] = RN16(ra[31:16] as signed 16-bit). */
        public static final int I2H2 = 0x39;
        /** {@code hmul2} (format R, unit FPU; reads ra, rb; writes rd): Two FP16 products: rd[15:0] = RN16(ra[15:0] * rb[15:0]), rd[31:16] = RN16(ra[31:16] * rb[31:16]). */
        public static final int HMUL2 = 0x3A;
        /** {@code fmac} (format R, unit FPU; reads ra, rb, rd; writes rd): Multiply-accumulate with a rounded product: rd = RN32(rd + RN32(ra * rb)), exactly FMUL then FADD (the per-group scale step of PACQ). */
        public static final int FMAC = 0x3B;
        /** {@code ldg.u8} (format LD, unit LSU; reads ra; writes rd): Load 1 bytes from device memory at ra + imm (unsigned 32-bit, a multiple of 1): the byte, zero-extended. */
        public static final int LDG_U8 = 0x40;
        /** {@code ldg.u16} (format LD, unit LSU; reads ra; writes rd): Load 2 bytes from device memory at ra + imm (unsigned 32-bit, a multiple of 2): the 16-bit value, zero-extended. */
        public static final int LDG_U16 = 0x41;
        /** {@code ldg} (format LD, unit LSU; reads ra; writes rd): Load 4 bytes from device memory at ra + imm (unsigned 32-bit, a multiple of 4): the 32-bit word. */
        public static final int LDG = 0x42;
        /** {@code ldg.64} (format LD, unit LSU; reads ra; writes rd .. rd+1): Load 8 bytes from device memory at ra + imm (unsigned 32-bit, a multiple of 8): rd = bytes 0..3, rd+1 = bytes 4..7. */
        public static final int LDG_64 = 0x43;
        /** {@code ldg.128} (format LD, unit LSU; reads ra; writes rd .. rd+3): Load 16 bytes from device memory at ra + imm (unsigned 32-bit, a multiple of 16): rd+j = bytes 4j .. 4j+3. */
        public static final int LDG_128 = 0x44;
        /** {@code stg.8} (format ST, unit LSU; reads ra, rb; writes -): Store 1 bytes (rb[7:0]) to device memory at ra + imm (unsigned 32-bit, a multiple of 1); lanes write in ascending order. */
        public static final int STG_8 = 0x48;
        /** {@code stg.16} (format ST, unit LSU; reads ra, rb; writes -): Store 2 bytes (rb[15:0]) to device memory at ra + imm (unsigned 32-bit, a multiple of 2); lanes write in ascending order. */
        public static final int STG_16 = 0x49;
        /** {@code stg} (format ST, unit LSU; reads ra, rb; writes -): Store 4 bytes (rb) to device memory at ra + imm (unsigned 32-bit, a multiple of 4); lanes write in ascending order. */
        public static final int STG = 0x4A;
        /** {@code stg.64} (format ST, unit LSU; reads ra, rb .. rb+1; writes -): Store 8 bytes (rb, rb+1) to device memory at ra + imm (unsigned 32-bit, a multiple of 8); lanes write in ascending order. */
        public static final int STG_64 = 0x4B;
        /** {@code stg.128} (format ST, unit LSU; reads ra, rb .. rb+3; writes -): Store 16 bytes (rb .. rb+3) to device memory at ra + imm (unsigned 32-bit, a multiple of 16); lanes write in ascending order. */
        public static final int STG_128 = 0x4C;
        /** {@code lds.u8} (format LD, unit LSU; reads ra; writes rd): Load 1 bytes from shared memory at ra + imm (unsigned 32-bit, a multiple of 1): the byte, zero-extended. */
        public static final int LDS_U8 = 0x50;
        /** {@code lds.u16} (format LD, unit LSU; reads ra; writes rd): Load 2 bytes from shared memory at ra + imm (unsigned 32-bit, a multiple of 2): the 16-bit value, zero-extended. */
        public static final int LDS_U16 = 0x51;
        /** {@code lds} (format LD, unit LSU; reads ra; writes rd): Load 4 bytes from shared memory at ra + imm (unsigned 32-bit, a multiple of 4): the 32-bit word. */
        public static final int LDS = 0x52;
        /** {@code lds.64} (format LD, unit LSU; reads ra; writes rd .. rd+1): Load 8 bytes from shared memory at ra + imm (unsigned 32-bit, a multiple of 8): rd = bytes 0..3, rd+1 = bytes 4..7. */
        public static final int LDS_64 = 0x53;
        /** {@code lds.128} (format LD, unit LSU; reads ra; writes rd .. rd+3): Load 16 bytes from shared memory at ra + imm (unsigned 32-bit, a multiple of 16): rd+j = bytes 4j .. 4j+3. */
        public static final int LDS_128 = 0x54;
        /** {@code sts.8} (format ST, unit LSU; reads ra, rb; writes -): Store 1 bytes (rb[7:0]) to shared memory at ra + imm (unsigned 32-bit, a multiple of 1); lanes write in ascending order. */
        public static final int STS_8 = 0x58;
        /** {@code sts.16} (format ST, unit LSU; reads ra, rb; writes -): Store 2 bytes (rb[15:0]) to shared memory at ra + imm (unsigned 32-bit, a multiple of 2); lanes write in ascending order. */
        public static final int STS_16 = 0x59;
        /** {@code sts} (format ST, unit LSU; reads ra, rb; writes -): Store 4 bytes (rb) to shared memory at ra + imm (unsigned 32-bit, a multiple of 4); lanes write in ascending order. */
        public static final int STS = 0x5A;
        /** {@code sts.64} (format ST, unit LSU; reads ra, rb .. rb+1; writes -): Store 8 bytes (rb, rb+1) to shared memory at ra + imm (unsigned 32-bit, a multiple of 8); lanes write in ascending order. */
        public static final int STS_64 = 0x5B;
        /** {@code sts.128} (format ST, unit LSU; reads ra, rb .. rb+3; writes -): Store 16 bytes (rb .. rb+3) to shared memory at ra + imm (unsigned 32-bit, a multiple of 16); lanes write in ascending order. */
        public static final int STS_128 = 0x5C;
        /** {@code hmma} (format MH, unit MMA; reads ra .. ra+3, rb .. rb+3, rd .. rd+7 (not with .z); writes rd .. rd+7): FP16 x FP16 -> FP32 warp matrix multiply-accumulate, m16 n16 k16: for each (m, n): c = C[m][n] (+0.0 with .z); for k = 0 .. 15: c = RN32(c + A[m][k] * B[k][n]); D[m][n] = c. */
        public static final int HMMA = 0x60;
        /** {@code pmma} (format MQ, unit MMA; reads ra .. ra+3, rb .. rb+3, rz, rd .. rd+8*cpw-1 (not with .z); writes rd .. rd+8*cpw-1): PacQ packed FP16 x INT warp matrix multiply-accumulate, m16 n(16*cpw) k16, cpw = 16/bits, B = 16 N-packed strip rows: for each (m, n): p = C[m][n] (+0.0 with .z); for k = 0 .. 15: p = RN32(p + A[m][k] * (q[k][n] - z[n])); D[m][n] = p. */
        public static final int PMMA = 0x61;
        /** {@code kmma} (format MQ, unit MMA; reads ra .. ra+3, rb .. rb+3, rz, rd .. rd+8*cpw-1 (not with .z); writes rd .. rd+8*cpw-1): K-packed FP16 x INT warp matrix multiply-accumulate (the P(B)k baseline): PMMA's arithmetic with B as 16/cpw K-packed word rows of 16*cpw columns. */
        public static final int KMMA = 0x62;

        /** Assembler mnemonic of an opcode (e.g. "ldg.128"), or null when undefined. */
        public static String mnemonic(int opcode) {
            return switch (opcode) {
                case NOP -> "nop";
                case EXIT -> "exit";
                case BAR -> "bar";
                case BRA -> "bra";
                case BZ -> "bz";
                case BNZ -> "bnz";
                case SETMASK -> "setmask";
                case UNMASK -> "unmask";
                case S2R -> "s2r";
                case ADD -> "add";
                case SUB -> "sub";
                case MUL -> "mul";
                case AND -> "and";
                case OR -> "or";
                case XOR -> "xor";
                case SHL -> "shl";
                case SHR -> "shr";
                case SRA -> "sra";
                case SLT -> "slt";
                case SLTU -> "sltu";
                case SEQ -> "seq";
                case MIN -> "min";
                case MAX -> "max";
                case PACK -> "pack";
                case SUB2 -> "sub2";
                case ADDI -> "addi";
                case MULI -> "muli";
                case ANDI -> "andi";
                case ORI -> "ori";
                case XORI -> "xori";
                case SHLI -> "shli";
                case SHRI -> "shri";
                case SRAI -> "srai";
                case SLTI -> "slti";
                case SLTIU -> "sltiu";
                case SEQI -> "seqi";
                case MINI -> "mini";
                case MAXI -> "maxi";
                case BFE -> "bfe";
                case UNPK -> "unpk";
                case FADD -> "fadd";
                case FSUB -> "fsub";
                case FMUL -> "fmul";
                case FFMA -> "ffma";
                case I2F -> "i2f";
                case H2F -> "h2f";
                case H2FH -> "h2fh";
                case F2H -> "f2h";
                case F2H2 -> "f2h2";
                case I2H2 -> "i2h2";
                case HMUL2 -> "hmul2";
                case FMAC -> "fmac";
                case LDG_U8 -> "ldg.u8";
                case LDG_U16 -> "ldg.u16";
                case LDG -> "ldg";
                case LDG_64 -> "ldg.64";
                case LDG_128 -> "ldg.128";
                case STG_8 -> "stg.8";
                case STG_16 -> "stg.16";
                case STG -> "stg";
                case STG_64 -> "stg.64";
                case STG_128 -> "stg.128";
                case LDS_U8 -> "lds.u8";
                case LDS_U16 -> "lds.u16";
                case LDS -> "lds";
                case LDS_64 -> "lds.64";
                case LDS_128 -> "lds.128";
                case STS_8 -> "sts.8";
                case STS_16 -> "sts.16";
                case STS -> "sts";
                case STS_64 -> "sts.64";
                case STS_128 -> "sts.128";
                case HMMA -> "hmma";
                case PMMA -> "pmma";
                case KMMA -> "kmma";
                default -> null;
            };
        }

        /** Format (a Format value) of an opcode, or -1 when undefined. */
        public static int format(int opcode) {
            return switch (opcode) {
                case NOP -> Format.N;
                case EXIT -> Format.N;
                case BAR -> Format.N;
                case BRA -> Format.J;
                case BZ -> Format.BR;
                case BNZ -> Format.BR;
                case SETMASK -> Format.M;
                case UNMASK -> Format.N;
                case S2R -> Format.SR;
                case ADD -> Format.R;
                case SUB -> Format.R;
                case MUL -> Format.R;
                case AND -> Format.R;
                case OR -> Format.R;
                case XOR -> Format.R;
                case SHL -> Format.R;
                case SHR -> Format.R;
                case SRA -> Format.R;
                case SLT -> Format.R;
                case SLTU -> Format.R;
                case SEQ -> Format.R;
                case MIN -> Format.R;
                case MAX -> Format.R;
                case PACK -> Format.R;
                case SUB2 -> Format.R;
                case ADDI -> Format.I;
                case MULI -> Format.I;
                case ANDI -> Format.I;
                case ORI -> Format.I;
                case XORI -> Format.I;
                case SHLI -> Format.I;
                case SHRI -> Format.I;
                case SRAI -> Format.I;
                case SLTI -> Format.I;
                case SLTIU -> Format.I;
                case SEQI -> Format.I;
                case MINI -> Format.I;
                case MAXI -> Format.I;
                case BFE -> Format.I;
                case UNPK -> Format.I;
                case FADD -> Format.R;
                case FSUB -> Format.R;
                case FMUL -> Format.R;
                case FFMA -> Format.R;
                case I2F -> Format.U;
                case H2F -> Format.U;
                case H2FH -> Format.U;
                case F2H -> Format.U;
                case F2H2 -> Format.R;
                case I2H2 -> Format.U;
                case HMUL2 -> Format.R;
                case FMAC -> Format.R;
                case LDG_U8 -> Format.LD;
                case LDG_U16 -> Format.LD;
                case LDG -> Format.LD;
                case LDG_64 -> Format.LD;
                case LDG_128 -> Format.LD;
                case STG_8 -> Format.ST;
                case STG_16 -> Format.ST;
                case STG -> Format.ST;
                case STG_64 -> Format.ST;
                case STG_128 -> Format.ST;
                case LDS_U8 -> Format.LD;
                case LDS_U16 -> Format.LD;
                case LDS -> Format.LD;
                case LDS_64 -> Format.LD;
                case LDS_128 -> Format.LD;
                case STS_8 -> Format.ST;
                case STS_16 -> Format.ST;
                case STS -> Format.ST;
                case STS_64 -> Format.ST;
                case STS_128 -> Format.ST;
                case HMMA -> Format.MH;
                case PMMA -> Format.MQ;
                case KMMA -> Format.MQ;
                default -> -1;
            };
        }

        /** Functional unit (a Unit value) of an opcode, or -1 when undefined. */
        public static int unit(int opcode) {
            return switch (opcode) {
                case NOP -> Unit.CTRL;
                case EXIT -> Unit.CTRL;
                case BAR -> Unit.CTRL;
                case BRA -> Unit.CTRL;
                case BZ -> Unit.CTRL;
                case BNZ -> Unit.CTRL;
                case SETMASK -> Unit.CTRL;
                case UNMASK -> Unit.CTRL;
                case S2R -> Unit.ALU;
                case ADD -> Unit.ALU;
                case SUB -> Unit.ALU;
                case MUL -> Unit.ALU;
                case AND -> Unit.ALU;
                case OR -> Unit.ALU;
                case XOR -> Unit.ALU;
                case SHL -> Unit.ALU;
                case SHR -> Unit.ALU;
                case SRA -> Unit.ALU;
                case SLT -> Unit.ALU;
                case SLTU -> Unit.ALU;
                case SEQ -> Unit.ALU;
                case MIN -> Unit.ALU;
                case MAX -> Unit.ALU;
                case PACK -> Unit.ALU;
                case SUB2 -> Unit.ALU;
                case ADDI -> Unit.ALU;
                case MULI -> Unit.ALU;
                case ANDI -> Unit.ALU;
                case ORI -> Unit.ALU;
                case XORI -> Unit.ALU;
                case SHLI -> Unit.ALU;
                case SHRI -> Unit.ALU;
                case SRAI -> Unit.ALU;
                case SLTI -> Unit.ALU;
                case SLTIU -> Unit.ALU;
                case SEQI -> Unit.ALU;
                case MINI -> Unit.ALU;
                case MAXI -> Unit.ALU;
                case BFE -> Unit.ALU;
                case UNPK -> Unit.ALU;
                case FADD -> Unit.FPU;
                case FSUB -> Unit.FPU;
                case FMUL -> Unit.FPU;
                case FFMA -> Unit.FPU;
                case I2F -> Unit.FPU;
                case H2F -> Unit.FPU;
                case H2FH -> Unit.FPU;
                case F2H -> Unit.FPU;
                case F2H2 -> Unit.FPU;
                case I2H2 -> Unit.FPU;
                case HMUL2 -> Unit.FPU;
                case FMAC -> Unit.FPU;
                case LDG_U8 -> Unit.LSU;
                case LDG_U16 -> Unit.LSU;
                case LDG -> Unit.LSU;
                case LDG_64 -> Unit.LSU;
                case LDG_128 -> Unit.LSU;
                case STG_8 -> Unit.LSU;
                case STG_16 -> Unit.LSU;
                case STG -> Unit.LSU;
                case STG_64 -> Unit.LSU;
                case STG_128 -> Unit.LSU;
                case LDS_U8 -> Unit.LSU;
                case LDS_U16 -> Unit.LSU;
                case LDS -> Unit.LSU;
                case LDS_64 -> Unit.LSU;
                case LDS_128 -> Unit.LSU;
                case STS_8 -> Unit.LSU;
                case STS_16 -> Unit.LSU;
                case STS -> Unit.LSU;
                case STS_64 -> Unit.LSU;
                case STS_128 -> Unit.LSU;
                case HMMA -> Unit.MMA;
                case PMMA -> Unit.MMA;
                case KMMA -> Unit.MMA;
                default -> -1;
            };
        }
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
