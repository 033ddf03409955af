/* GENERATED from host-runtime/src/main/abi/pacq_abi.json by AbiGenerator. Do not edit. */
#ifndef PACQ_ABI_H
#define PACQ_ABI_H

#define PACQ_ABI_VERSION_MAJOR 1u
#define PACQ_ABI_VERSION_MINOR 0u

/* Value of register ID: the bytes 'PACQ' read as a little-endian u32. */
#define PACQ_MAGIC 0x51434150u
/* Size of the control-register window (AXI4-Lite, 32-bit registers). */
#define PACQ_REG_WINDOW_BYTES 0x1000u
/* Every operand address in a descriptor is a multiple of this many bytes (one AXI burst beat group). */
#define PACQ_MEM_ALIGN 0x40u
/* Width of a packed weight word: 4 x INT4, 8 x INT2 or 2 x INT8 codes along N. */
#define PACQ_WORD_BITS 0x10u
/* Packed words per strip row (32 bytes): a strip is 16 words wide, i.e. 64 INT4, 128 INT2 or 32 INT8 columns. */
#define PACQ_STRIP_WORDS 0x10u
/* Largest group_cols (a power of two; it must divide the narrowest strip, 32 INT8 columns). */
#define PACQ_MAX_GROUP_COLS 0x20u
/* group_size must be a multiple of this (the k-step of the matrix units). */
#define PACQ_GROUP_K_MULTIPLE 0x10u
/* Largest M, N or K a descriptor may name. */
#define PACQ_MAX_DIM 0x100000u
/* SIMT machine (docs/simt.md): threads (lanes) per warp. Fixed by the ISA: matrix fragments are laid out over 32 lanes. */
#define PACQ_SIMT_LANES 0x20u
/* 32-bit registers per lane, r0 .. r127; r0 reads as zero and ignores writes. */
#define PACQ_SIMT_REGS 0x80u
/* Largest number of warps per core. */
#define PACQ_SIMT_MAX_WARPS 0x10u
/* Largest number of cores. */
#define PACQ_SIMT_MAX_CORES 0x40u
/* Kernel argument words (special registers ARG0 .. ARG15, descriptor field LAUNCH_ARGS). */
#define PACQ_KERNEL_ARGS 0x10u
/* Program addresses 0 .. PROG_ROM_WORDS-1 hold the built-in kernel ROM (64-bit instruction words). */
#define PACQ_PROG_ROM_WORDS 0x2000u
/* Program address at which a LAUNCH command loads its program. */
#define PACQ_PROG_RAM_BASE 0x2000u
/* Instruction words of program RAM (largest LAUNCH program). */
#define PACQ_PROG_RAM_WORDS 0x1000u
/* Device-memory transaction: a warp global access moves one transaction per distinct aligned 64-byte block its active lanes touch. */
#define PACQ_DMEM_TX_BYTES 0x40u
/* Multipliers per matrix unit: FP16 x FP16 multipliers that are also PacQ parallel FP16 x packed-word multipliers. */
#define PACQ_MMA_MULTIPLIERS 0x40u
/* FP32 accumulation adders per matrix unit (4 per multiplier). */
#define PACQ_MMA_ADDERS 0x100u
/* Cycles from issue of an integer/control/S2R instruction until a dependent instruction may issue. */
#define PACQ_LAT_ALU 0x1u
/* Cycles from issue of an FP32/FP16/conversion instruction until a dependent instruction may issue. */
#define PACQ_LAT_FPU 0x4u
/* Cycles from a shared-memory load's last pass until a dependent instruction may issue. */
#define PACQ_LAT_SMEM 0x4u
/* Banks of shared memory: the 16-byte word at byte address a lies in bank (a / SMEM_BANK_BYTES) mod SMEM_BANKS. */
#define PACQ_SMEM_BANKS 0x20u
/* Bytes of one bank's row: a shared-memory pass reads or writes one row per bank. */
#define PACQ_SMEM_BANK_BYTES 0x10u
/* Cycles after a matrix unit's busy time until the accumulators written by the instruction may be used. */
#define PACQ_LAT_MMA_DRAIN 0x4u
/* Cycles from the start of a tile on a core until its warps may issue. */
#define PACQ_TILE_LAUNCH_CYCLES 0x4u
/* Fixed command-processor cycles of every GEMM or LAUNCH command (descriptor fetch, decode, completion write). */
#define PACQ_CMD_OVERHEAD_CYCLES 0x40u
/* Global memory instructions a core may have in flight (issued, not completed). */
#define PACQ_MEM_MAX_INFLIGHT 0x8u
/* Kernel cycle budget of a LAUNCH whose LAUNCH_MAX_CYCLES is 0. */
#define PACQ_WATCHDOG_DEFAULT_CYCLES 0x40000000u
/* Default SIMT cores of the cycle model and the RTL. */
#define PACQ_DEFAULT_CORES 0x2u
/* Default warps per core. */
#define PACQ_DEFAULT_WARPS 0x4u
/* Default matrix units per core. */
#define PACQ_DEFAULT_MMA_UNITS 0x1u
/* Default shared memory per core (64 KiB). */
#define PACQ_DEFAULT_SMEM_BYTES 0x10000u
/* Default device-memory latency in cycles (fixed, after a transaction's channel slot). */
#define PACQ_DEFAULT_DMEM_LATENCY 0x28u
/* Default device-memory bandwidth in bytes per cycle (8, 16, 32 or 64): one transaction per 64/this cycles. */
#define PACQ_DEFAULT_DMEM_BYTES_PER_CYCLE 0x20u
/* Core clock the cycle model assumes (200 MHz), reported in CAP_CLOCK_KHZ. */
#define PACQ_DEFAULT_CLOCK_KHZ 0x30D40u
/* Rows of C per GEMM tile (one matrix-instruction row block). */
#define PACQ_GEMM_TILE_M 0x10u

#define PACQ_REG_ID 0x000u
#define PACQ_REG_ABI_VERSION 0x004u
#define PACQ_REG_CTRL 0x008u
#define PACQ_REG_STATUS 0x00Cu
#define PACQ_REG_RING_BASE_LO 0x010u
#define PACQ_REG_RING_BASE_HI 0x014u
#define PACQ_REG_RING_ENTRIES 0x018u
#define PACQ_REG_CPL_BASE_LO 0x01Cu
#define PACQ_REG_CPL_BASE_HI 0x020u
#define PACQ_REG_SQ_TAIL 0x024u
#define PACQ_REG_SQ_HEAD 0x028u
#define PACQ_REG_CPL_COUNT 0x02Cu
#define PACQ_REG_IRQ_STATUS 0x030u
#define PACQ_REG_ERR_CODE 0x034u
#define PACQ_REG_ERR_INFO 0x038u
#define PACQ_REG_SCRATCH 0x03Cu
#define PACQ_REG_CYCLES_LO 0x040u
#define PACQ_REG_CYCLES_HI 0x044u
#define PACQ_REG_CAP_CORES 0x080u
#define PACQ_REG_CAP_WARPS 0x084u
#define PACQ_REG_CAP_LANES 0x088u
#define PACQ_REG_CAP_BITS 0x08Cu
#define PACQ_REG_CAP_MODES 0x090u
#define PACQ_REG_CAP_OPCODES 0x094u
#define PACQ_REG_CAP_MEM_LO 0x098u
#define PACQ_REG_CAP_MEM_HI 0x09Cu
#define PACQ_REG_CAP_MAX_RING 0x0A0u
#define PACQ_REG_CAP_CLOCK_KHZ 0x0A4u
#define PACQ_REG_CAP_SMEM_BYTES 0x0A8u
#define PACQ_REG_CAP_MMA_UNITS 0x0ACu
#define PACQ_REG_CAP_MODEL 0x0B0u
#define PACQ_REG_CAP_DMEM_LATENCY 0x0B4u
#define PACQ_REG_CAP_DMEM_BW 0x0B8u

#define PACQ_ABI_VERSION_MINOR_MASK 0xFFFFu
#define PACQ_ABI_VERSION_MINOR_LSB 0u
#define PACQ_ABI_VERSION_MAJOR_MASK 0xFFFF0000u
#define PACQ_ABI_VERSION_MAJOR_LSB 16u

#define PACQ_CTRL_ENABLE_MASK 0x1u
#define PACQ_CTRL_ENABLE_LSB 0u
#define PACQ_CTRL_IRQ_EN_MASK 0x2u
#define PACQ_CTRL_IRQ_EN_LSB 1u
#define PACQ_CTRL_SOFT_RESET_MASK 0x80000000u
#define PACQ_CTRL_SOFT_RESET_LSB 31u

#define PACQ_STATUS_BUSY_MASK 0x1u
#define PACQ_STATUS_BUSY_LSB 0u
#define PACQ_STATUS_ERROR_MASK 0x2u
#define PACQ_STATUS_ERROR_LSB 1u

#define PACQ_IRQ_STATUS_CPL_MASK 0x1u
#define PACQ_IRQ_STATUS_CPL_LSB 0u
#define PACQ_IRQ_STATUS_ERR_MASK 0x2u
#define PACQ_IRQ_STATUS_ERR_LSB 1u

#define PACQ_DESC_FLAGS_OUT_F32_BIT 0u
#define PACQ_DESC_FLAGS_SYMMETRIC_BIT 1u
#define PACQ_DESC_FLAGS_IRQ_BIT 2u

#define PACQ_OPCODE_NOP 0u
#define PACQ_OPCODE_GEMM 1u
#define PACQ_OPCODE_LAUNCH 2u

#define PACQ_MODE_PACQ 0u
#define PACQ_MODE_DEQUANT 1u
#define PACQ_MODE_KPACKED 2u

#define PACQ_STATUS_OK 0u
#define PACQ_STATUS_BAD_OPCODE 1u
#define PACQ_STATUS_BAD_DESCRIPTOR 2u
#define PACQ_STATUS_ADDRESS_FAULT 3u
#define PACQ_STATUS_ILLEGAL_INSTRUCTION 4u
#define PACQ_STATUS_DIVERGENCE 5u
#define PACQ_STATUS_WATCHDOG 6u
#define PACQ_STATUS_ABORTED 7u
#define PACQ_STATUS_INTERNAL 8u

#define PACQ_MODEL_EMU_FUNCTIONAL 1u
#define PACQ_MODEL_EMU_CYCLE 2u
#define PACQ_MODEL_RTL_SIM 3u
#define PACQ_MODEL_FPGA 4u

#define PACQ_UNIT_CTRL 0u
#define PACQ_UNIT_ALU 1u
#define PACQ_UNIT_FPU 2u
#define PACQ_UNIT_LSU 3u
#define PACQ_UNIT_MMA 4u

#define PACQ_FORMAT_N 0u
#define PACQ_FORMAT_R 1u
#define PACQ_FORMAT_I 2u
#define PACQ_FORMAT_U 3u
#define PACQ_FORMAT_SR 4u
#define PACQ_FORMAT_LD 5u
#define PACQ_FORMAT_ST 6u
#define PACQ_FORMAT_J 7u
#define PACQ_FORMAT_BR 8u
#define PACQ_FORMAT_M 9u
#define PACQ_FORMAT_MH 10u
#define PACQ_FORMAT_MQ 11u

#define PACQ_SREG_LANE 0u
#define PACQ_SREG_WARP 1u
#define PACQ_SREG_CORE 2u
#define PACQ_SREG_TILE_X 3u
#define PACQ_SREG_TILE_Y 4u
#define PACQ_SREG_NWARPS 5u
#define PACQ_SREG_NCORES 6u
#define PACQ_SREG_NTILES_X 7u
#define PACQ_SREG_NTILES_Y 8u
#define PACQ_SREG_SMEM_BYTES 9u
#define PACQ_SREG_ARG0 16u
#define PACQ_SREG_ARG1 17u
#define PACQ_SREG_ARG2 18u
#define PACQ_SREG_ARG3 19u
#define PACQ_SREG_ARG4 20u
#define PACQ_SREG_ARG5 21u
#define PACQ_SREG_ARG6 22u
#define PACQ_SREG_ARG7 23u
#define PACQ_SREG_ARG8 24u
#define PACQ_SREG_ARG9 25u
#define PACQ_SREG_ARG10 26u
#define PACQ_SREG_ARG11 27u
#define PACQ_SREG_ARG12 28u
#define PACQ_SREG_ARG13 29u
#define PACQ_SREG_ARG14 30u
#define PACQ_SREG_ARG15 31u

#define PACQ_GEMM_ARG_M 0u
#define PACQ_GEMM_ARG_N 1u
#define PACQ_GEMM_ARG_K 2u
#define PACQ_GEMM_ARG_GROUP_SIZE 3u
#define PACQ_GEMM_ARG_GROUP_COLS_LOG2 4u
#define PACQ_GEMM_ARG_FLAGS 5u
#define PACQ_GEMM_ARG_ADDR_A 6u
#define PACQ_GEMM_ARG_ADDR_W 7u
#define PACQ_GEMM_ARG_ADDR_SCALES 8u
#define PACQ_GEMM_ARG_ADDR_ZEROS 9u
#define PACQ_GEMM_ARG_ADDR_C 10u
#define PACQ_GEMM_ARG_STRIPS 11u
#define PACQ_GEMM_ARG_PADDED_N 12u
#define PACQ_GEMM_ARG_GROUPS 13u
#define PACQ_GEMM_ARG_TILE_WARPS 14u

#define PACQ_DESC_BYTES 128u
#define PACQ_DESC_OPCODE 0x00u
#define PACQ_DESC_MODE 0x01u
#define PACQ_DESC_BITS 0x02u
#define PACQ_DESC_FLAGS 0x03u
#define PACQ_DESC_SEQ 0x04u
#define PACQ_DESC_M 0x08u
#define PACQ_DESC_N 0x0Cu
#define PACQ_DESC_K 0x10u
#define PACQ_DESC_GROUP_SIZE 0x14u
#define PACQ_DESC_GROUP_COLS 0x18u
#define PACQ_DESC_ADDR_A 0x20u
#define PACQ_DESC_ADDR_W 0x28u
#define PACQ_DESC_ADDR_SCALES 0x30u
#define PACQ_DESC_ADDR_ZEROS 0x38u
#define PACQ_DESC_ADDR_C 0x40u
#define PACQ_DESC_LAUNCH_TILES_X 0x08u
#define PACQ_DESC_LAUNCH_TILES_Y 0x0Cu
#define PACQ_DESC_LAUNCH_PROG_WORDS 0x10u
#define PACQ_DESC_LAUNCH_ENTRY 0x14u
#define PACQ_DESC_LAUNCH_MAX_CYCLES 0x18u
#define PACQ_DESC_LAUNCH_PROG_ADDR 0x20u
#define PACQ_DESC_LAUNCH_ARGS 0x28u

#define PACQ_CPL_BYTES 128u
#define PACQ_CPL_SEQ 0x00u
#define PACQ_CPL_STATUS 0x04u
#define PACQ_CPL_CYCLES 0x08u
#define PACQ_CPL_INSTRUCTIONS 0x10u
#define PACQ_CPL_RF_READS 0x18u
#define PACQ_CPL_RF_WRITES 0x20u
#define PACQ_CPL_SMEM_BYTES 0x28u
#define PACQ_CPL_DMEM_READ_BYTES 0x30u
#define PACQ_CPL_DMEM_WRITE_BYTES 0x38u
#define PACQ_CPL_MUL_OPS 0x40u
#define PACQ_CPL_ADD_OPS 0x48u
#define PACQ_CPL_STALL_MEM 0x50u
#define PACQ_CPL_STALL_DEP 0x58u
#define PACQ_CPL_STALL_UNIT 0x60u
#define PACQ_CPL_STALL_BARRIER 0x68u
#define PACQ_CPL_ERR_INFO 0x70u

/* SIMT instruction fields: bit position and width in the 64-bit instruction word. */
#define PACQ_ISA_OPCODE_LSB 0u
#define PACQ_ISA_OPCODE_WIDTH 8u
#define PACQ_ISA_RD_LSB 8u
#define PACQ_ISA_RD_WIDTH 8u
#define PACQ_ISA_RA_LSB 16u
#define PACQ_ISA_RA_WIDTH 8u
#define PACQ_ISA_RB_LSB 24u
#define PACQ_ISA_RB_WIDTH 8u
#define PACQ_ISA_IMM_LSB 32u
#define PACQ_ISA_IMM_WIDTH 32u
#define PACQ_ISA_MMA_RZ_LSB 32u
#define PACQ_ISA_MMA_RZ_WIDTH 8u
#define PACQ_ISA_MMA_BITS_LSB 40u
#define PACQ_ISA_MMA_BITS_WIDTH 8u
#define PACQ_ISA_MMA_ZACC_LSB 48u
#define PACQ_ISA_MMA_ZACC_WIDTH 1u
#define PACQ_ISA_BF_POS_LSB 32u
#define PACQ_ISA_BF_POS_WIDTH 5u
#define PACQ_ISA_BF_LEN_LSB 40u
#define PACQ_ISA_BF_LEN_WIDTH 6u

/* SIMT opcodes. */
#define PACQ_OP_NOP 0x01u  /* nop */
#define PACQ_OP_EXIT 0x02u  /* exit */
#define PACQ_OP_BAR 0x03u  /* bar */
#define PACQ_OP_BRA 0x04u  /* bra */
#define PACQ_OP_BZ 0x05u  /* bz */
#define PACQ_OP_BNZ 0x06u  /* bnz */
#define PACQ_OP_SETMASK 0x07u  /* setmask */
#define PACQ_OP_UNMASK 0x08u  /* unmask */
#define PACQ_OP_S2R 0x09u  /* s2r */
#define PACQ_OP_ADD 0x10u  /* add */
#define PACQ_OP_SUB 0x11u  /* sub */
#define PACQ_OP_MUL 0x12u  /* mul */
#define PACQ_OP_AND 0x13u  /* and */
#define PACQ_OP_OR 0x14u  /* or */
#define PACQ_OP_XOR 0x15u  /* xor */
#define PACQ_OP_SHL 0x16u  /* shl */
#define PACQ_OP_SHR 0x17u  /* shr */
#define PACQ_OP_SRA 0x18u  /* sra */
#define PACQ_OP_SLT 0x19u  /* slt */
#define PACQ_OP_SLTU 0x1Au  /* sltu */
#define PACQ_OP_SEQ 0x1Bu  /* seq */
#define PACQ_OP_MIN 0x1Cu  /* min */
#define PACQ_OP_MAX 0x1Du  /* max */
#define PACQ_OP_PACK 0x1Eu  /* pack */
#define PACQ_OP_SUB2 0x1Fu  /* sub2 */
#define PACQ_OP_ADDI 0x20u  /* addi */
#define PACQ_OP_MULI 0x22u  /* muli */
#define PACQ_OP_ANDI 0x23u  /* andi */
#define PACQ_OP_ORI 0x24u  /* ori */
#define PACQ_OP_XORI 0x25u  /* xori */
#define PACQ_OP_SHLI 0x26u  /* shli */
#define PACQ_OP_SHRI 0x27u  /* shri */
#define PACQ_OP_SRAI 0x28u  /* srai */
#define PACQ_OP_SLTI 0x29u  /* slti */
#define PACQ_OP_SLTIU 0x2Au  /* sltiu */
#define PACQ_OP_SEQI 0x2Bu  /* seqi */
#define PACQ_OP_MINI 0x2Cu  /* mini */
#define PACQ_OP_MAXI 0x2Du  /* maxi */
#define PACQ_OP_BFE 0x2Eu  /* bfe */
#define PACQ_OP_UNPK 0x2Fu  /* unpk */
#define PACQ_OP_FADD 0x30u  /* fadd */
#define PACQ_OP_FSUB 0x31u  /* fsub */
#define PACQ_OP_FMUL 0x32u  /* fmul */
#define PACQ_OP_FFMA 0x33u  /* ffma */
#define PACQ_OP_I2F 0x34u  /* i2f */
#define PACQ_OP_H2F 0x35u  /* h2f */
#define PACQ_OP_H2FH 0x36u  /* h2fh */
#define PACQ_OP_F2H 0x37u  /* f2h */
#define PACQ_OP_F2H2 0x38u  /* f2h2 */
#define PACQ_OP_I2H2 0x39u  /* i2h2 */
#define PACQ_OP_HMUL2 0x3Au  /* hmul2 */
#define PACQ_OP_FMAC 0x3Bu  /* fmac */
#define PACQ_OP_LDG_U8 0x40u  /* ldg.u8 */
#define PACQ_OP_LDG_U16 0x41u  /* ldg.u16 */
#define PACQ_OP_LDG 0x42u  /* ldg */
#define PACQ_OP_LDG_64 0x43u  /* ldg.64 */
#define PACQ_OP_LDG_128 0x44u  /* ldg.128 */
#define PACQ_OP_STG_8 0x48u  /* stg.8 */
#define PACQ_OP_STG_16 0x49u  /* stg.16 */
#define PACQ_OP_STG 0x4Au  /* stg */
#define PACQ_OP_STG_64 0x4Bu  /* stg.64 */
#define PACQ_OP_STG_128 0x4Cu  /* stg.128 */
#define PACQ_OP_LDS_U8 0x50u  /* lds.u8 */
#define PACQ_OP_LDS_U16 0x51u  /* lds.u16 */
#define PACQ_OP_LDS 0x52u  /* lds */
#define PACQ_OP_LDS_64 0x53u  /* lds.64 */
#define PACQ_OP_LDS_128 0x54u  /* lds.128 */
#define PACQ_OP_STS_8 0x58u  /* sts.8 */
#define PACQ_OP_STS_16 0x59u  /* sts.16 */
#define PACQ_OP_STS 0x5Au  /* sts */
#define PACQ_OP_STS_64 0x5Bu  /* sts.64 */
#define PACQ_OP_STS_128 0x5Cu  /* sts.128 */
#define PACQ_OP_HMMA 0x60u  /* hmma */
#define PACQ_OP_PMMA 0x61u  /* pmma */
#define PACQ_OP_KMMA 0x62u  /* kmma */

#endif /* PACQ_ABI_H */
