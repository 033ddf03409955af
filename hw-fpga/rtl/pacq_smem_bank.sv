// pacq_smem_bank: one bank of shared memory (pacq_smem): Rows words of 16 bytes, one
// read-or-write port with byte enables and a registered read, which is a block RAM's port. The
// attribute keeps Yosys and Vivado from LUT RAM, which they pick for so shallow a memory.
module pacq_smem_bank #(
  parameter int unsigned Rows = 128,
  parameter int unsigned RowW = $clog2(Rows)
) (
  input  logic            clk_i,
  input  logic            en_i,
  input  logic            we_i,
  input  logic [RowW-1:0] row_i,
  input  logic [127:0]    wdata_i,
  input  logic [15:0]     wstrb_i,
  output logic [127:0]    rdata_o
);
  (* ram_style = "block" *) logic [127:0] mem [Rows];
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      if (we_i) begin
        for (int k = 0; k < 16; k++) begin
          if (wstrb_i[k]) mem[row_i][8*k +: 8] <= wdata_i[8*k +: 8];
        end
      end else begin
        rdata_o <= mem[row_i];
      end
    end
  end
endmodule
