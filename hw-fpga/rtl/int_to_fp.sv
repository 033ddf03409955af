// int_to_fp: I2F (RN32 of a signed 32-bit integer) and I2H2 (RN16 of each signed 16-bit half)
// (pacq_fp_pkg::i32_to_fp32, i16_to_fp16). Latency 0 (combinational).
module int_to_fp (
  input  logic [31:0] x_i,
  output logic [31:0] f32_o,   // RN32(x)
  output logic [31:0] h2_o     // {RN16(x[31:16]), RN16(x[15:0])}
);
  assign f32_o = pacq_fp_pkg::i32_to_fp32(x_i);
  assign h2_o  = {pacq_fp_pkg::i16_to_fp16(x_i[31:16]), pacq_fp_pkg::i16_to_fp16(x_i[15:0])};
endmodule
