// Shared memory of a core (docs/simt.md 4): SMEM_BANKS (32) banks of SMEM_BANK_BYTES (16)
// bytes, the 16-byte word at byte address a in bank (a / 16) mod 32 and row a / 512. Each bank
// has one port that reads or writes one row per model cycle; a write has byte enables. The core's
// LSU drives the ports for one pass of a shared-memory instruction (registered) and takes a load's
// words a cycle later (rdata_o holds a bank's last read).
module pacq_smem #(
  parameter int unsigned Bytes = pacq_abi_pkg::DefaultSmemBytes,
  parameter int unsigned Banks = pacq_abi_pkg::SmemBanks,
  parameter int unsigned Rows  = Bytes / (pacq_abi_pkg::SmemBankBytes * Banks),
  parameter int unsigned RowW  = $clog2(Rows)
) (
  input  logic                  clk_i,
  input  logic                  adv_i,      // a model cycle completes at this edge
  input  logic [Banks-1:0]      en_i,       // bank b takes part in this pass
  input  logic                  we_i,       // the pass writes (else it reads)
  input  logic [RowW*Banks-1:0] row_i,      // bank b's row at [RowW*b +: RowW]
  input  logic [128*Banks-1:0]  wdata_i,    // bank b's word at [128*b +: 128]
  input  logic [16*Banks-1:0]   wstrb_i,    // bank b's byte enables at [16*b +: 16]
  output logic [128*Banks-1:0]  rdata_o     // bank b's word read by its last read
);
`ifdef SYNTHESIS
  for (genvar b = 0; b < Banks; b++) begin : g_bank
    pacq_smem_bank #(.Rows (Rows)) u_bank (
      .clk_i   (clk_i),
      .en_i    (adv_i && en_i[b]),
      .we_i    (we_i),
      .row_i   (row_i[RowW*b +: RowW]),
      .wdata_i (wdata_i[128*b +: 128]),
      .wstrb_i (wstrb_i[16*b +: 16]),
      .rdata_o (rdata_o[128*b +: 128])
    );
  end
`else
  // Simulation: the same banks in one process that runs only in a cycle with a pass (32 bank
  // instances would assemble rdata_o from their outputs in every cycle). A write merges its bytes
  // into the word with a blocking assignment: only this process reads the array, and never in
  // the cycle it writes it.
  logic [127:0] mem [Banks*Rows];
  always_ff @(posedge clk_i) begin
    logic [127:0] bm;
    if (adv_i && en_i != '0) begin
      for (int b = 0; b < Banks; b++) begin
        if (en_i[b]) begin
          if (we_i) begin
            for (int k = 0; k < 16; k++) bm[8*k +: 8] = {8{wstrb_i[16*b + k]}};
            mem[b*Rows + 32'(row_i[RowW*b +: RowW])] = (mem[b*Rows + 32'(row_i[RowW*b +: RowW])] & ~bm)
                                                     | (wdata_i[128*b +: 128] & bm);
          end else begin
            rdata_o[128*b +: 128] <= mem[b*Rows + 32'(row_i[RowW*b +: RowW])];
          end
        end
      end
    end
  end
`endif
endmodule
