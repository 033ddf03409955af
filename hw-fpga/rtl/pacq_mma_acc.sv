// pacq_mma_acc (synthesis branch of pacq_mma_unit): one of a matrix unit's 256 accumulation
// adders with its running sum and its drain copy. In a step that uses the adder, the sum becomes
// sum + addend_i (in a group's first step, k = 0: C + addend_i); in the group's last step (k = 15)
// the new sum is also copied to d_o, where the core takes it one advancing edge later. The
// simulation branch of pacq_mma_unit does the same additions in its process.
module pacq_mma_acc (
  input  logic        clk_i,
  input  logic        step_i,     // a step's products reach the adders in this cycle
  input  logic        use_i,      // ... and this adder adds one
  input  logic        first_i,    // the step has k = 0: start from C
  input  logic        last_i,     // the group's last step: copy the sum to d_o
  input  logic [31:0] c_i,        // the group's C for this adder
  input  logic [31:0] addend_i,
  output logic [31:0] d_o
);
  logic [31:0] acc_q, d_q, sum;

  fp32_add u_add (.a_i (first_i ? c_i : acc_q), .b_i (addend_i), .sum_o (sum));

  // No reset: step_i is low until a reset instruction's first step.
  always_ff @(posedge clk_i) begin
    if (step_i && use_i) acc_q <= sum;
    if (step_i && use_i && last_i) d_q <= sum;
  end
  assign d_o = d_q;
endmodule
