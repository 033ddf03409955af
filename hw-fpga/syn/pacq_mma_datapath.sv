// pacq_mma_datapath (synthesis only): the arithmetic a matrix unit does in one cycle of its busy
// time (docs/simt.md 5): 64 multiplier slots (PacQ FP-INT or FP16 x FP16, pacq_mma_slot) and
// MMA_ADDERS = 256 FP32 accumulation adders, each adding one exact product to its accumulator
// (RN32). Adder n takes lane n%4 of slot n/4 (INT4), lane n%8 of slot n/8 (INT2, 32 slots busy),
// lane n%2 of slot n/2 (INT8, 128 adders busy) or slot n (HMMA, 64 adders busy), as the core's
// step schedule does. The operand and accumulator storage is counted separately (docs/rtl.md).
// Combinational.
module pacq_mma_datapath (
  input  logic               hmma_i,
  input  logic [1:0]         bits_i,
  input  logic [64*16-1:0]   a_i,
  input  logic [64*16-1:0]   b_i,
  input  logic [64*16-1:0]   z_i,
  input  logic [256*32-1:0]  acc_i,
  output logic [256*32-1:0]  acc_o
);
  logic [64*8*32-1:0] prod;
  for (genvar j = 0; j < 64; j++) begin : gen_slot
    pacq_mma_slot u_slot (
      .hmma_i (hmma_i), .a_i (a_i[16*j +: 16]), .b_i (b_i[16*j +: 16]), .z_i (z_i[16*j +: 16]),
      .bits_i (bits_i), .prod_o (prod[256*j +: 256])
    );
  end
  for (genvar n = 0; n < 256; n++) begin : gen_add
    localparam int unsigned H  = (n < 64) ? n : 0;      // slots feeding an HMMA adder
    localparam int unsigned I8 = (n < 128) ? n : 0;     // INT8 adders
    logic [31:0] p;
    always_comb begin
      if (hmma_i)              p = (n < 64) ? prod[256*H +: 32] : 32'b0;
      else if (bits_i == 2'd0) p = prod[256*(n/8) + 32*(n%8) +: 32];
      else if (bits_i == 2'd1) p = prod[256*(n/4) + 32*(n%4) +: 32];
      else                     p = (n < 128) ? prod[256*(I8/2) + 32*(I8%2) +: 32] : 32'b0;
    end
    fp32_add u_add (.a_i (acc_i[32*n +: 32]), .b_i (p), .sum_o (acc_o[32*n +: 32]));
  end
endmodule
