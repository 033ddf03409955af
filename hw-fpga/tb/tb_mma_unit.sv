// tb_mma_unit: the matrix unit twice on the same inputs: as simulated (pacq_mma_unit, the branch
// that the rtlsim library and every differential test run) and as Yosys reads the SYNTHESIS branch
// (pacq_mma_unit_syn: `proc` output of the same file, made by the Makefile, with pacq_mma_slot and
// pacq_mma_acc instances). Each unit's C requests are served here as the core serves them: the
// requested entry of the instruction's C block (c_all_i) is loaded at the request's advancing edge.
// tb_mma_unit.cpp compares the two units' requests and D groups in every cycle.
module tb_mma_unit (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               clear_i,
  input  logic               adv_i,
  input  logic               start_i,
  input  logic [1:0]         kind_i,
  input  logic [1:0]         bsel_i,
  input  logic [3:0]         cpw_i,
  input  logic [9:0]         busy_i,
  input  logic [256*16-1:0]  a_i,
  input  logic [256*16-1:0]  b_i,
  input  logic [128*8-1:0]   z_i,
  input  logic [15:0]        tag_i,
  input  logic [2048*32-1:0] c_all_i,   // C of the block: register j, lane l at [32 (32j + l) +: 32]
  output logic [2*16-1:0]    c_req_o,   // unit x (0 simulated, 1 synthesis branch) at [16x +: 16]:
  output logic [2*16-1:0]    d_ctl_o,   //   {req, e, qe, 0} / {v, last, e, qe, 0}
  output logic [2*16-1:0]    c_tag_o,
  output logic [2*16-1:0]    d_tag_o,
  output logic [2*256*32-1:0] d_o       // unit x's d_o at [8192x +: 8192]
);
  logic [1:0]          req, dv, dlast;
  logic [2*3-1:0]      ce, de;
  logic [2*4-1:0]      cqe, dqe;
  logic [2*256*32-1:0] c_q;

  for (genvar x = 0; x < 2; x++) begin : gen_c
    always_ff @(posedge clk_i) begin
      if (adv_i && !clear_i && req[x]) begin
        for (int e = 0; e < 8; e++) begin
          if (ce[3*x +: 3] == 3'(e)) c_q[8192*x +: 8192] <= c_all_i[8192*e +: 8192];
        end
      end
    end
    assign c_req_o[16*x +: 16] = {req[x], ce[3*x +: 3], cqe[4*x +: 4], 8'b0};
    assign d_ctl_o[16*x +: 16] = {dv[x], dlast[x], de[3*x +: 3], dqe[4*x +: 4], 7'b0};
  end

  pacq_mma_unit #(.TagW (16)) u_sim (
    .clk_i, .rst_ni, .clear_i, .adv_i, .start_i, .kind_i, .bsel_i, .cpw_i, .busy_i, .a_i, .b_i,
    .z_i, .tag_i, .c_req_o (req[0]), .c_e_o (ce[2:0]), .c_qe_o (cqe[3:0]), .c_tag_o (c_tag_o[15:0]),
    .c_i (c_q[8191:0]), .d_v_o (dv[0]), .d_last_o (dlast[0]), .d_e_o (de[2:0]), .d_qe_o (dqe[3:0]),
    .d_tag_o (d_tag_o[15:0]), .d_o (d_o[8191:0])
  );
  pacq_mma_unit_syn u_syn (
    .clk_i, .rst_ni, .clear_i, .adv_i, .start_i, .kind_i, .bsel_i, .cpw_i, .busy_i, .a_i, .b_i,
    .z_i, .tag_i, .c_req_o (req[1]), .c_e_o (ce[5:3]), .c_qe_o (cqe[7:4]), .c_tag_o (c_tag_o[31:16]),
    .c_i (c_q[16383:8192]), .d_v_o (dv[1]), .d_last_o (dlast[1]), .d_e_o (de[5:3]), .d_qe_o (dqe[7:4]),
    .d_tag_o (d_tag_o[31:16]), .d_o (d_o[16383:8192])
  );
endmodule
