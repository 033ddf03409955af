// pacq_lane_fpu (synthesis only): one lane of the core's FP unit (FADD/FSUB/FMUL/FFMA, the
// conversions and HMUL2), pacq_simt_pkg::fpu as a module, so the synthesis report can count the
// 32 lanes of a core. Combinational (the core pipelines it over LAT_FPU cycles).
module pacq_lane_fpu (
  input  logic [7:0]  op_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic [31:0] c_i,
  output logic [31:0] r_o
);
  assign r_o = pacq_simt_pkg::fpu(op_i, a_i, b_i, c_i);
endmodule
