// GENERATED from sw-emulator/src/main/resources/io/pacq/emu/simt/kernels/*.pasm by KernelRomFilesTest. Do not edit.
//
// Built-in GEMM kernels of the SIMT machine (docs/simt.md 9). The ROM image is
// pacq_kernel_rom.hex; a GEMM of mode m and bits b launches kernel_entry(m, b) with valid pcs
// [kernel_entry, kernel_end) and TILE_WARPS = min(warps, (smem - kernel_smem_fixed) / kernel_smem_per_warp).

package pacq_kernel_rom_pkg;

  localparam int unsigned KernelRomWords = 6219;

  // pacq_b2
  localparam int unsigned KernelPacqB2Entry = 0;
  localparam int unsigned KernelPacqB2End = 853;
  localparam int unsigned KernelPacqB2SmemFixed = 6144;
  localparam int unsigned KernelPacqB2SmemPerWarp = 8704;
  // pacq_b4
  localparam int unsigned KernelPacqB4Entry = 853;
  localparam int unsigned KernelPacqB4End = 1516;
  localparam int unsigned KernelPacqB4SmemFixed = 6144;
  localparam int unsigned KernelPacqB4SmemPerWarp = 4352;
  // pacq_b8
  localparam int unsigned KernelPacqB8Entry = 1516;
  localparam int unsigned KernelPacqB8End = 2078;
  localparam int unsigned KernelPacqB8SmemFixed = 6144;
  localparam int unsigned KernelPacqB8SmemPerWarp = 2176;
  // dequant_b2
  localparam int unsigned KernelDequantB2Entry = 2078;
  localparam int unsigned KernelDequantB2End = 2953;
  localparam int unsigned KernelDequantB2SmemFixed = 6144;
  localparam int unsigned KernelDequantB2SmemPerWarp = 8704;
  // dequant_b4
  localparam int unsigned KernelDequantB4Entry = 2953;
  localparam int unsigned KernelDequantB4End = 3596;
  localparam int unsigned KernelDequantB4SmemFixed = 6144;
  localparam int unsigned KernelDequantB4SmemPerWarp = 4352;
  // dequant_b8
  localparam int unsigned KernelDequantB8Entry = 3596;
  localparam int unsigned KernelDequantB8End = 4123;
  localparam int unsigned KernelDequantB8SmemFixed = 6144;
  localparam int unsigned KernelDequantB8SmemPerWarp = 2176;
  // kpacked_b2
  localparam int unsigned KernelKpackedB2Entry = 4123;
  localparam int unsigned KernelKpackedB2End = 4982;
  localparam int unsigned KernelKpackedB2SmemFixed = 6144;
  localparam int unsigned KernelKpackedB2SmemPerWarp = 8704;
  // kpacked_b4
  localparam int unsigned KernelKpackedB4Entry = 4982;
  localparam int unsigned KernelKpackedB4End = 5651;
  localparam int unsigned KernelKpackedB4SmemFixed = 6144;
  localparam int unsigned KernelKpackedB4SmemPerWarp = 4352;
  // kpacked_b8
  localparam int unsigned KernelKpackedB8Entry = 5651;
  localparam int unsigned KernelKpackedB8End = 6219;
  localparam int unsigned KernelKpackedB8SmemFixed = 6144;
  localparam int unsigned KernelKpackedB8SmemPerWarp = 2176;

  // kernel_entry(mode, bits): mode is an ABI Mode value, bits 2, 4 or 8; 0 otherwise.
  function automatic int unsigned kernel_entry(input logic [7:0] mode, input logic [7:0] bits);
    case ({mode, bits})
      {8'd0, 8'd2}: kernel_entry = KernelPacqB2Entry;
      {8'd0, 8'd4}: kernel_entry = KernelPacqB4Entry;
      {8'd0, 8'd8}: kernel_entry = KernelPacqB8Entry;
      {8'd1, 8'd2}: kernel_entry = KernelDequantB2Entry;
      {8'd1, 8'd4}: kernel_entry = KernelDequantB4Entry;
      {8'd1, 8'd8}: kernel_entry = KernelDequantB8Entry;
      {8'd2, 8'd2}: kernel_entry = KernelKpackedB2Entry;
      {8'd2, 8'd4}: kernel_entry = KernelKpackedB4Entry;
      {8'd2, 8'd8}: kernel_entry = KernelKpackedB8Entry;
      default: kernel_entry = 0;
    endcase
  endfunction

  // kernel_end(mode, bits): mode is an ABI Mode value, bits 2, 4 or 8; 0 otherwise.
  function automatic int unsigned kernel_end(input logic [7:0] mode, input logic [7:0] bits);
    case ({mode, bits})
      {8'd0, 8'd2}: kernel_end = KernelPacqB2End;
      {8'd0, 8'd4}: kernel_end = KernelPacqB4End;
      {8'd0, 8'd8}: kernel_end = KernelPacqB8End;
      {8'd1, 8'd2}: kernel_end = KernelDequantB2End;
      {8'd1, 8'd4}: kernel_end = KernelDequantB4End;
      {8'd1, 8'd8}: kernel_end = KernelDequantB8End;
      {8'd2, 8'd2}: kernel_end = KernelKpackedB2End;
      {8'd2, 8'd4}: kernel_end = KernelKpackedB4End;
      {8'd2, 8'd8}: kernel_end = KernelKpackedB8End;
      default: kernel_end = 0;
    endcase
  endfunction

  // kernel_smem_fixed(mode, bits): mode is an ABI Mode value, bits 2, 4 or 8; 0 otherwise.
  function automatic int unsigned kernel_smem_fixed(input logic [7:0] mode, input logic [7:0] bits);
    case ({mode, bits})
      {8'd0, 8'd2}: kernel_smem_fixed = KernelPacqB2SmemFixed;
      {8'd0, 8'd4}: kernel_smem_fixed = KernelPacqB4SmemFixed;
      {8'd0, 8'd8}: kernel_smem_fixed = KernelPacqB8SmemFixed;
      {8'd1, 8'd2}: kernel_smem_fixed = KernelDequantB2SmemFixed;
      {8'd1, 8'd4}: kernel_smem_fixed = KernelDequantB4SmemFixed;
      {8'd1, 8'd8}: kernel_smem_fixed = KernelDequantB8SmemFixed;
      {8'd2, 8'd2}: kernel_smem_fixed = KernelKpackedB2SmemFixed;
      {8'd2, 8'd4}: kernel_smem_fixed = KernelKpackedB4SmemFixed;
      {8'd2, 8'd8}: kernel_smem_fixed = KernelKpackedB8SmemFixed;
      default: kernel_smem_fixed = 0;
    endcase
  endfunction

  // kernel_smem_per_warp(mode, bits): mode is an ABI Mode value, bits 2, 4 or 8; 0 otherwise.
  function automatic int unsigned kernel_smem_per_warp(input logic [7:0] mode, input logic [7:0] bits);
    case ({mode, bits})
      {8'd0, 8'd2}: kernel_smem_per_warp = KernelPacqB2SmemPerWarp;
      {8'd0, 8'd4}: kernel_smem_per_warp = KernelPacqB4SmemPerWarp;
      {8'd0, 8'd8}: kernel_smem_per_warp = KernelPacqB8SmemPerWarp;
      {8'd1, 8'd2}: kernel_smem_per_warp = KernelDequantB2SmemPerWarp;
      {8'd1, 8'd4}: kernel_smem_per_warp = KernelDequantB4SmemPerWarp;
      {8'd1, 8'd8}: kernel_smem_per_warp = KernelDequantB8SmemPerWarp;
      {8'd2, 8'd2}: kernel_smem_per_warp = KernelKpackedB2SmemPerWarp;
      {8'd2, 8'd4}: kernel_smem_per_warp = KernelKpackedB4SmemPerWarp;
      {8'd2, 8'd8}: kernel_smem_per_warp = KernelKpackedB8SmemPerWarp;
      default: kernel_smem_per_warp = 0;
    endcase
  endfunction

endpackage
