// fp32_add: RN32(a + b), IEEE 754 binary32 with subnormals, +-Inf, signed zeros and canonical NaN
// (pacq_fp_pkg::fp32_add has the algorithm). The FP32 accumulation adder of the matrix units and
// the FADD/FSUB lanes. Latency 0 (combinational), throughput 1 per cycle.
module fp32_add (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] sum_o
);
  assign sum_o = pacq_fp_pkg::fp32_add(a_i, b_i);
endmodule
