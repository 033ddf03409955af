// pacq_engine: executes GEMM descriptors. PLACEHOLDER until the SIMT core lands: it completes
// every command with BAD_OPCODE, and CAP_OPCODES does not advertise GEMM, so the host never
// sends one. It owns the shared AXI4 master while a command runs.
//
// Handshake: valid_i/ready_o accept a descriptor; done_o pulses once with status_o, err_info_o and
// counters_o; abort_i stops a command (no done_o); idle_o is high when nothing is outstanding.
module pacq_engine #(
  parameter int unsigned DataWidth   = 256,
  parameter int unsigned IdWidth     = 4,
  parameter int unsigned NumCounters = 13
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   clear_i,
  input  logic                   valid_i,
  output logic                   ready_o,
  input  logic [pacq_abi_pkg::DescBytes*8-1:0] desc_i,
  input  logic                   abort_i,
  output logic                   done_o,
  output logic [7:0]             status_o,
  output logic [63:0]            err_info_o,
  output logic [64*(NumCounters-1)-1:0] counters_o,
  output logic                   idle_o,

  output logic [IdWidth-1:0]     m_arid_o,
  output logic [63:0]            m_araddr_o,
  output logic [7:0]             m_arlen_o,
  output logic [2:0]             m_arsize_o,
  output logic [1:0]             m_arburst_o,
  output logic                   m_arvalid_o,
  input  logic                   m_arready_i,
  input  logic [DataWidth-1:0]   m_rdata_i,
  input  logic                   m_rlast_i,
  input  logic                   m_rvalid_i,
  output logic                   m_rready_o,
  output logic [IdWidth-1:0]     m_awid_o,
  output logic [63:0]            m_awaddr_o,
  output logic [7:0]             m_awlen_o,
  output logic [2:0]             m_awsize_o,
  output logic [1:0]             m_awburst_o,
  output logic                   m_awvalid_o,
  input  logic                   m_awready_i,
  output logic [DataWidth-1:0]   m_wdata_o,
  output logic [DataWidth/8-1:0] m_wstrb_o,
  output logic                   m_wlast_o,
  output logic                   m_wvalid_o,
  input  logic                   m_wready_i,
  input  logic                   m_bvalid_i,
  output logic                   m_bready_o
);
  logic busy_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
    end else if (clear_i || abort_i) begin
      busy_q <= 1'b0;
    end else begin
      busy_q <= valid_i && !busy_q;
    end
  end

  assign ready_o    = !busy_q;
  assign done_o     = busy_q;
  assign status_o   = pacq_abi_pkg::StatusBadOpcode;
  assign err_info_o = {56'b0, desc_i[8*pacq_abi_pkg::DescOpcodeOffset +: 8]};
  assign counters_o = '0;
  assign idle_o     = !busy_q;

  assign m_arid_o = '0;  assign m_araddr_o = '0;  assign m_arlen_o = '0;  assign m_arsize_o = '0;
  assign m_arburst_o = '0;  assign m_arvalid_o = 1'b0;  assign m_rready_o = 1'b1;
  assign m_awid_o = '0;  assign m_awaddr_o = '0;  assign m_awlen_o = '0;  assign m_awsize_o = '0;
  assign m_awburst_o = '0;  assign m_awvalid_o = 1'b0;  assign m_wdata_o = '0;  assign m_wstrb_o = '0;
  assign m_wlast_o = 1'b0;  assign m_wvalid_o = 1'b0;  assign m_bready_o = 1'b1;

  logic unused;
  assign unused = ^{desc_i, m_arready_i, m_rdata_i, m_rlast_i, m_rvalid_i, m_awready_i, m_wready_i,
                    m_bvalid_i};
endmodule
