// fp16_mul: the exact product of two binary16 values as binary32 (at most 22 significant bits, so
// always exact and normal); Inf * 0 = NaN, NaN canonical (pacq_fp_pkg::fp16_mul). The baseline
// FP16 multiplier: one 11 x 11-bit significand multiplier, an exponent adder and a normaliser;
// HMMA's products and, rounded by RN16, HMUL2's. Compared with pacq_fpint_mul in the synthesis
// report. Latency 0 (combinational), throughput 1 per cycle.
module fp16_mul (
  input  logic [15:0] a_i,
  input  logic [15:0] b_i,
  output logic [31:0] prod_o
);
  assign prod_o = pacq_fp_pkg::fp16_mul(a_i, b_i);
endmodule
