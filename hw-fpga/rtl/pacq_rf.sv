// pacq_rf: the register file of one core (docs/simt.md 2): Warps warps x 128 registers x 32 lanes
// of 32 bits, with NRd read ports and NWr write ports that each move a group of up to 8
// consecutive registers of one warp (docs/rtl.md 4).
//
// Ports. Read port p returns registers base, base + 1, ..., base + RdRegs[p] - 1 (numbers mod
// 128) of warp `warp`: register base + j, lane l at rd_data_o[8192p + 1024j + 32l +: 32]; rows
// beyond RdRegs[p], and every row of a port without rd_en_i, are unspecified (the synthesis branch
// reads 0, the simulation keeps the last rows read). Write port p writes register
// base + j when wr_en_i[8p + j] (j < WrRegs[p]), in the lanes of wr_lanes_i, from wr_data_i laid
// out as rd_data_o. Reads are combinational and see the registers before this cycle's edge;
// writes take effect at the edge.
//
// Contract. No two write ports write the same register of the same warp in one cycle (docs/simt.md
// 6.2: a destination is pending from issue until its one write). Simulation stops on a violation.
//
// Banks. Register r lies in bank r mod 8, so that a group of at most 8 consecutive registers
// touches each bank at most once per port: every bank sees at most NWr writes and NRd reads per
// cycle, whatever the groups' alignment. Simulation keeps one row of 32 lanes per register.
// Synthesis builds each bank of each lane as a pacq_rf_cell: a live-value-table memory of
// Warps x 16 words with a 1-write, 1-read RAM per (write port, read port) pair, which maps to LUT
// RAM. Groups need not be aligned, so a port's rows are rotated into and out of bank order.
// `make rf-syn` runs that branch next to this one and a plain array.
// The defaults are pacq_core's ports on the ABI's default machine (one matrix unit).
module pacq_rf #(
  parameter int unsigned      Warps  = pacq_abi_pkg::DefaultWarps,
  parameter int unsigned      WarpW  = (Warps > 1) ? $clog2(Warps) : 1,
  parameter int unsigned      NRd    = 4,
  parameter int unsigned      NWr    = 4,
  parameter logic [4*NRd-1:0] RdRegs = 16'h8144,   // registers per read port (1 .. 8), port 0 lowest
  parameter logic [4*NWr-1:0] WrRegs = 16'h8441    // registers per write port (1 .. 8)
) (
  input  logic                  clk_i,
  input  logic [NRd-1:0]        rd_en_i,
  input  logic [WarpW*NRd-1:0]  rd_warp_i,
  input  logic [7*NRd-1:0]      rd_base_i,
  output logic [8192*NRd-1:0]   rd_data_o,
  input  logic [8*NWr-1:0]      wr_en_i,
  input  logic [WarpW*NWr-1:0]  wr_warp_i,
  input  logic [7*NWr-1:0]      wr_base_i,
  input  logic [32*NWr-1:0]     wr_lanes_i,
  input  logic [8192*NWr-1:0]   wr_data_i
);
  localparam int unsigned L = pacq_abi_pkg::SimtLanes;

`ifndef SYNTHESIS
  localparam int unsigned R = pacq_abi_pkg::SimtRegs;
  // One row (32 lanes) per register of every warp: register r of warp w at w * 128 + r.
  logic [1023:0] mem [Warps*R];

  // A port's read data hold their last value while it is not enabled (its users take them only in
  // the cycles they enable it): clearing every port's 8 rows of 1024 bits in every cycle was the
  // largest single cost of the simulation's clock.
  always_latch begin
    for (int p = 0; p < NRd; p++) begin
      for (int j = 0; j < 8; j++) begin
        if (rd_en_i[p] && j < 32'(RdRegs[4*p +: 4]))
          rd_data_o[8192*p + 1024*j +: 1024] = mem[32'(rd_warp_i[WarpW*p +: WarpW]) * R
                                                   + 32'(7'(rd_base_i[7*p +: 7] + 7'(j)))];
      end
    end
  end

  // One process per (port, register): Verilator writes an array non-blocking only outside loops.
  // Rows past a port's register count carry nothing. Each port's lane mask is expanded once, outside
  // the processes, one lane per assignment: a function called in a process is evaluated (and its
  // 1024-bit result cleared) in every cycle, whether or not the write is enabled.
  for (genvar p = 0; p < NWr; p++) begin : g_wp
    logic [1023:0] wmask;
    for (genvar l = 0; l < L; l++) begin : g_lane
      assign wmask[32*l +: 32] = {32{wr_lanes_i[32*p + l]}};
    end
    for (genvar j = 0; j < 8; j++) begin : g_wr
      if (j >= 32'(WrRegs[4*p +: 4])) begin : g_off
        logic unused_row;
        assign unused_row = ^wr_data_i[8192*p + 1024*j +: 1024];
      end else begin : g_on
        always_ff @(posedge clk_i) begin
          if (wr_en_i[8*p + j]) begin
            mem[32'(wr_warp_i[WarpW*p +: WarpW]) * R + 32'(7'(wr_base_i[7*p +: 7] + 7'(j)))] <=
                (mem[32'(wr_warp_i[WarpW*p +: WarpW]) * R + 32'(7'(wr_base_i[7*p +: 7] + 7'(j)))]
                 & ~wmask)
              | (wr_data_i[8192*p + 1024*j +: 1024] & wmask);
          end
        end
      end
    end
  end

  // The contract: overlapping groups of two write ports in one cycle.
  always_ff @(posedge clk_i) begin
    for (int p = 0; p < NWr; p++) begin
      for (int q = p + 1; q < NWr; q++) begin
        if (wr_en_i[8*p +: 8] != '0 && wr_en_i[8*q +: 8] != '0
            && wr_warp_i[WarpW*p +: WarpW] == wr_warp_i[WarpW*q +: WarpW]) begin
          for (int j = 0; j < 8; j++) begin
            for (int k = 0; k < 8; k++) begin
              if (wr_en_i[8*p + j] && wr_en_i[8*q + k]
                  && 7'(wr_base_i[7*p +: 7] + 7'(j)) == 7'(wr_base_i[7*q +: 7] + 7'(k)))
                $error("pacq_rf: write ports %0d and %0d both write register %0d", p, q,
                       7'(wr_base_i[7*p +: 7] + 7'(j)));
            end
          end
        end
      end
    end
  end
`else
  localparam int unsigned AW = WarpW + 4;          // a cell's word: warp, register / 8

  // The power of two (1, 2, 4 or 8) that holds a port's register count.
  function automatic int unsigned row_span(input logic [3:0] regs);
    row_span = (regs <= 4'd1) ? 1 : (regs <= 4'd2) ? 2 : (regs <= 4'd4) ? 4 : 8;
  endfunction

  // Bank b's data for read port p (32 lanes) at [1024 (8p + b) +: 1024].
  logic [8*1024*NRd-1:0] bank_q;

  for (genvar b = 0; b < 8; b++) begin : g_bank
    // Each port's register in this bank: j = (b - base) mod 8 of its group; its row of data.
    logic [NWr-1:0]      we;
    logic [AW*NWr-1:0]   wa;
    logic [1024*NWr-1:0] wrow;
    logic [AW*NRd-1:0]   ra;
    // Write and read sides in processes of their own: read addresses never depend on written data.
    always_comb begin
      logic [2:0] j;
      for (int p = 0; p < NWr; p++) begin
        j                     = 3'(b) - wr_base_i[7*p +: 3];
        we[p]                 = 32'(j) < 32'(WrRegs[4*p +: 4]) && wr_en_i[8*p + 32'(j)];
        wa[AW*p +: AW]        = {wr_warp_i[WarpW*p +: WarpW], 4'(7'(wr_base_i[7*p +: 7] + 7'(j)) >> 3)};
        // The port's row j, a mux of its rows (not a shifter). When the bank is not written (j past
        // the port's register count) the row does not matter, so j is taken modulo the power of
        // two that holds the count: no select for a 1-register port, 4:1 for 4 registers.
        wrow[1024*p +: 1024]  = wr_data_i[8192*p +: 1024];
        for (int k = 1; k < 8; k++) begin
          if ((j & 3'(row_span(WrRegs[4*p +: 4]) - 1)) == 3'(k)) wrow[1024*p +: 1024] = wr_data_i[8192*p + 1024*k +: 1024];
        end
      end
    end
    always_comb begin
      logic [2:0] j;
      for (int p = 0; p < NRd; p++) begin
        j              = 3'(b) - rd_base_i[7*p +: 3];
        ra[AW*p +: AW] = {rd_warp_i[WarpW*p +: WarpW], 4'(7'(rd_base_i[7*p +: 7] + 7'(j)) >> 3)};
      end
    end
    for (genvar l = 0; l < L; l++) begin : g_lane
      logic [NWr-1:0]    lwe;
      logic [32*NWr-1:0] lwd;
      logic [32*NRd-1:0] lq;
      for (genvar p = 0; p < NWr; p++) begin : g_wp
        assign lwe[p]          = we[p] && wr_lanes_i[32*p + l];
        assign lwd[32*p +: 32] = wrow[1024*p + 32*l +: 32];
      end
      for (genvar p = 0; p < NRd; p++) begin : g_rp
        assign bank_q[1024*(8*p + b) + 32*l +: 32] = lq[32*p +: 32];
      end
      pacq_rf_cell #(.Depth (Warps * 16), .NWr (NWr), .NRd (NRd)) u_cell (
        .clk_i   (clk_i),
        .we_i    (lwe),
        .waddr_i (wa),
        .wdata_i (lwd),
        .raddr_i (ra),
        .rdata_o (lq)
      );
    end
  end

  // Rows back into group order: register base + j of port p comes from bank (base + j) mod 8.
  always_comb begin
    for (int p = 0; p < NRd; p++) begin
      for (int j = 0; j < 8; j++) begin
        rd_data_o[8192*p + 1024*j +: 1024] = '0;
        for (int b = 0; b < 8; b++) begin              // a mux of 8 rows (not a shifter)
          if (j < 32'(RdRegs[4*p +: 4]) && rd_en_i[p] && 3'(rd_base_i[7*p +: 3] + 3'(j)) == 3'(b))
            rd_data_o[8192*p + 1024*j +: 1024] = bank_q[1024*(8*p + b) +: 1024];
        end
      end
    end
  end
`endif
endmodule
