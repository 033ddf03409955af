// GENERATED from host-runtime/src/main/abi/pacq_abi.json by AbiGenerator. Do not edit.
//
// PacQ device ABI: the one source of every constant shared by the RTL, the emulator and the host. Generated into host-runtime/src/main/java/io/pacq/abi/Abi.java, hw-fpga/rtl/pacq_abi_pkg.sv and hw-fpga/sim/pacq_abi.h by AbiGenerator; AbiGeneratedFilesTest fails when they are stale.

package pacq_abi_pkg;

  localparam int unsigned AbiVersionMajor = 1;
  localparam int unsigned AbiVersionMinor = 0;

  // Value of register ID: the bytes 'PACQ' read as a little-endian u32.
  localparam int unsigned Magic = 32'h51434150;
  // Size of the control-register window (AXI4-Lite, 32-bit registers).
  localparam int unsigned RegWindowBytes = 32'h1000;
  // Every operand address in a descriptor is a multiple of this many bytes (one AXI burst beat group).
  localparam int unsigned MemAlign = 32'h40;
  // Width of a packed weight word: 4 x INT4, 8 x INT2 or 2 x INT8 codes along N.
  localparam int unsigned WordBits = 32'h10;
  // Packed words per strip row (32 bytes): a strip is 16 words wide, i.e. 64 INT4, 128 INT2 or 32 INT8 columns.
  localparam int unsigned StripWords = 32'h10;
  // Largest group_cols (a power of two; it must divide the narrowest strip, 32 INT8 columns).
  localparam int unsigned MaxGroupCols = 32'h20;
  // group_size must be a multiple of this (the k-step of the matrix units).
  localparam int unsigned GroupKMultiple = 32'h10;
  // Largest M, N or K a descriptor may name.
  localparam int unsigned MaxDim = 32'h100000;

  // Control registers: byte offsets in the control window.
  localparam logic [11:0] RegId = 12'h000;  // ro
  localparam logic [11:0] RegAbiVersion = 12'h004;  // ro
  localparam logic [11:0] RegCtrl = 12'h008;  // rw
  localparam logic [11:0] RegStatus = 12'h00C;  // ro
  localparam logic [11:0] RegRingBaseLo = 12'h010;  // rw
  localparam logic [11:0] RegRingBaseHi = 12'h014;  // rw
  localparam logic [11:0] RegRingEntries = 12'h018;  // rw
  localparam logic [11:0] RegCplBaseLo = 12'h01C;  // rw
  localparam logic [11:0] RegCplBaseHi = 12'h020;  // rw
  localparam logic [11:0] RegSqTail = 12'h024;  // rw
  localparam logic [11:0] RegSqHead = 12'h028;  // ro
  localparam logic [11:0] RegCplCount = 12'h02C;  // ro
  localparam logic [11:0] RegIrqStatus = 12'h030;  // w1c
  localparam logic [11:0] RegErrCode = 12'h034;  // ro
  localparam logic [11:0] RegErrInfo = 12'h038;  // ro
  localparam logic [11:0] RegScratch = 12'h03C;  // rw
  localparam logic [11:0] RegCyclesLo = 12'h040;  // ro
  localparam logic [11:0] RegCyclesHi = 12'h044;  // ro
  localparam logic [11:0] RegCapCores = 12'h080;  // ro
  localparam logic [11:0] RegCapWarps = 12'h084;  // ro
  localparam logic [11:0] RegCapLanes = 12'h088;  // ro
  localparam logic [11:0] RegCapBits = 12'h08C;  // ro
  localparam logic [11:0] RegCapModes = 12'h090;  // ro
  localparam logic [11:0] RegCapOpcodes = 12'h094;  // ro
  localparam logic [11:0] RegCapMemLo = 12'h098;  // ro
  localparam logic [11:0] RegCapMemHi = 12'h09C;  // ro
  localparam logic [11:0] RegCapMaxRing = 12'h0A0;  // ro
  localparam logic [11:0] RegCapClockKhz = 12'h0A4;  // ro
  localparam logic [11:0] RegCapSmemBytes = 12'h0A8;  // ro
  localparam logic [11:0] RegCapMmaUnits = 12'h0AC;  // ro
  localparam logic [11:0] RegCapModel = 12'h0B0;  // ro

  // Fields of ABI_VERSION (bit positions and widths)
  localparam int unsigned AbiVersionMinorLsb = 0;
  localparam int unsigned AbiVersionMinorWidth = 16;
  localparam int unsigned AbiVersionMajorLsb = 16;
  localparam int unsigned AbiVersionMajorWidth = 16;

  // Fields of CTRL (bit positions and widths)
  localparam int unsigned CtrlEnableLsb = 0;
  localparam int unsigned CtrlEnableWidth = 1;
  localparam int unsigned CtrlIrqEnLsb = 1;
  localparam int unsigned CtrlIrqEnWidth = 1;
  localparam int unsigned CtrlSoftResetLsb = 31;
  localparam int unsigned CtrlSoftResetWidth = 1;

  // Fields of STATUS (bit positions and widths)
  localparam int unsigned StatusBusyLsb = 0;
  localparam int unsigned StatusBusyWidth = 1;
  localparam int unsigned StatusErrorLsb = 1;
  localparam int unsigned StatusErrorWidth = 1;

  // Fields of IRQ_STATUS (bit positions and widths)
  localparam int unsigned IrqStatusCplLsb = 0;
  localparam int unsigned IrqStatusCplWidth = 1;
  localparam int unsigned IrqStatusErrLsb = 1;
  localparam int unsigned IrqStatusErrWidth = 1;

  // Command descriptor opcodes.
  localparam logic [7:0] OpcodeNop = 8'd0;
  localparam logic [7:0] OpcodeGemm = 8'd1;
  localparam logic [7:0] OpcodeLaunch = 8'd2;

  // GEMM modes (numerics contract).
  localparam logic [7:0] ModePacq = 8'd0;
  localparam logic [7:0] ModeDequant = 8'd1;
  localparam logic [7:0] ModeKpacked = 8'd2;

  // Completion status codes (also ERR_CODE).
  localparam logic [7:0] StatusOk = 8'd0;
  localparam logic [7:0] StatusBadOpcode = 8'd1;
  localparam logic [7:0] StatusBadDescriptor = 8'd2;
  localparam logic [7:0] StatusAddressFault = 8'd3;
  localparam logic [7:0] StatusIllegalInstruction = 8'd4;
  localparam logic [7:0] StatusDivergence = 8'd5;
  localparam logic [7:0] StatusWatchdog = 8'd6;
  localparam logic [7:0] StatusAborted = 8'd7;
  localparam logic [7:0] StatusInternal = 8'd8;

  // What implements the device (CAP_MODEL).
  localparam logic [7:0] ModelEmuFunctional = 8'd1;
  localparam logic [7:0] ModelEmuCycle = 8'd2;
  localparam logic [7:0] ModelRtlSim = 8'd3;
  localparam logic [7:0] ModelFpga = 8'd4;

  // Desc.FLAGS bits. (bit positions)
  localparam int unsigned DescFlagsOutF32Bit = 0;
  localparam int unsigned DescFlagsSymmetricBit = 1;
  localparam int unsigned DescFlagsIrqBit = 2;

  // Command descriptor, little-endian, in the ring at RING_BASE + slot * DESC_BYTES. Bytes not named are zero.
  localparam int unsigned DescBytes = 128;
  localparam int unsigned DescOpcodeOffset = 0;  // u8
  localparam int unsigned DescOpcodeBytes = 1;
  localparam int unsigned DescModeOffset = 1;  // u8
  localparam int unsigned DescModeBytes = 1;
  localparam int unsigned DescBitsOffset = 2;  // u8
  localparam int unsigned DescBitsBytes = 1;
  localparam int unsigned DescFlagsOffset = 3;  // u8
  localparam int unsigned DescFlagsBytes = 1;
  localparam int unsigned DescSeqOffset = 4;  // u32
  localparam int unsigned DescSeqBytes = 4;
  localparam int unsigned DescMOffset = 8;  // u32
  localparam int unsigned DescMBytes = 4;
  localparam int unsigned DescNOffset = 12;  // u32
  localparam int unsigned DescNBytes = 4;
  localparam int unsigned DescKOffset = 16;  // u32
  localparam int unsigned DescKBytes = 4;
  localparam int unsigned DescGroupSizeOffset = 20;  // u32
  localparam int unsigned DescGroupSizeBytes = 4;
  localparam int unsigned DescGroupColsOffset = 24;  // u32
  localparam int unsigned DescGroupColsBytes = 4;
  localparam int unsigned DescAddrAOffset = 32;  // u64
  localparam int unsigned DescAddrABytes = 8;
  localparam int unsigned DescAddrWOffset = 40;  // u64
  localparam int unsigned DescAddrWBytes = 8;
  localparam int unsigned DescAddrScalesOffset = 48;  // u64
  localparam int unsigned DescAddrScalesBytes = 8;
  localparam int unsigned DescAddrZerosOffset = 56;  // u64
  localparam int unsigned DescAddrZerosBytes = 8;
  localparam int unsigned DescAddrCOffset = 64;  // u64
  localparam int unsigned DescAddrCBytes = 8;

  // Completion record, little-endian, at CPL_BASE + slot * CPL_BYTES. Counters count the work of this command only.
  localparam int unsigned CplBytes = 128;
  localparam int unsigned CplSeqOffset = 0;  // u32
  localparam int unsigned CplSeqBytes = 4;
  localparam int unsigned CplStatusOffset = 4;  // u32
  localparam int unsigned CplStatusBytes = 4;
  localparam int unsigned CplCyclesOffset = 8;  // u64
  localparam int unsigned CplCyclesBytes = 8;
  localparam int unsigned CplInstructionsOffset = 16;  // u64
  localparam int unsigned CplInstructionsBytes = 8;
  localparam int unsigned CplRfReadsOffset = 24;  // u64
  localparam int unsigned CplRfReadsBytes = 8;
  localparam int unsigned CplRfWritesOffset = 32;  // u64
  localparam int unsigned CplRfWritesBytes = 8;
  localparam int unsigned CplSmemBytesOffset = 40;  // u64
  localparam int unsigned CplSmemBytesBytes = 8;
  localparam int unsigned CplDmemReadBytesOffset = 48;  // u64
  localparam int unsigned CplDmemReadBytesBytes = 8;
  localparam int unsigned CplDmemWriteBytesOffset = 56;  // u64
  localparam int unsigned CplDmemWriteBytesBytes = 8;
  localparam int unsigned CplMulOpsOffset = 64;  // u64
  localparam int unsigned CplMulOpsBytes = 8;
  localparam int unsigned CplAddOpsOffset = 72;  // u64
  localparam int unsigned CplAddOpsBytes = 8;
  localparam int unsigned CplStallMemOffset = 80;  // u64
  localparam int unsigned CplStallMemBytes = 8;
  localparam int unsigned CplStallDepOffset = 88;  // u64
  localparam int unsigned CplStallDepBytes = 8;
  localparam int unsigned CplStallUnitOffset = 96;  // u64
  localparam int unsigned CplStallUnitBytes = 8;
  localparam int unsigned CplStallBarrierOffset = 104;  // u64
  localparam int unsigned CplStallBarrierBytes = 8;
  localparam int unsigned CplErrInfoOffset = 112;  // u64
  localparam int unsigned CplErrInfoBytes = 8;

endpackage
