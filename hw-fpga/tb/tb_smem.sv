// tb_smem: shared memory twice on the same inputs: as simulated (pacq_smem, the branch that the
// rtlsim library and every differential test run) and as its SYNTHESIS branch (pacq_smem_syn: the
// same file with that branch selected, made by the Makefile, with its 32 pacq_smem_bank block-RAM
// ports). tb_smem.cpp drives random passes and compares every bank's read data.
module tb_smem (
  input  logic            clk_i,
  input  logic            adv_i,
  input  logic [31:0]     en_i,
  input  logic            we_i,
  input  logic [7*32-1:0] row_i,
  input  logic [4095:0]   wdata_i,
  input  logic [511:0]    wstrb_i,
  output logic [8191:0]   rdata_o   // x = 0 simulated, 1 synthesis branch, at [4096x +: 4096]
);
  pacq_smem u_sim (.clk_i, .adv_i, .en_i, .we_i, .row_i, .wdata_i, .wstrb_i, .rdata_o (rdata_o[4095:0]));
  pacq_smem_syn u_syn (.clk_i, .adv_i, .en_i, .we_i, .row_i, .wdata_i, .wstrb_i, .rdata_o (rdata_o[8191:4096]));
endmodule
