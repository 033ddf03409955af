// pacq_divu: unsigned 64 / 32-bit division, restoring, one quotient bit per cycle.
//
// start_i (with a_i, b_i) begins; done_o pulses 64 cycles later with q_o = a / b and
// r_o = a mod b (b = 0 gives q = all ones, r = a, as restoring division does). Used only while the
// engine sets a command up, where time is not part of the machine's timing model.
module pacq_divu (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        start_i,
  input  logic [63:0] a_i,
  input  logic [31:0] b_i,
  output logic        busy_o,
  output logic        done_o,
  output logic [63:0] q_o,
  output logic [31:0] r_o
);
  logic [6:0]  cnt_q;
  logic [63:0] q_q;
  logic [31:0] r_q;                // remainder < b
  logic [31:0] b_q;
  logic        done_q;
  logic [32:0] r_shift;

  assign r_shift = {r_q, q_q[63]};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= '0; q_q <= '0; r_q <= '0; b_q <= '0; done_q <= 1'b0;
    end else begin
      done_q <= 1'b0;
      if (start_i) begin
        cnt_q <= 7'd64;
        q_q   <= a_i;
        r_q   <= '0;
        b_q   <= b_i;
      end else if (cnt_q != 7'd0) begin
        if (r_shift >= {1'b0, b_q}) begin
          r_q <= 32'(r_shift - {1'b0, b_q});
          q_q <= {q_q[62:0], 1'b1};
        end else begin
          r_q <= r_shift[31:0];
          q_q <= {q_q[62:0], 1'b0};
        end
        cnt_q <= cnt_q - 7'd1;
        done_q <= cnt_q == 7'd1;
      end
    end
  end

  assign busy_o = cnt_q != 7'd0;
  assign done_o = done_q;
  assign q_o    = q_q;
  assign r_o    = r_q;
endmodule
