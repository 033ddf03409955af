// fp32_to_fp16: RN16, binary32 -> binary16 rounded to nearest even with subnormal results,
// overflow to Inf and NaN 0x7E00 (pacq_fp_pkg::fp32_to_fp16). F2H/F2H2 and the GEMM output
// encoding. Latency 0 (combinational).
module fp32_to_fp16 (
  input  logic [31:0] f_i,
  output logic [15:0] h_o
);
  assign h_o = pacq_fp_pkg::fp32_to_fp16(f_i);
endmodule
