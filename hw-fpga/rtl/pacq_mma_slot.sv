// pacq_mma_slot (synthesis only): one of a matrix unit's 64 multiplier slots, as the core's
// matrix step uses it: the PacQ parallel FP-INT multiplier (PMMA/KMMA, up to 8 exact FP32
// products) or the FP16 x FP16 multiplier (HMMA, one product), selected per instruction.
module pacq_mma_slot (
  input  logic            hmma_i,
  input  logic [15:0]     a_i,       // FP16 activation
  input  logic [15:0]     b_i,       // packed word (PMMA/KMMA) or FP16 (HMMA)
  input  logic [15:0]     z_i,
  input  logic [1:0]      bits_i,
  output logic [8*32-1:0] prod_o
);
  logic [8*32-1:0] pacq;
  logic [31:0]     half;
  pacq_fpint_mul u_pacq (.a_i (a_i), .w_i (b_i), .z_i (z_i), .bits_i (bits_i), .prod_o (pacq));
  fp16_mul       u_half (.a_i (a_i), .b_i (b_i), .prod_o (half));
  assign prod_o = hmma_i ? {224'b0, half} : pacq;
endmodule
