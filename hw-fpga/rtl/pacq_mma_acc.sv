// pacq_mma_acc (synthesis branch of pacq_mma_unit): one of a matrix unit's 256 accumulation
// adders with its running sum and the drain copy of its 8 accumulators (entry e is accumulator
// 256 e + n of adder n). In a step that uses the adder, the sum becomes sum + addend_i (in the
// step with k = 0: C of entry e_i, c_i, plus addend_i); in the group's last step (k = 15) the new
// sum is also copied to entry e_i of d_o. The simulation branch of pacq_mma_unit does the same
// additions in its process.
module pacq_mma_acc (
  input  logic            clk_i,
  input  logic            step_i,     // a step's products reach the adders in this cycle
  input  logic            use_i,      // ... and this adder adds one
  input  logic            first_i,    // the step has k = 0: start from C
  input  logic            last_i,     // the group's last step: copy the sum to entry e_i of d_o
  input  logic [2:0]      e_i,        // the group's entry
  input  logic [8*32-1:0] c_i,        // C of entry e at [32e +: 32]
  input  logic [31:0]     addend_i,
  output logic [8*32-1:0] d_o
);
  logic [31:0]     acc_q, base, sum, c;
  logic [8*32-1:0] d_q;

  // Entry selects as a tree and per-entry enables: a [32 e_i +: 32] select or write is a shifter
  // over all 8 entries to Yosys.
  always_comb begin
    c = c_i[31:0];
    for (int e = 1; e < 8; e++) begin
      if (e_i == 3'(e)) c = c_i[32*e +: 32];
    end
  end
  assign base = first_i ? c : acc_q;
  fp32_add u_add (.a_i (base), .b_i (addend_i), .sum_o (sum));

  // No reset: step_i is low until a reset instruction's first step.
  always_ff @(posedge clk_i) begin
    if (step_i && use_i) acc_q <= sum;
  end
  for (genvar e = 0; e < 8; e++) begin : gen_d
    always_ff @(posedge clk_i) begin
      if (step_i && use_i && last_i && e_i == 3'(e)) d_q[32*e +: 32] <= sum;
    end
  end
  assign d_o = d_q;
endmodule
