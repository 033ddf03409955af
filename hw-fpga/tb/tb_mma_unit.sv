// tb_mma_unit: the matrix unit twice on the same inputs: as simulated (pacq_mma_unit, the branch
// that the rtlsim library and every differential test run) and as Yosys reads the SYNTHESIS branch
// (pacq_mma_unit_syn: `proc` output of the same file, made by the Makefile, with pacq_mma_slot and
// pacq_mma_acc instances). tb_mma_unit.cpp compares the two d_o in every cycle.
module tb_mma_unit (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               clear_i,
  input  logic               adv_i,
  input  logic               start_i,
  input  logic [1:0]         kind_i,
  input  logic [1:0]         bsel_i,
  input  logic [3:0]         cpw_i,
  input  logic [9:0]         busy_i,
  input  logic [256*16-1:0]  a_i,
  input  logic [256*16-1:0]  b_i,
  input  logic [128*8-1:0]   z_i,
  input  logic [2048*32-1:0] c_i,
  output logic [2048*32-1:0] d_sim_o,
  output logic [2048*32-1:0] d_syn_o
);
  pacq_mma_unit u_sim (
    .clk_i, .rst_ni, .clear_i, .adv_i, .start_i, .kind_i, .bsel_i, .cpw_i, .busy_i, .a_i, .b_i,
    .z_i, .c_i, .d_o (d_sim_o)
  );
  pacq_mma_unit_syn u_syn (
    .clk_i, .rst_ni, .clear_i, .adv_i, .start_i, .kind_i, .bsel_i, .cpw_i, .busy_i, .a_i, .b_i,
    .z_i, .c_i, .d_o (d_syn_o)
  );
endmodule
