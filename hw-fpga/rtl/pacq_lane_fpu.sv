// pacq_lane_fpu: one lane of the core's FP unit (FADD/FSUB/FMUL/FFMA, the conversions and HMUL2),
// pacq_simt_pkg::fpu as a module. pacq_core instantiates 32 of them under SYNTHESIS, so that a
// hierarchical synthesis maps one lane once; simulation calls the function only in the cycles that
// issue an FP instruction. Combinational (the core's result ring delays it to LAT_FPU).
module pacq_lane_fpu (
  input  logic [7:0]  op_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic [31:0] c_i,
  output logic [31:0] r_o
);
  assign r_o = pacq_simt_pkg::fpu(op_i, a_i, b_i, c_i);
endmodule
