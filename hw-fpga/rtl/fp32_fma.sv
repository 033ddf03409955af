// fp32_fma: RN32(a * b + c) with a single rounding (FFMA), IEEE 754 binary32 with subnormals,
// signed zeros and canonical NaN (pacq_fp_pkg::fp32_fma: exact sum in a 128-bit window, one
// rounding). Latency 0 (combinational), throughput 1 per cycle.
module fp32_fma (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic [31:0] c_i,
  output logic [31:0] r_o
);
  assign r_o = pacq_fp_pkg::fp32_fma(a_i, b_i, c_i);
endmodule
