// pacq_top: the PacQ device as the host sees it. Control registers on an AXI4-Lite slave, the
// command processor and the execution engine sharing one AXI4 master to device memory, and a
// level interrupt. Instantiated by the Verilator harness (sim/) and the board wrapper (board/).
//
//   AXI4-Lite --> pacq_regs <--> pacq_cmdproc <--> pacq_engine (GEMM kernels)
//                     |               |                 |
//                   irq_o             +----- mux -------+--> AXI4 master (device memory)
//
// The memory port belongs to the command processor between commands and to the engine while it
// runs a command (mem_owner); there is never more than one master active, so the mux is a
// multiplexer, not an arbiter.
module pacq_top #(
  parameter int unsigned Cores     = pacq_abi_pkg::DefaultCores,
  parameter int unsigned Warps     = pacq_abi_pkg::DefaultWarps,
  parameter int unsigned MmaUnits  = pacq_abi_pkg::DefaultMmaUnits,
  parameter int unsigned SmemBytes = pacq_abi_pkg::DefaultSmemBytes,
  parameter int unsigned IdWidth   = 4,
  parameter logic [63:0] MemBytes  = 64'h1_0000_0000,
  parameter int unsigned ClockKhz  = pacq_abi_pkg::DefaultClockKhz,  // CAP_CLOCK_KHZ
  parameter logic [7:0]  Model     = pacq_abi_pkg::ModelRtlSim
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // The device-memory timing model (docs/simt.md 6.3); the board ties them to the defaults.
  input  logic [9:0]             cfg_dmem_latency_i,
  input  logic [6:0]             cfg_dmem_bw_i,

  input  logic [11:0]            s_axil_awaddr_i,
  input  logic                   s_axil_awvalid_i,
  output logic                   s_axil_awready_o,
  input  logic [31:0]            s_axil_wdata_i,
  input  logic [3:0]             s_axil_wstrb_i,
  input  logic                   s_axil_wvalid_i,
  output logic                   s_axil_wready_o,
  output logic [1:0]             s_axil_bresp_o,
  output logic                   s_axil_bvalid_o,
  input  logic                   s_axil_bready_i,
  input  logic [11:0]            s_axil_araddr_i,
  input  logic                   s_axil_arvalid_i,
  output logic                   s_axil_arready_o,
  output logic [31:0]            s_axil_rdata_o,
  output logic [1:0]             s_axil_rresp_o,
  output logic                   s_axil_rvalid_o,
  input  logic                   s_axil_rready_i,

  output logic [IdWidth-1:0]     m_axi_arid_o,
  output logic [63:0]            m_axi_araddr_o,
  output logic [7:0]             m_axi_arlen_o,
  output logic [2:0]             m_axi_arsize_o,
  output logic [1:0]             m_axi_arburst_o,
  output logic                   m_axi_arvalid_o,
  input  logic                   m_axi_arready_i,
  input  logic [IdWidth-1:0]     m_axi_rid_i,
  input  logic [DataWidth-1:0]   m_axi_rdata_i,
  input  logic [1:0]             m_axi_rresp_i,
  input  logic                   m_axi_rlast_i,
  input  logic                   m_axi_rvalid_i,
  output logic                   m_axi_rready_o,
  output logic [IdWidth-1:0]     m_axi_awid_o,
  output logic [63:0]            m_axi_awaddr_o,
  output logic [7:0]             m_axi_awlen_o,
  output logic [2:0]             m_axi_awsize_o,
  output logic [1:0]             m_axi_awburst_o,
  output logic                   m_axi_awvalid_o,
  input  logic                   m_axi_awready_i,
  output logic [DataWidth-1:0]   m_axi_wdata_o,
  output logic [DataWidth/8-1:0] m_axi_wstrb_o,
  output logic                   m_axi_wlast_o,
  output logic                   m_axi_wvalid_o,
  input  logic                   m_axi_wready_i,
  input  logic [IdWidth-1:0]     m_axi_bid_i,
  input  logic [1:0]             m_axi_bresp_i,
  input  logic                   m_axi_bvalid_i,
  output logic                   m_axi_bready_o,

  output logic                   irq_o,
  output logic                   idle_o          // nothing to do: no command running or pending
);
  // One device-memory transaction (64 bytes) per beat.
  localparam int unsigned DataWidth   = pacq_abi_pkg::DmemTxBytes * 8;
  localparam int unsigned NumCounters = 13;
  localparam int unsigned CtrW = 64 * (NumCounters - 1);

  logic        enable, abort, clear, quiesced, busy, error, cpl_irq, err_irq;
  logic [63:0] ring_base, cpl_base, cycles;
  logic [31:0] ring_entries, sq_tail, sq_head, cpl_count, err_code, err_info;

  logic        exec_valid, exec_ready, exec_abort, exec_done, exec_idle, mem_owner;
  logic [pacq_abi_pkg::DescBytes*8-1:0] exec_desc;
  logic [7:0]  exec_status;
  logic [63:0] exec_err_info, exec_cycles;
  logic [CtrW-1:0] exec_counters;

  // The two masters: c = command processor, e = engine.
  logic [IdWidth-1:0] c_arid, e_arid, c_awid, e_awid;
  logic [63:0] c_araddr, e_araddr, c_awaddr, e_awaddr;
  logic [7:0]  c_arlen, e_arlen, c_awlen, e_awlen;
  logic [2:0]  c_arsize, e_arsize, c_awsize, e_awsize;
  logic [1:0]  c_arburst, e_arburst, c_awburst, e_awburst;
  logic        c_arvalid, e_arvalid, c_rready, e_rready, c_awvalid, e_awvalid;
  logic [DataWidth-1:0] c_wdata, e_wdata;
  logic [DataWidth/8-1:0] c_wstrb, e_wstrb;
  logic        c_wlast, e_wlast, c_wvalid, e_wvalid, c_bready, e_bready;

  pacq_regs #(
    .MemBytes   (MemBytes),
    .Cores      (Cores),
    .Warps      (Warps),
    .Lanes      (pacq_abi_pkg::SimtLanes),
    .SmemBytes  (SmemBytes),
    .MmaUnits   (MmaUnits),
    .MaxRing    (1024),
    .ClockKhz   (ClockKhz),
    .CapBits    ((32'd1 << 2) | (32'd1 << 4) | (32'd1 << 8)),
    .CapModes   ((32'd1 << pacq_abi_pkg::ModePacq) | (32'd1 << pacq_abi_pkg::ModeDequant)
                 | (32'd1 << pacq_abi_pkg::ModeKpacked)),
    .CapOpcodes ((32'd1 << pacq_abi_pkg::OpcodeNop) | (32'd1 << pacq_abi_pkg::OpcodeGemm)
                 | (32'd1 << pacq_abi_pkg::OpcodeLaunch)),
    .Model      (Model)
  ) u_regs (
    .clk_i, .rst_ni, .dmem_latency_i (cfg_dmem_latency_i), .dmem_bw_i (cfg_dmem_bw_i),
    .s_awaddr_i (s_axil_awaddr_i), .s_awvalid_i (s_axil_awvalid_i), .s_awready_o (s_axil_awready_o),
    .s_wdata_i  (s_axil_wdata_i),  .s_wstrb_i   (s_axil_wstrb_i),   .s_wvalid_i  (s_axil_wvalid_i),
    .s_wready_o (s_axil_wready_o), .s_bresp_o   (s_axil_bresp_o),   .s_bvalid_o  (s_axil_bvalid_o),
    .s_bready_i (s_axil_bready_i), .s_araddr_i  (s_axil_araddr_i),  .s_arvalid_i (s_axil_arvalid_i),
    .s_arready_o (s_axil_arready_o), .s_rdata_o (s_axil_rdata_o),   .s_rresp_o   (s_axil_rresp_o),
    .s_rvalid_o (s_axil_rvalid_o), .s_rready_i  (s_axil_rready_i),
    .enable_o (enable), .ring_base_o (ring_base), .ring_entries_o (ring_entries),
    .cpl_base_o (cpl_base), .sq_tail_o (sq_tail), .abort_o (abort), .clear_o (clear),
    .quiesced_i (quiesced), .sq_head_i (sq_head), .cpl_count_i (cpl_count), .busy_i (busy),
    .error_i (error), .err_code_i (err_code), .err_info_i (err_info), .cycles_i (cycles),
    .cpl_irq_i (cpl_irq), .err_irq_i (err_irq), .irq_o
  );

  pacq_cmdproc #(
    .DataWidth (DataWidth), .IdWidth (IdWidth), .NumCounters (NumCounters)
  ) u_cmdproc (
    .clk_i, .rst_ni,
    .enable_i (enable), .ring_base_i (ring_base), .ring_entries_i (ring_entries),
    .cpl_base_i (cpl_base), .sq_tail_i (sq_tail), .abort_i (abort), .clear_i (clear),
    .quiesced_o (quiesced), .sq_head_o (sq_head), .cpl_count_o (cpl_count), .busy_o (busy),
    .error_o (error), .err_code_o (err_code), .err_info_o (err_info), .cycles_o (cycles),
    .cpl_irq_o (cpl_irq), .err_irq_o (err_irq),
    .exec_valid_o (exec_valid), .exec_ready_i (exec_ready), .exec_desc_o (exec_desc),
    .exec_abort_o (exec_abort), .exec_done_i (exec_done), .exec_status_i (exec_status),
    .exec_err_info_i (exec_err_info), .exec_cycles_i (exec_cycles), .exec_counters_i (exec_counters),
    .exec_idle_i (exec_idle),
    .mem_owner_o (mem_owner),
    .m_arid_o (c_arid), .m_araddr_o (c_araddr), .m_arlen_o (c_arlen), .m_arsize_o (c_arsize),
    .m_arburst_o (c_arburst), .m_arvalid_o (c_arvalid), .m_arready_i (m_axi_arready_i && !mem_owner),
    .m_rdata_i (m_axi_rdata_i), .m_rlast_i (m_axi_rlast_i), .m_rvalid_i (m_axi_rvalid_i && !mem_owner),
    .m_rready_o (c_rready),
    .m_awid_o (c_awid), .m_awaddr_o (c_awaddr), .m_awlen_o (c_awlen), .m_awsize_o (c_awsize),
    .m_awburst_o (c_awburst), .m_awvalid_o (c_awvalid), .m_awready_i (m_axi_awready_i && !mem_owner),
    .m_wdata_o (c_wdata), .m_wstrb_o (c_wstrb), .m_wlast_o (c_wlast), .m_wvalid_o (c_wvalid),
    .m_wready_i (m_axi_wready_i && !mem_owner), .m_bvalid_i (m_axi_bvalid_i && !mem_owner),
    .m_bready_o (c_bready)
  );

  pacq_engine #(
    .Cores (Cores), .Warps (Warps), .MmaUnits (MmaUnits), .SmemBytes (SmemBytes), .IdWidth (IdWidth),
    .MemBytes (MemBytes)
  ) u_engine (
    .clk_i, .rst_ni, .clear_i (clear),
    .dmem_latency_i (cfg_dmem_latency_i), .dmem_bw_i (cfg_dmem_bw_i),
    .valid_i (exec_valid), .ready_o (exec_ready), .desc_i (exec_desc), .abort_i (exec_abort),
    .done_o (exec_done), .status_o (exec_status), .err_info_o (exec_err_info), .cycles_o (exec_cycles),
    .counters_o (exec_counters), .idle_o (exec_idle),
    .m_arid_o (e_arid), .m_araddr_o (e_araddr), .m_arlen_o (e_arlen), .m_arsize_o (e_arsize),
    .m_arburst_o (e_arburst), .m_arvalid_o (e_arvalid), .m_arready_i (m_axi_arready_i && mem_owner),
    .m_rdata_i (m_axi_rdata_i), .m_rlast_i (m_axi_rlast_i), .m_rvalid_i (m_axi_rvalid_i && mem_owner),
    .m_rready_o (e_rready),
    .m_awid_o (e_awid), .m_awaddr_o (e_awaddr), .m_awlen_o (e_awlen), .m_awsize_o (e_awsize),
    .m_awburst_o (e_awburst), .m_awvalid_o (e_awvalid), .m_awready_i (m_axi_awready_i && mem_owner),
    .m_wdata_o (e_wdata), .m_wstrb_o (e_wstrb), .m_wlast_o (e_wlast), .m_wvalid_o (e_wvalid),
    .m_wready_i (m_axi_wready_i && mem_owner), .m_bvalid_i (m_axi_bvalid_i && mem_owner),
    .m_bready_o (e_bready)
  );

  assign m_axi_arid_o    = mem_owner ? e_arid    : c_arid;
  assign m_axi_araddr_o  = mem_owner ? e_araddr  : c_araddr;
  assign m_axi_arlen_o   = mem_owner ? e_arlen   : c_arlen;
  assign m_axi_arsize_o  = mem_owner ? e_arsize  : c_arsize;
  assign m_axi_arburst_o = mem_owner ? e_arburst : c_arburst;
  assign m_axi_arvalid_o = mem_owner ? e_arvalid : c_arvalid;
  assign m_axi_rready_o  = mem_owner ? e_rready  : c_rready;
  assign m_axi_awid_o    = mem_owner ? e_awid    : c_awid;
  assign m_axi_awaddr_o  = mem_owner ? e_awaddr  : c_awaddr;
  assign m_axi_awlen_o   = mem_owner ? e_awlen   : c_awlen;
  assign m_axi_awsize_o  = mem_owner ? e_awsize  : c_awsize;
  assign m_axi_awburst_o = mem_owner ? e_awburst : c_awburst;
  assign m_axi_awvalid_o = mem_owner ? e_awvalid : c_awvalid;
  assign m_axi_wdata_o   = mem_owner ? e_wdata   : c_wdata;
  assign m_axi_wstrb_o   = mem_owner ? e_wstrb   : c_wstrb;
  assign m_axi_wlast_o   = mem_owner ? e_wlast   : c_wlast;
  assign m_axi_wvalid_o  = mem_owner ? e_wvalid  : c_wvalid;
  assign m_axi_bready_o  = mem_owner ? e_bready  : c_bready;

  assign idle_o = quiesced && !abort && (!enable || sq_head == sq_tail);

  // Response IDs and codes: one master at a time and in-order bursts, so IDs carry nothing;
  // a SLVERR/DECERR cannot happen on the device-memory port (the engine range-checks operands).
  logic unused_resp;
  assign unused_resp = ^{m_axi_rid_i, m_axi_rresp_i, m_axi_bid_i, m_axi_bresp_i};
endmodule
