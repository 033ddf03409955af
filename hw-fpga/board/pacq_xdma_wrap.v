// pacq_xdma_wrap: the PacQ device on an AMD Alveo U250 (xcu250-figd2104-2L-e) behind the Xilinx
// DMA/Bridge Subsystem for PCI Express (XDMA, PG195). Plain Verilog so that the Vivado block
// design can instantiate it as a module reference (build.tcl); the device itself is pacq_top.
//
//   XDMA M_AXI_LITE (BAR1, PCIe to AXI-Lite master) --> s_axil_*  (the 4 KiB register window)
//   m_axi_* (512-bit AXI4 master)  --> AXI SmartConnect --> DDR4 MIG C0 (card memory, 16 GiB)
//   irq_o (level)                  --> XDMA usr_irq_req[0]
//
// One clock: the XDMA's axi_aclk (250 MHz for Gen3 x16 with a 512-bit AXI); the SmartConnect
// crosses to the DDR4 controller's ui_clk. The reset is axi_aresetn, synchronised here.
// The host moves weights, activations and results through the XDMA's own AXI4 master (H2C/C2H
// DMA) to the same DDR4 through the SmartConnect, so the device and the host share card memory
// at the same addresses (the core's 64-bit addresses are DDR offsets, base 0 in the address map).
//
// usr_irq_req is level-sensitive in the XDMA (PG195, "User Interrupts"): held while IRQ_STATUS
// has a bit set and CTRL.IRQ_EN is on, dropped when the driver clears IRQ_STATUS (W1C). The XDMA
// acknowledges both edges on usr_irq_ack; the device needs no handshake, so ack is only counted
// (irq_acks_o, for an ILA) and the request never changes before its ack: a new completion
// while the level is high keeps it high.
module pacq_xdma_wrap #(
  parameter         CLOCK_KHZ = 250000,                 // CAP_CLOCK_KHZ: XDMA axi_aclk
  parameter [63:0]  MEM_BYTES = 64'h4_0000_0000         // CAP_MEM: one DDR4 channel, 16 GiB
) (
  input  wire         axi_aclk,
  input  wire         axi_aresetn,

  // From XDMA M_AXI_LITE (32-bit addresses; the BAR window is 4 KiB, the upper bits ignored).
  input  wire [31:0]  s_axil_awaddr,
  input  wire [2:0]   s_axil_awprot,
  input  wire         s_axil_awvalid,
  output wire         s_axil_awready,
  input  wire [31:0]  s_axil_wdata,
  input  wire [3:0]   s_axil_wstrb,
  input  wire         s_axil_wvalid,
  output wire         s_axil_wready,
  output wire [1:0]   s_axil_bresp,
  output wire         s_axil_bvalid,
  input  wire         s_axil_bready,
  input  wire [31:0]  s_axil_araddr,
  input  wire [2:0]   s_axil_arprot,
  input  wire         s_axil_arvalid,
  output wire         s_axil_arready,
  output wire [31:0]  s_axil_rdata,
  output wire [1:0]   s_axil_rresp,
  output wire         s_axil_rvalid,
  input  wire         s_axil_rready,

  // To card DDR4 through the SmartConnect: AXI4, 512-bit data, 64-bit addresses.
  output wire [3:0]   m_axi_arid,
  output wire [63:0]  m_axi_araddr,
  output wire [7:0]   m_axi_arlen,
  output wire [2:0]   m_axi_arsize,
  output wire [1:0]   m_axi_arburst,
  output wire [3:0]   m_axi_arcache,
  output wire [2:0]   m_axi_arprot,
  output wire         m_axi_arvalid,
  input  wire         m_axi_arready,
  input  wire [3:0]   m_axi_rid,
  input  wire [511:0] m_axi_rdata,
  input  wire [1:0]   m_axi_rresp,
  input  wire         m_axi_rlast,
  input  wire         m_axi_rvalid,
  output wire         m_axi_rready,
  output wire [3:0]   m_axi_awid,
  output wire [63:0]  m_axi_awaddr,
  output wire [7:0]   m_axi_awlen,
  output wire [2:0]   m_axi_awsize,
  output wire [1:0]   m_axi_awburst,
  output wire [3:0]   m_axi_awcache,
  output wire [2:0]   m_axi_awprot,
  output wire         m_axi_awvalid,
  input  wire         m_axi_awready,
  output wire [511:0] m_axi_wdata,
  output wire [63:0]  m_axi_wstrb,
  output wire         m_axi_wlast,
  output wire         m_axi_wvalid,
  input  wire         m_axi_wready,
  input  wire [3:0]   m_axi_bid,
  input  wire [1:0]   m_axi_bresp,
  input  wire         m_axi_bvalid,
  output wire         m_axi_bready,

  // XDMA user interrupt 0.
  output wire         usr_irq_req,
  input  wire         usr_irq_ack,

  // Debug (an ILA or an LED): no command running or pending; interrupt acknowledgements seen.
  output wire         pacq_idle,
  output reg  [15:0]  irq_acks_o
);
  // Reset: asserted asynchronously, released synchronously to axi_aclk (two flops).
  reg [1:0] rst_sync;
  always @(posedge axi_aclk or negedge axi_aresetn) begin
    if (!axi_aresetn) rst_sync <= 2'b00;
    else              rst_sync <= {rst_sync[0], 1'b1};
  end
  wire rst_n = rst_sync[1];

  always @(posedge axi_aclk or negedge rst_n) begin
    if (!rst_n)           irq_acks_o <= 16'd0;
    else if (usr_irq_ack) irq_acks_o <= irq_acks_o + 16'd1;
  end

  // Memory attributes: normal, non-cacheable, bufferable (AxCACHE 0011) and unprivileged,
  // secure data accesses, as the XDMA's own master issues them.
  assign m_axi_arcache = 4'b0011;
  assign m_axi_awcache = 4'b0011;
  assign m_axi_arprot  = 3'b000;
  assign m_axi_awprot  = 3'b000;

  // Not needed by the device: the protection bits of the BAR accesses and the address bits
  // above the 4 KiB register window (the XDMA decodes the BAR).
  wire unused_ok = &{1'b0, s_axil_awprot, s_axil_arprot, s_axil_awaddr[31:12], s_axil_araddr[31:12]};

  pacq_top #(
    .ClockKhz (CLOCK_KHZ),
    .MemBytes (MEM_BYTES),
    .Model    (8'd4)                                    // pacq_abi_pkg::ModelFpga
  ) u_pacq (
    .clk_i              (axi_aclk),
    .rst_ni             (rst_n),
    // The machine's timing model: ABI defaults (DEFAULT_DMEM_LATENCY, _BYTES_PER_CYCLE).
    .cfg_dmem_latency_i (10'd40),
    .cfg_dmem_bw_i      (7'd32),
    .s_axil_awaddr_i    (s_axil_awaddr[11:0]),
    .s_axil_awvalid_i   (s_axil_awvalid),
    .s_axil_awready_o   (s_axil_awready),
    .s_axil_wdata_i     (s_axil_wdata),
    .s_axil_wstrb_i     (s_axil_wstrb),
    .s_axil_wvalid_i    (s_axil_wvalid),
    .s_axil_wready_o    (s_axil_wready),
    .s_axil_bresp_o     (s_axil_bresp),
    .s_axil_bvalid_o    (s_axil_bvalid),
    .s_axil_bready_i    (s_axil_bready),
    .s_axil_araddr_i    (s_axil_araddr[11:0]),
    .s_axil_arvalid_i   (s_axil_arvalid),
    .s_axil_arready_o   (s_axil_arready),
    .s_axil_rdata_o     (s_axil_rdata),
    .s_axil_rresp_o     (s_axil_rresp),
    .s_axil_rvalid_o    (s_axil_rvalid),
    .s_axil_rready_i    (s_axil_rready),
    .m_axi_arid_o       (m_axi_arid),
    .m_axi_araddr_o     (m_axi_araddr),
    .m_axi_arlen_o      (m_axi_arlen),
    .m_axi_arsize_o     (m_axi_arsize),
    .m_axi_arburst_o    (m_axi_arburst),
    .m_axi_arvalid_o    (m_axi_arvalid),
    .m_axi_arready_i    (m_axi_arready),
    .m_axi_rid_i        (m_axi_rid),
    .m_axi_rdata_i      (m_axi_rdata),
    .m_axi_rresp_i      (m_axi_rresp),
    .m_axi_rlast_i      (m_axi_rlast),
    .m_axi_rvalid_i     (m_axi_rvalid),
    .m_axi_rready_o     (m_axi_rready),
    .m_axi_awid_o       (m_axi_awid),
    .m_axi_awaddr_o     (m_axi_awaddr),
    .m_axi_awlen_o      (m_axi_awlen),
    .m_axi_awsize_o     (m_axi_awsize),
    .m_axi_awburst_o    (m_axi_awburst),
    .m_axi_awvalid_o    (m_axi_awvalid),
    .m_axi_awready_i    (m_axi_awready),
    .m_axi_wdata_o      (m_axi_wdata),
    .m_axi_wstrb_o      (m_axi_wstrb),
    .m_axi_wlast_o      (m_axi_wlast),
    .m_axi_wvalid_o     (m_axi_wvalid),
    .m_axi_wready_i     (m_axi_wready),
    .m_axi_bid_i        (m_axi_bid),
    .m_axi_bresp_i      (m_axi_bresp),
    .m_axi_bvalid_i     (m_axi_bvalid),
    .m_axi_bready_o     (m_axi_bready),
    .irq_o              (usr_irq_req),
    .idle_o             (pacq_idle)
  );
endmodule
