// fp32_mul: RN32(a * b), IEEE 754 binary32 with subnormals, Inf * 0 = NaN, signed zeros and
// canonical NaN (pacq_fp_pkg::fp32_mul). The FMUL lanes and the kernels' per-group scale multiply.
// Latency 0 (combinational), throughput 1 per cycle.
module fp32_mul (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] prod_o
);
  assign prod_o = pacq_fp_pkg::fp32_mul(a_i, b_i);
endmodule
