// pacq_prog_rom: the kernel ROM (docs/simt.md 9.3) with one asynchronous read port: one instance per
// core fetch port (pacq_engine). The image is generated from the Java model's kernels
// (rtl/pacq_kernel_rom.hex, KernelRomFilesTest); words past it read as zero.
//
// Asynchronous because a core expects the word at the address it registered in the cycle before
// (docs/rtl.md 4): this is a distributed ROM (LUTs) on UltraScale+, not a block RAM.
module pacq_prog_rom (
  input  logic [$clog2(pacq_abi_pkg::ProgRomWords)-1:0] addr_i,
  output logic [63:0]                                   data_o
);
  logic [63:0] rom_q [pacq_abi_pkg::ProgRomWords];
  initial begin
    for (int i = pacq_kernel_rom_pkg::KernelRomWords; i < pacq_abi_pkg::ProgRomWords; i++) rom_q[i] = 64'b0;
`ifdef PACQ_KERNEL_ROM_HEX
    // Yosys (syn/synth.sh): the same image read from the .hex; the 6219 initial assignments below
    // take its front end ~40 s, $readmemh ~1 s. Verilator and Vivado take the assignments (no file
    // to find when a simulation library is loaded).
    $readmemh(`PACQ_KERNEL_ROM_HEX, rom_q, 0, pacq_kernel_rom_pkg::KernelRomWords - 1);
`else
`include "pacq_kernel_rom_init.svh"
`endif
  end
  assign data_o = rom_q[addr_i];
endmodule
