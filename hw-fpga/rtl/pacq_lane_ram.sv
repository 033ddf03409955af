// pacq_lane_ram: a small per-lane memory of pacq_core (the result rings' data, the global load
// slots' block offsets and loaded bytes): Depth rows of Lanes words of Width bits, lane l's word at
// [Width*l]; one write port that writes the lanes whose enable is set, one asynchronous read port
// of a whole row. Synthesis maps it to distributed RAM (the row's other lanes are kept through
// per-lane write enables). One memory for all lanes gives the core its lanes as one row; from
// per-lane instances the simulation would assemble that row in every cycle.
module pacq_lane_ram #(
  parameter int unsigned Lanes = 32,
  parameter int unsigned Depth = 8,
  parameter int unsigned Width = 32,
  parameter int unsigned AddrW = $clog2(Depth)
) (
  input  logic                   clk_i,
  input  logic [Lanes-1:0]       we_i,
  input  logic [AddrW-1:0]       waddr_i,
  input  logic [Lanes*Width-1:0] wdata_i,
  input  logic [AddrW-1:0]       raddr_i,
  output logic [Lanes*Width-1:0] rdata_o
);
  logic [Lanes*Width-1:0] mem [Depth];

  always_ff @(posedge clk_i) begin : write
    logic [Lanes*Width-1:0] row;
    row = '0;
    if (we_i != '0) begin
      row = mem[waddr_i];
      for (int l = 0; l < Lanes; l++) begin
        if (we_i[l]) row[Width*l +: Width] = wdata_i[Width*l +: Width];
      end
      mem[waddr_i] <= row;
    end
  end

  assign rdata_o = mem[raddr_i];
endmodule
