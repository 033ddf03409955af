// fp16_to_fp32: binary16 -> binary32, exact (FP16 subnormals become FP32 normals), NaN canonical
// (pacq_fp_pkg::fp16_to_fp32). H2F/H2FH. Latency 0 (combinational).
module fp16_to_fp32 (
  input  logic [15:0] h_i,
  output logic [31:0] f_o
);
  assign f_o = pacq_fp_pkg::fp16_to_fp32(h_i);
endmodule
