// pacq_rf_cell: one bank of one lane of the register file (pacq_rf, synthesis branch): Depth words
// of 32 bits with NWr write ports and NRd asynchronous read ports, built from 1-write, 1-read
// RAMs as a live-value-table memory (LaForest and Steffan, FPGA 2010): write port w writes its
// copy for every read port, and a table of Depth entries remembers which port wrote each word
// last; read port r reads every port's copy and takes the one the table names. No two ports
// write the same word in one cycle (pacq_rf's contract).
module pacq_rf_cell #(
  parameter int unsigned Depth = 64,
  parameter int unsigned NWr   = 4,
  parameter int unsigned NRd   = 4,
  parameter int unsigned AW    = $clog2(Depth)
) (
  input  logic              clk_i,
  input  logic [NWr-1:0]    we_i,
  input  logic [AW*NWr-1:0] waddr_i,
  input  logic [32*NWr-1:0] wdata_i,
  input  logic [AW*NRd-1:0] raddr_i,
  output logic [32*NRd-1:0] rdata_o
);
  localparam int unsigned LW = (NWr > 1) ? $clog2(NWr) : 1;

  // The live-value table (flip-flops: it has NWr write ports); one process per port.
  logic [LW-1:0] lvt [Depth];
  // Copy (w, r) of every word: read port r's data if port w wrote it last.
  logic [32*NRd*NWr-1:0] copy_q;

  for (genvar w = 0; w < NWr; w++) begin : g_w
    always_ff @(posedge clk_i) begin
      if (we_i[w]) lvt[waddr_i[AW*w +: AW]] <= LW'(w);
    end
    for (genvar r = 0; r < NRd; r++) begin : g_r
      logic [31:0] ram [Depth];
      always_ff @(posedge clk_i) begin
        if (we_i[w]) ram[waddr_i[AW*w +: AW]] <= wdata_i[32*w +: 32];
      end
      assign copy_q[32*(NRd*w + r) +: 32] = ram[raddr_i[AW*r +: AW]];
    end
  end

  always_comb begin
    for (int r = 0; r < NRd; r++)
      rdata_o[32*r +: 32] = copy_q[32*(NRd*32'(lvt[raddr_i[AW*r +: AW]]) + r) +: 32];
  end
endmodule
