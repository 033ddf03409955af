// pacq_lane_ram: one lane's small storage in pacq_core (the result rings' data, the global load
// slots' block offsets and loaded bytes): Depth words of Width bits, one write port and one
// asynchronous read port, the shape synthesis maps to distributed RAM.
module pacq_lane_ram #(
  parameter int unsigned Depth = 8,
  parameter int unsigned Width = 32,
  parameter int unsigned AddrW = $clog2(Depth)
) (
  input  logic             clk_i,
  input  logic             we_i,
  input  logic [AddrW-1:0] waddr_i,
  input  logic [Width-1:0] wdata_i,
  input  logic [AddrW-1:0] raddr_i,
  output logic [Width-1:0] rdata_o
);
  logic [Width-1:0] mem [Depth];

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
  end

  assign rdata_o = mem[raddr_i];
endmodule
