// pacq_mma_acc (synthesis branch of pacq_mma_unit): one of a matrix unit's 256 accumulation
// adders with the 8 accumulators it owns (entry e is accumulator 256 e + n of adder n) and their
// drain copy. In a step that uses the adder, entry e_i becomes its value plus addend_i (in the
// step with k = 0: its C value, c_i entry e_i, plus addend_i); after an instruction's last step
// every entry is copied to d_o. The simulation branch of pacq_mma_unit does the same additions in its process.
module pacq_mma_acc (
  input  logic            clk_i,
  input  logic            step_i,     // a step's products reach the adders in this cycle
  input  logic            use_i,      // ... and this adder adds one
  input  logic            first_i,    // the step has k = 0: start from C
  input  logic            last_i,     // the instruction's last step: copy the entries to d_o
  input  logic [2:0]      e_i,        // the entry the step adds to
  input  logic [8*32-1:0] c_i,        // C of entry e at [32e +: 32]
  input  logic [31:0]     addend_i,
  output logic [8*32-1:0] d_o
);
  logic [8*32-1:0] acc_q, d_q, next;
  logic [31:0]     base, sum;

  always_comb begin
    base = first_i ? c_i[32 * e_i +: 32] : acc_q[32 * e_i +: 32];
    next = acc_q;
    if (use_i) next[32 * e_i +: 32] = sum;
  end

  fp32_add u_add (.a_i (base), .b_i (addend_i), .sum_o (sum));

  // No reset: step_i is low until a reset instruction's first step.
  always_ff @(posedge clk_i) begin
    if (step_i) begin
      acc_q <= next;
      if (last_i) d_q <= next;
    end
  end
  assign d_o = d_q;
endmodule
