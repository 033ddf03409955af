// pacq_lane_alu: one lane of the core's integer unit, pacq_simt_pkg::alu as a module. pacq_core
// instantiates 32 of them under SYNTHESIS, so that a hierarchical synthesis maps one lane once;
// simulation calls the function only in the cycles that issue an ALU instruction. Combinational.
module pacq_lane_alu (
  input  logic [7:0]  op_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic [31:0] imm_i,
  input  logic [4:0]  pos_i,
  input  logic [5:0]  len_i,
  output logic [31:0] r_o
);
  assign r_o = pacq_simt_pkg::alu(op_i, a_i, b_i, imm_i, pos_i, len_i);
endmodule
