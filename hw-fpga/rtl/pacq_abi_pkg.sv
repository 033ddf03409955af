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
  // SIMT machine (docs/simt.md): threads (lanes) per warp. Fixed by the ISA: matrix fragments are laid out over 32 lanes.
  localparam int unsigned SimtLanes = 32'h20;
  // 32-bit registers per lane, r0 .. r127; r0 reads as zero and ignores writes.
  localparam int unsigned SimtRegs = 32'h80;
  // Largest number of warps per core.
  localparam int unsigned SimtMaxWarps = 32'h10;
  // Largest number of cores.
  localparam int unsigned SimtMaxCores = 32'h40;
  // Kernel argument words (special registers ARG0 .. ARG15, descriptor field LAUNCH_ARGS).
  localparam int unsigned KernelArgs = 32'h10;
  // Program addresses 0 .. PROG_ROM_WORDS-1 hold the built-in kernel ROM (64-bit instruction words).
  localparam int unsigned ProgRomWords = 32'h2000;
  // Program address at which a LAUNCH command loads its program.
  localparam int unsigned ProgRamBase = 32'h2000;
  // Instruction words of program RAM (largest LAUNCH program).
  localparam int unsigned ProgRamWords = 32'h1000;
  // Device-memory transaction: a warp global access moves one transaction per distinct aligned 64-byte block its active lanes touch.
  localparam int unsigned DmemTxBytes = 32'h40;
  // Multipliers per matrix unit: FP16 x FP16 multipliers that are also PacQ parallel FP16 x packed-word multipliers.
  localparam int unsigned MmaMultipliers = 32'h40;
  // FP32 accumulation adders per matrix unit (4 per multiplier).
  localparam int unsigned MmaAdders = 32'h100;
  // Cycles from issue of an integer/control/S2R instruction until a dependent instruction may issue.
  localparam int unsigned LatAlu = 32'h1;
  // Cycles from issue of an FP32/FP16/conversion instruction until a dependent instruction may issue.
  localparam int unsigned LatFpu = 32'h4;
  // Cycles from a shared-memory load's last pass until a dependent instruction may issue.
  localparam int unsigned LatSmem = 32'h4;
  // Banks of shared memory: the 16-byte word at byte address a lies in bank (a / SMEM_BANK_BYTES) mod SMEM_BANKS.
  localparam int unsigned SmemBanks = 32'h20;
  // Bytes of one bank's row: a shared-memory pass reads or writes one row per bank.
  localparam int unsigned SmemBankBytes = 32'h10;
  // Cycles after a matrix unit's busy time until the accumulators written by the instruction may be used.
  localparam int unsigned LatMmaDrain = 32'h4;
  // Cycles from the start of a tile on a core until its warps may issue.
  localparam int unsigned TileLaunchCycles = 32'h4;
  // Fixed command-processor cycles of every GEMM or LAUNCH command (descriptor fetch, decode, completion write).
  localparam int unsigned CmdOverheadCycles = 32'h40;
  // Global memory instructions a core may have in flight (issued, not completed).
  localparam int unsigned MemMaxInflight = 32'h8;
  // Kernel cycle budget of a LAUNCH whose LAUNCH_MAX_CYCLES is 0.
  localparam int unsigned WatchdogDefaultCycles = 32'h40000000;
  // Default SIMT cores of the cycle model and the RTL.
  localparam int unsigned DefaultCores = 32'h2;
  // Default warps per core.
  localparam int unsigned DefaultWarps = 32'h4;
  // Default matrix units per core.
  localparam int unsigned DefaultMmaUnits = 32'h1;
  // Default shared memory per core (64 KiB).
  localparam int unsigned DefaultSmemBytes = 32'h10000;
  // Default device-memory latency in cycles (fixed, after a transaction's channel slot).
  localparam int unsigned DefaultDmemLatency = 32'h28;
  // Default device-memory bandwidth in bytes per cycle (8, 16, 32 or 64): one transaction per 64/this cycles.
  localparam int unsigned DefaultDmemBytesPerCycle = 32'h20;
  // Core clock the cycle model assumes (200 MHz), reported in CAP_CLOCK_KHZ.
  localparam int unsigned DefaultClockKhz = 32'h30D40;
  // Rows of C per GEMM tile (one matrix-instruction row block).
  localparam int unsigned GemmTileM = 32'h10;

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
  localparam logic [11:0] RegCapDmemLatency = 12'h0B4;  // ro
  localparam logic [11:0] RegCapDmemBw = 12'h0B8;  // ro

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

  // SIMT functional units (docs/simt.md, timing).
  localparam logic [7:0] UnitCtrl = 8'd0;
  localparam logic [7:0] UnitAlu = 8'd1;
  localparam logic [7:0] UnitFpu = 8'd2;
  localparam logic [7:0] UnitLsu = 8'd3;
  localparam logic [7:0] UnitMma = 8'd4;

  // SIMT instruction formats: which fields an instruction uses and its assembly syntax.
  localparam logic [7:0] FormatN = 8'd0;
  localparam logic [7:0] FormatR = 8'd1;
  localparam logic [7:0] FormatI = 8'd2;
  localparam logic [7:0] FormatU = 8'd3;
  localparam logic [7:0] FormatSr = 8'd4;
  localparam logic [7:0] FormatLd = 8'd5;
  localparam logic [7:0] FormatSt = 8'd6;
  localparam logic [7:0] FormatJ = 8'd7;
  localparam logic [7:0] FormatBr = 8'd8;
  localparam logic [7:0] FormatM = 8'd9;
  localparam logic [7:0] FormatMh = 8'd10;
  localparam logic [7:0] FormatMq = 8'd11;

  // SIMT special registers read by S2R (same value in every lane unless noted).
  localparam logic [7:0] SregLane = 8'd0;
  localparam logic [7:0] SregWarp = 8'd1;
  localparam logic [7:0] SregCore = 8'd2;
  localparam logic [7:0] SregTileX = 8'd3;
  localparam logic [7:0] SregTileY = 8'd4;
  localparam logic [7:0] SregNwarps = 8'd5;
  localparam logic [7:0] SregNcores = 8'd6;
  localparam logic [7:0] SregNtilesX = 8'd7;
  localparam logic [7:0] SregNtilesY = 8'd8;
  localparam logic [7:0] SregSmemBytes = 8'd9;
  localparam logic [7:0] SregArg0 = 8'd16;
  localparam logic [7:0] SregArg1 = 8'd17;
  localparam logic [7:0] SregArg2 = 8'd18;
  localparam logic [7:0] SregArg3 = 8'd19;
  localparam logic [7:0] SregArg4 = 8'd20;
  localparam logic [7:0] SregArg5 = 8'd21;
  localparam logic [7:0] SregArg6 = 8'd22;
  localparam logic [7:0] SregArg7 = 8'd23;
  localparam logic [7:0] SregArg8 = 8'd24;
  localparam logic [7:0] SregArg9 = 8'd25;
  localparam logic [7:0] SregArg10 = 8'd26;
  localparam logic [7:0] SregArg11 = 8'd27;
  localparam logic [7:0] SregArg12 = 8'd28;
  localparam logic [7:0] SregArg13 = 8'd29;
  localparam logic [7:0] SregArg14 = 8'd30;
  localparam logic [7:0] SregArg15 = 8'd31;

  // Kernel arguments the command processor passes to a built-in GEMM kernel (index into ARG0 ..). Addresses are the descriptor's (below 4 GiB).
  localparam logic [7:0] GemmArgM = 8'd0;
  localparam logic [7:0] GemmArgN = 8'd1;
  localparam logic [7:0] GemmArgK = 8'd2;
  localparam logic [7:0] GemmArgGroupSize = 8'd3;
  localparam logic [7:0] GemmArgGroupColsLog2 = 8'd4;
  localparam logic [7:0] GemmArgFlags = 8'd5;
  localparam logic [7:0] GemmArgAddrA = 8'd6;
  localparam logic [7:0] GemmArgAddrW = 8'd7;
  localparam logic [7:0] GemmArgAddrScales = 8'd8;
  localparam logic [7:0] GemmArgAddrZeros = 8'd9;
  localparam logic [7:0] GemmArgAddrC = 8'd10;
  localparam logic [7:0] GemmArgStrips = 8'd11;
  localparam logic [7:0] GemmArgPaddedN = 8'd12;
  localparam logic [7:0] GemmArgGroups = 8'd13;
  localparam logic [7:0] GemmArgTileWarps = 8'd14;

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
  localparam int unsigned DescLaunchTilesXOffset = 8;  // u32
  localparam int unsigned DescLaunchTilesXBytes = 4;
  localparam int unsigned DescLaunchTilesYOffset = 12;  // u32
  localparam int unsigned DescLaunchTilesYBytes = 4;
  localparam int unsigned DescLaunchProgWordsOffset = 16;  // u32
  localparam int unsigned DescLaunchProgWordsBytes = 4;
  localparam int unsigned DescLaunchEntryOffset = 20;  // u32
  localparam int unsigned DescLaunchEntryBytes = 4;
  localparam int unsigned DescLaunchMaxCyclesOffset = 24;  // u32
  localparam int unsigned DescLaunchMaxCyclesBytes = 4;
  localparam int unsigned DescLaunchProgAddrOffset = 32;  // u64
  localparam int unsigned DescLaunchProgAddrBytes = 8;
  localparam int unsigned DescLaunchArgsOffset = 40;  // u32
  localparam int unsigned DescLaunchArgsBytes = 64;

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

  // The PacQ SIMT instruction set (normative text: docs/simt.md). Every instruction is one little-endian 64-bit word. An opcode not listed, a register field >= SIMT_REGS, or a register group running past r127 is an illegal instruction. Fields a format does not use are ignored (the assembler writes 0).
  // Instruction fields: bit position (Lsb) and width in the 64-bit instruction word.
  localparam int unsigned IsaOpcodeLsb = 0;  // Opcode.
  localparam int unsigned IsaOpcodeWidth = 8;
  localparam int unsigned IsaRdLsb = 8;  // Destination register (first of a group).
  localparam int unsigned IsaRdWidth = 8;
  localparam int unsigned IsaRaLsb = 16;  // First source register (address base of memory instructions).
  localparam int unsigned IsaRaWidth = 8;
  localparam int unsigned IsaRbLsb = 24;  // Second source register (data of stores).
  localparam int unsigned IsaRbWidth = 8;
  localparam int unsigned IsaImmLsb = 32;  // Immediate, signed 32-bit (branch offset in instructions, relative to the branch).
  localparam int unsigned IsaImmWidth = 32;
  localparam int unsigned IsaMmaRzLsb = 32;  // PMMA/KMMA: zero-point register (IMM[7:0]).
  localparam int unsigned IsaMmaRzWidth = 8;
  localparam int unsigned IsaMmaBitsLsb = 40;  // PMMA/KMMA: weight code width 2, 4 or 8 (IMM[15:8]); other values are illegal.
  localparam int unsigned IsaMmaBitsWidth = 8;
  localparam int unsigned IsaMmaZaccLsb = 48;  // HMMA/PMMA/KMMA: accumulate from +0.0 instead of rd (.z suffix, IMM[16]).
  localparam int unsigned IsaMmaZaccWidth = 1;
  localparam int unsigned IsaBfPosLsb = 32;  // BFE/UNPK: bit position (IMM[4:0]).
  localparam int unsigned IsaBfPosWidth = 5;
  localparam int unsigned IsaBfLenLsb = 40;  // BFE/UNPK: field length (IMM[13:8]).
  localparam int unsigned IsaBfLenWidth = 6;

  // Opcodes.
  localparam logic [7:0] OpNop = 8'h01;  // nop
  localparam logic [7:0] OpExit = 8'h02;  // exit
  localparam logic [7:0] OpBar = 8'h03;  // bar
  localparam logic [7:0] OpBra = 8'h04;  // bra
  localparam logic [7:0] OpBz = 8'h05;  // bz
  localparam logic [7:0] OpBnz = 8'h06;  // bnz
  localparam logic [7:0] OpSetmask = 8'h07;  // setmask
  localparam logic [7:0] OpUnmask = 8'h08;  // unmask
  localparam logic [7:0] OpS2r = 8'h09;  // s2r
  localparam logic [7:0] OpAdd = 8'h10;  // add
  localparam logic [7:0] OpSub = 8'h11;  // sub
  localparam logic [7:0] OpMul = 8'h12;  // mul
  localparam logic [7:0] OpAnd = 8'h13;  // and
  localparam logic [7:0] OpOr = 8'h14;  // or
  localparam logic [7:0] OpXor = 8'h15;  // xor
  localparam logic [7:0] OpShl = 8'h16;  // shl
  localparam logic [7:0] OpShr = 8'h17;  // shr
  localparam logic [7:0] OpSra = 8'h18;  // sra
  localparam logic [7:0] OpSlt = 8'h19;  // slt
  localparam logic [7:0] OpSltu = 8'h1A;  // sltu
  localparam logic [7:0] OpSeq = 8'h1B;  // seq
  localparam logic [7:0] OpMin = 8'h1C;  // min
  localparam logic [7:0] OpMax = 8'h1D;  // max
  localparam logic [7:0] OpPack = 8'h1E;  // pack
  localparam logic [7:0] OpSub2 = 8'h1F;  // sub2
  localparam logic [7:0] OpAddi = 8'h20;  // addi
  localparam logic [7:0] OpMuli = 8'h22;  // muli
  localparam logic [7:0] OpAndi = 8'h23;  // andi
  localparam logic [7:0] OpOri = 8'h24;  // ori
  localparam logic [7:0] OpXori = 8'h25;  // xori
  localparam logic [7:0] OpShli = 8'h26;  // shli
  localparam logic [7:0] OpShri = 8'h27;  // shri
  localparam logic [7:0] OpSrai = 8'h28;  // srai
  localparam logic [7:0] OpSlti = 8'h29;  // slti
  localparam logic [7:0] OpSltiu = 8'h2A;  // sltiu
  localparam logic [7:0] OpSeqi = 8'h2B;  // seqi
  localparam logic [7:0] OpMini = 8'h2C;  // mini
  localparam logic [7:0] OpMaxi = 8'h2D;  // maxi
  localparam logic [7:0] OpBfe = 8'h2E;  // bfe
  localparam logic [7:0] OpUnpk = 8'h2F;  // unpk
  localparam logic [7:0] OpFadd = 8'h30;  // fadd
  localparam logic [7:0] OpFsub = 8'h31;  // fsub
  localparam logic [7:0] OpFmul = 8'h32;  // fmul
  localparam logic [7:0] OpFfma = 8'h33;  // ffma
  localparam logic [7:0] OpI2f = 8'h34;  // i2f
  localparam logic [7:0] OpH2f = 8'h35;  // h2f
  localparam logic [7:0] OpH2fh = 8'h36;  // h2fh
  localparam logic [7:0] OpF2h = 8'h37;  // f2h
  localparam logic [7:0] OpF2h2 = 8'h38;  // f2h2
  localparam logic [7:0] OpI2h2 = 8'h39;  // i2h2
  localparam logic [7:0] OpHmul2 = 8'h3A;  // hmul2
  localparam logic [7:0] OpFmac = 8'h3B;  // fmac
  localparam logic [7:0] OpLdgU8 = 8'h40;  // ldg.u8
  localparam logic [7:0] OpLdgU16 = 8'h41;  // ldg.u16
  localparam logic [7:0] OpLdg = 8'h42;  // ldg
  localparam logic [7:0] OpLdg64 = 8'h43;  // ldg.64
  localparam logic [7:0] OpLdg128 = 8'h44;  // ldg.128
  localparam logic [7:0] OpStg8 = 8'h48;  // stg.8
  localparam logic [7:0] OpStg16 = 8'h49;  // stg.16
  localparam logic [7:0] OpStg = 8'h4A;  // stg
  localparam logic [7:0] OpStg64 = 8'h4B;  // stg.64
  localparam logic [7:0] OpStg128 = 8'h4C;  // stg.128
  localparam logic [7:0] OpLdsU8 = 8'h50;  // lds.u8
  localparam logic [7:0] OpLdsU16 = 8'h51;  // lds.u16
  localparam logic [7:0] OpLds = 8'h52;  // lds
  localparam logic [7:0] OpLds64 = 8'h53;  // lds.64
  localparam logic [7:0] OpLds128 = 8'h54;  // lds.128
  localparam logic [7:0] OpSts8 = 8'h58;  // sts.8
  localparam logic [7:0] OpSts16 = 8'h59;  // sts.16
  localparam logic [7:0] OpSts = 8'h5A;  // sts
  localparam logic [7:0] OpSts64 = 8'h5B;  // sts.64
  localparam logic [7:0] OpSts128 = 8'h5C;  // sts.128
  localparam logic [7:0] OpHmma = 8'h60;  // hmma
  localparam logic [7:0] OpPmma = 8'h61;  // pmma
  localparam logic [7:0] OpKmma = 8'h62;  // kmma

  // 1 for a defined opcode.
  function automatic logic isa_valid(input logic [7:0] op);
    case (op)
      OpNop: isa_valid = 1'b1;
      OpExit: isa_valid = 1'b1;
      OpBar: isa_valid = 1'b1;
      OpBra: isa_valid = 1'b1;
      OpBz: isa_valid = 1'b1;
      OpBnz: isa_valid = 1'b1;
      OpSetmask: isa_valid = 1'b1;
      OpUnmask: isa_valid = 1'b1;
      OpS2r: isa_valid = 1'b1;
      OpAdd: isa_valid = 1'b1;
      OpSub: isa_valid = 1'b1;
      OpMul: isa_valid = 1'b1;
      OpAnd: isa_valid = 1'b1;
      OpOr: isa_valid = 1'b1;
      OpXor: isa_valid = 1'b1;
      OpShl: isa_valid = 1'b1;
      OpShr: isa_valid = 1'b1;
      OpSra: isa_valid = 1'b1;
      OpSlt: isa_valid = 1'b1;
      OpSltu: isa_valid = 1'b1;
      OpSeq: isa_valid = 1'b1;
      OpMin: isa_valid = 1'b1;
      OpMax: isa_valid = 1'b1;
      OpPack: isa_valid = 1'b1;
      OpSub2: isa_valid = 1'b1;
      OpAddi: isa_valid = 1'b1;
      OpMuli: isa_valid = 1'b1;
      OpAndi: isa_valid = 1'b1;
      OpOri: isa_valid = 1'b1;
      OpXori: isa_valid = 1'b1;
      OpShli: isa_valid = 1'b1;
      OpShri: isa_valid = 1'b1;
      OpSrai: isa_valid = 1'b1;
      OpSlti: isa_valid = 1'b1;
      OpSltiu: isa_valid = 1'b1;
      OpSeqi: isa_valid = 1'b1;
      OpMini: isa_valid = 1'b1;
      OpMaxi: isa_valid = 1'b1;
      OpBfe: isa_valid = 1'b1;
      OpUnpk: isa_valid = 1'b1;
      OpFadd: isa_valid = 1'b1;
      OpFsub: isa_valid = 1'b1;
      OpFmul: isa_valid = 1'b1;
      OpFfma: isa_valid = 1'b1;
      OpI2f: isa_valid = 1'b1;
      OpH2f: isa_valid = 1'b1;
      OpH2fh: isa_valid = 1'b1;
      OpF2h: isa_valid = 1'b1;
      OpF2h2: isa_valid = 1'b1;
      OpI2h2: isa_valid = 1'b1;
      OpHmul2: isa_valid = 1'b1;
      OpFmac: isa_valid = 1'b1;
      OpLdgU8: isa_valid = 1'b1;
      OpLdgU16: isa_valid = 1'b1;
      OpLdg: isa_valid = 1'b1;
      OpLdg64: isa_valid = 1'b1;
      OpLdg128: isa_valid = 1'b1;
      OpStg8: isa_valid = 1'b1;
      OpStg16: isa_valid = 1'b1;
      OpStg: isa_valid = 1'b1;
      OpStg64: isa_valid = 1'b1;
      OpStg128: isa_valid = 1'b1;
      OpLdsU8: isa_valid = 1'b1;
      OpLdsU16: isa_valid = 1'b1;
      OpLds: isa_valid = 1'b1;
      OpLds64: isa_valid = 1'b1;
      OpLds128: isa_valid = 1'b1;
      OpSts8: isa_valid = 1'b1;
      OpSts16: isa_valid = 1'b1;
      OpSts: isa_valid = 1'b1;
      OpSts64: isa_valid = 1'b1;
      OpSts128: isa_valid = 1'b1;
      OpHmma: isa_valid = 1'b1;
      OpPmma: isa_valid = 1'b1;
      OpKmma: isa_valid = 1'b1;
      default: isa_valid = 1'b0;
    endcase
  endfunction

  // Format (Format* value) of an opcode; 8'hFF when undefined.
  function automatic logic [7:0] isa_format(input logic [7:0] op);
    case (op)
      OpNop: isa_format = FormatN;
      OpExit: isa_format = FormatN;
      OpBar: isa_format = FormatN;
      OpBra: isa_format = FormatJ;
      OpBz: isa_format = FormatBr;
      OpBnz: isa_format = FormatBr;
      OpSetmask: isa_format = FormatM;
      OpUnmask: isa_format = FormatN;
      OpS2r: isa_format = FormatSr;
      OpAdd: isa_format = FormatR;
      OpSub: isa_format = FormatR;
      OpMul: isa_format = FormatR;
      OpAnd: isa_format = FormatR;
      OpOr: isa_format = FormatR;
      OpXor: isa_format = FormatR;
      OpShl: isa_format = FormatR;
      OpShr: isa_format = FormatR;
      OpSra: isa_format = FormatR;
      OpSlt: isa_format = FormatR;
      OpSltu: isa_format = FormatR;
      OpSeq: isa_format = FormatR;
      OpMin: isa_format = FormatR;
      OpMax: isa_format = FormatR;
      OpPack: isa_format = FormatR;
      OpSub2: isa_format = FormatR;
      OpAddi: isa_format = FormatI;
      OpMuli: isa_format = FormatI;
      OpAndi: isa_format = FormatI;
      OpOri: isa_format = FormatI;
      OpXori: isa_format = FormatI;
      OpShli: isa_format = FormatI;
      OpShri: isa_format = FormatI;
      OpSrai: isa_format = FormatI;
      OpSlti: isa_format = FormatI;
      OpSltiu: isa_format = FormatI;
      OpSeqi: isa_format = FormatI;
      OpMini: isa_format = FormatI;
      OpMaxi: isa_format = FormatI;
      OpBfe: isa_format = FormatI;
      OpUnpk: isa_format = FormatI;
      OpFadd: isa_format = FormatR;
      OpFsub: isa_format = FormatR;
      OpFmul: isa_format = FormatR;
      OpFfma: isa_format = FormatR;
      OpI2f: isa_format = FormatU;
      OpH2f: isa_format = FormatU;
      OpH2fh: isa_format = FormatU;
      OpF2h: isa_format = FormatU;
      OpF2h2: isa_format = FormatR;
      OpI2h2: isa_format = FormatU;
      OpHmul2: isa_format = FormatR;
      OpFmac: isa_format = FormatR;
      OpLdgU8: isa_format = FormatLd;
      OpLdgU16: isa_format = FormatLd;
      OpLdg: isa_format = FormatLd;
      OpLdg64: isa_format = FormatLd;
      OpLdg128: isa_format = FormatLd;
      OpStg8: isa_format = FormatSt;
      OpStg16: isa_format = FormatSt;
      OpStg: isa_format = FormatSt;
      OpStg64: isa_format = FormatSt;
      OpStg128: isa_format = FormatSt;
      OpLdsU8: isa_format = FormatLd;
      OpLdsU16: isa_format = FormatLd;
      OpLds: isa_format = FormatLd;
      OpLds64: isa_format = FormatLd;
      OpLds128: isa_format = FormatLd;
      OpSts8: isa_format = FormatSt;
      OpSts16: isa_format = FormatSt;
      OpSts: isa_format = FormatSt;
      OpSts64: isa_format = FormatSt;
      OpSts128: isa_format = FormatSt;
      OpHmma: isa_format = FormatMh;
      OpPmma: isa_format = FormatMq;
      OpKmma: isa_format = FormatMq;
      default: isa_format = 8'hFF;
    endcase
  endfunction

  // Functional unit (Unit* value) of an opcode; 8'hFF when undefined.
  function automatic logic [7:0] isa_unit(input logic [7:0] op);
    case (op)
      OpNop: isa_unit = UnitCtrl;
      OpExit: isa_unit = UnitCtrl;
      OpBar: isa_unit = UnitCtrl;
      OpBra: isa_unit = UnitCtrl;
      OpBz: isa_unit = UnitCtrl;
      OpBnz: isa_unit = UnitCtrl;
      OpSetmask: isa_unit = UnitCtrl;
      OpUnmask: isa_unit = UnitCtrl;
      OpS2r: isa_unit = UnitAlu;
      OpAdd: isa_unit = UnitAlu;
      OpSub: isa_unit = UnitAlu;
      OpMul: isa_unit = UnitAlu;
      OpAnd: isa_unit = UnitAlu;
      OpOr: isa_unit = UnitAlu;
      OpXor: isa_unit = UnitAlu;
      OpShl: isa_unit = UnitAlu;
      OpShr: isa_unit = UnitAlu;
      OpSra: isa_unit = UnitAlu;
      OpSlt: isa_unit = UnitAlu;
      OpSltu: isa_unit = UnitAlu;
      OpSeq: isa_unit = UnitAlu;
      OpMin: isa_unit = UnitAlu;
      OpMax: isa_unit = UnitAlu;
      OpPack: isa_unit = UnitAlu;
      OpSub2: isa_unit = UnitAlu;
      OpAddi: isa_unit = UnitAlu;
      OpMuli: isa_unit = UnitAlu;
      OpAndi: isa_unit = UnitAlu;
      OpOri: isa_unit = UnitAlu;
      OpXori: isa_unit = UnitAlu;
      OpShli: isa_unit = UnitAlu;
      OpShri: isa_unit = UnitAlu;
      OpSrai: isa_unit = UnitAlu;
      OpSlti: isa_unit = UnitAlu;
      OpSltiu: isa_unit = UnitAlu;
      OpSeqi: isa_unit = UnitAlu;
      OpMini: isa_unit = UnitAlu;
      OpMaxi: isa_unit = UnitAlu;
      OpBfe: isa_unit = UnitAlu;
      OpUnpk: isa_unit = UnitAlu;
      OpFadd: isa_unit = UnitFpu;
      OpFsub: isa_unit = UnitFpu;
      OpFmul: isa_unit = UnitFpu;
      OpFfma: isa_unit = UnitFpu;
      OpI2f: isa_unit = UnitFpu;
      OpH2f: isa_unit = UnitFpu;
      OpH2fh: isa_unit = UnitFpu;
      OpF2h: isa_unit = UnitFpu;
      OpF2h2: isa_unit = UnitFpu;
      OpI2h2: isa_unit = UnitFpu;
      OpHmul2: isa_unit = UnitFpu;
      OpFmac: isa_unit = UnitFpu;
      OpLdgU8: isa_unit = UnitLsu;
      OpLdgU16: isa_unit = UnitLsu;
      OpLdg: isa_unit = UnitLsu;
      OpLdg64: isa_unit = UnitLsu;
      OpLdg128: isa_unit = UnitLsu;
      OpStg8: isa_unit = UnitLsu;
      OpStg16: isa_unit = UnitLsu;
      OpStg: isa_unit = UnitLsu;
      OpStg64: isa_unit = UnitLsu;
      OpStg128: isa_unit = UnitLsu;
      OpLdsU8: isa_unit = UnitLsu;
      OpLdsU16: isa_unit = UnitLsu;
      OpLds: isa_unit = UnitLsu;
      OpLds64: isa_unit = UnitLsu;
      OpLds128: isa_unit = UnitLsu;
      OpSts8: isa_unit = UnitLsu;
      OpSts16: isa_unit = UnitLsu;
      OpSts: isa_unit = UnitLsu;
      OpSts64: isa_unit = UnitLsu;
      OpSts128: isa_unit = UnitLsu;
      OpHmma: isa_unit = UnitMma;
      OpPmma: isa_unit = UnitMma;
      OpKmma: isa_unit = UnitMma;
      default: isa_unit = 8'hFF;
    endcase
  endfunction

endpackage
