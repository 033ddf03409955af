// tb_rf: the register file twice on the same inputs: as simulated (pacq_rf, the branch that the
// rtlsim library and every differential test run) and as its SYNTHESIS branch (pacq_rf_syn: the
// same file with that branch selected, made by the Makefile, with its 256 pacq_rf_cell
// live-value-table memories). Ports as pacq_core uses them on the default machine: reads A (4
// registers), B (4), C (1) and a unit's C group (8); writes ALU (1), FPU/LDS (4), global load (4)
// and a unit's D group (8). tb_rf.cpp drives random traffic and compares every read.
module tb_rf (
  input  logic            clk_i,
  input  logic [3:0]      rd_en_i,
  input  logic [4*2-1:0]  rd_warp_i,
  input  logic [4*7-1:0]  rd_base_i,
  output logic [2*32768-1:0] rd_data_o,   // x = 0 simulated, 1 synthesis branch, at [32768x +: 32768]
  input  logic [4*8-1:0]  wr_en_i,
  input  logic [4*2-1:0]  wr_warp_i,
  input  logic [4*7-1:0]  wr_base_i,
  input  logic [4*32-1:0] wr_lanes_i,
  input  logic [32767:0]  wr_data_i
);
  pacq_rf u_sim (
    .clk_i, .rd_en_i, .rd_warp_i, .rd_base_i, .rd_data_o (rd_data_o[32767:0]),
    .wr_en_i, .wr_warp_i, .wr_base_i, .wr_lanes_i, .wr_data_i
  );
  pacq_rf_syn u_syn (
    .clk_i, .rd_en_i, .rd_warp_i, .rd_base_i, .rd_data_o (rd_data_o[65535:32768]),
    .wr_en_i, .wr_warp_i, .wr_base_i, .wr_lanes_i, .wr_data_i
  );
endmodule
