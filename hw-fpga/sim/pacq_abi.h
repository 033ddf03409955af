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

#endif /* PACQ_ABI_H */
