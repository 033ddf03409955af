# Builds the PacQ bitstream for the AMD Alveo U250 (xcu250-figd2104-2L-e) in Vivado project mode:
#
#   vivado -mode batch -source hw-fpga/board/build.tcl -tclargs [out_dir]
#
# (from the repository root, after `make -C hw-fpga rom`, which writes build/rom/). Tested
# against nothing: Vivado does not run in this repository's CI; docs/rtl.md ("Board") says what was
# checked instead (lint and simulation of pacq_xdma_wrap with a model of the XDMA side).
#
# Block design `pacq_bd`:
#
#   PCIe x16 Gen3 --> XDMA (AXI Memory Mapped, 512-bit, BAR0 DMA, BAR1 = AXI-Lite 4 KiB
#                     |        user interrupt 1)
#                     +-- M_AXI_LITE ---------------------> pacq (pacq_xdma_wrap) s_axil
#                     +-- M_AXI (H2C/C2H DMA) --+
#                                               +--> SmartConnect --> DDR4 MIG C0 (16 GiB)
#                      pacq m_axi --------------+
#                      pacq usr_irq_req ----------> XDMA usr_irq_req[0]
#
# Vivado 2022.2 or later (IP versions are left to the catalogue: no version pinned).
set root [file normalize [file join [file dirname [info script]] ../..]]
set hw   $root/hw-fpga
set out  [expr {[llength $argv] > 0 ? [file normalize [lindex $argv 0]] : "$hw/build/vivado"}]
set part xcu250-figd2104-2L-e
set board_part xilinx.com:au250:part0:1.3

create_project -force pacq_u250 $out -part $part
set_property board_part $board_part [current_project]

# The device's sources: the one list rtl/pacq_top.f (comments stripped) plus the wrapper.
set srcs {}
set fh [open $hw/rtl/pacq_top.f]
foreach line [split [read $fh] "\n"] {
  regsub {//.*$} $line {} line
  set line [string trim $line]
  if {$line ne ""} { lappend srcs $hw/$line }
}
close $fh
add_files -norecurse $srcs
set_property file_type SystemVerilog [get_files -filter {NAME =~ *.sv}]
add_files -norecurse $hw/board/pacq_xdma_wrap.v
set_property include_dirs [list $hw/build/rom] [current_fileset]
add_files -fileset constrs_1 -norecurse $hw/board/pacq_u250.xdc

# ---------------------------------------------------------------------------- block design
create_bd_design pacq_bd

set xdma [create_bd_cell -type ip -vlnv xilinx.com:ip:xdma xdma_0]
apply_board_connection -board_interface pci_express -ip_intf xdma_0/pcie_mgt -diagram pacq_bd
set_property -dict [list \
  CONFIG.mode_selection {Advanced} \
  CONFIG.pl_link_cap_max_link_width {X16} \
  CONFIG.pl_link_cap_max_link_speed {8.0_GT/s} \
  CONFIG.axi_data_width {512_bit} \
  CONFIG.axisten_freq {250} \
  CONFIG.axi_addr_width {64} \
  CONFIG.pf0_device_id {903F} \
  CONFIG.axilite_master_en {true} \
  CONFIG.axilite_master_size {4} \
  CONFIG.axilite_master_scale {Kilobytes} \
  CONFIG.xdma_num_usr_irq {1} \
  CONFIG.xdma_rnum_chnl {1} \
  CONFIG.xdma_wnum_chnl {1} \
] $xdma

set ddr [create_bd_cell -type ip -vlnv xilinx.com:ip:ddr4 ddr4_c0]
apply_board_connection -board_interface ddr4_sdram_c0 -ip_intf ddr4_c0/C0_DDR4 -diagram pacq_bd
apply_board_connection -board_interface default_300mhz_clk0 -ip_intf ddr4_c0/C0_SYS_CLK -diagram pacq_bd

set sc [create_bd_cell -type ip -vlnv xilinx.com:ip:smartconnect smartconnect_0]
set_property -dict [list CONFIG.NUM_SI {2} CONFIG.NUM_MI {1} CONFIG.NUM_CLKS {2}] $sc

set pacq [create_bd_cell -type module -reference pacq_xdma_wrap pacq_0]

# Clocks and resets: the XDMA's axi_aclk/axi_aresetn drive the device and the SmartConnect's
# slave side; the DDR4 ui_clk its master side.
set rst_ddr [create_bd_cell -type ip -vlnv xilinx.com:ip:proc_sys_reset rst_ddr4]
connect_bd_net [get_bd_pins xdma_0/axi_aclk] [get_bd_pins pacq_0/axi_aclk] [get_bd_pins smartconnect_0/aclk]
connect_bd_net [get_bd_pins xdma_0/axi_aresetn] [get_bd_pins pacq_0/axi_aresetn] [get_bd_pins smartconnect_0/aresetn]
connect_bd_net [get_bd_pins ddr4_c0/c0_ddr4_ui_clk] [get_bd_pins smartconnect_0/aclk1] [get_bd_pins rst_ddr4/slowest_sync_clk]
connect_bd_net [get_bd_pins ddr4_c0/c0_ddr4_ui_clk_sync_rst] [get_bd_pins rst_ddr4/ext_reset_in]
connect_bd_net [get_bd_pins rst_ddr4/peripheral_aresetn] [get_bd_pins ddr4_c0/c0_ddr4_aresetn]
# PERST# (active low) resets the XDMA; the memory controller (active-high sys_rst) with it.
create_bd_port -dir I -type rst pcie_perstn
set_property CONFIG.POLARITY ACTIVE_LOW [get_bd_ports pcie_perstn]
connect_bd_net [get_bd_ports pcie_perstn] [get_bd_pins xdma_0/sys_rst_n]
set inv [create_bd_cell -type ip -vlnv xilinx.com:ip:util_vector_logic perst_inv]
set_property -dict [list CONFIG.C_SIZE {1} CONFIG.C_OPERATION {not}] $inv
connect_bd_net [get_bd_ports pcie_perstn] [get_bd_pins perst_inv/Op1]
connect_bd_net [get_bd_pins perst_inv/Res] [get_bd_pins ddr4_c0/sys_rst]
# PCIe reference clock through an IBUFDS_GTE4.
set refbuf [create_bd_cell -type ip -vlnv xilinx.com:ip:util_ds_buf pcie_refclk_buf]
set_property CONFIG.C_BUF_TYPE {IBUFDSGTE} $refbuf
create_bd_intf_port -mode Slave -vlnv xilinx.com:interface:diff_clock_rtl:1.0 pcie_refclk
set_property CONFIG.FREQ_HZ 100000000 [get_bd_intf_ports pcie_refclk]
connect_bd_intf_net [get_bd_intf_ports pcie_refclk] [get_bd_intf_pins pcie_refclk_buf/CLK_IN_D]
connect_bd_net [get_bd_pins pcie_refclk_buf/IBUF_DS_ODIV2] [get_bd_pins xdma_0/sys_clk]
connect_bd_net [get_bd_pins pcie_refclk_buf/IBUF_OUT] [get_bd_pins xdma_0/sys_clk_gt]
# Names the XDC uses for the DDR4 system clock port.
set_property name ddr4_c0_sysclk [get_bd_intf_ports -of [get_bd_intf_nets -of [get_bd_intf_pins ddr4_c0/C0_SYS_CLK]]]

# Data paths.
connect_bd_intf_net [get_bd_intf_pins xdma_0/M_AXI_LITE] [get_bd_intf_pins pacq_0/s_axil]
connect_bd_intf_net [get_bd_intf_pins xdma_0/M_AXI] [get_bd_intf_pins smartconnect_0/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins pacq_0/m_axi] [get_bd_intf_pins smartconnect_0/S01_AXI]
connect_bd_intf_net [get_bd_intf_pins smartconnect_0/M00_AXI] [get_bd_intf_pins ddr4_c0/C0_DDR4_S_AXI]
connect_bd_net [get_bd_pins pacq_0/usr_irq_req] [get_bd_pins xdma_0/usr_irq_req]
connect_bd_net [get_bd_pins xdma_0/usr_irq_ack] [get_bd_pins pacq_0/usr_irq_ack]

# Address map: the register window at BAR1 offset 0, card DDR4 at 0 for both masters (the
# driver's device addresses are DDR offsets).
assign_bd_address
set_property offset 0x0 [get_bd_addr_segs xdma_0/M_AXI_LITE/SEG_pacq_0_reg0] -quiet
set_property range 4K   [get_bd_addr_segs xdma_0/M_AXI_LITE/SEG_pacq_0_reg0] -quiet
foreach seg [get_bd_addr_segs -quiet {xdma_0/M_AXI/SEG_ddr4_c0_* pacq_0/m_axi/SEG_ddr4_c0_*}] {
  set_property offset 0x0 $seg
  set_property range 16G $seg
}

validate_bd_design
save_bd_design
make_wrapper -files [get_files pacq_bd.bd] -top
add_files -norecurse [glob $out/pacq_u250.gen/sources_1/bd/pacq_bd/hdl/pacq_bd_wrapper.v]
set_property top pacq_bd_wrapper [current_fileset]

# ------------------------------------------------------------------------------ implement
launch_runs synth_1 -jobs 8
wait_on_run synth_1
launch_runs impl_1 -to_step write_bitstream -jobs 8
wait_on_run impl_1
open_run impl_1
report_utilization -file $out/utilization.rpt
report_timing_summary -file $out/timing.rpt
puts "bitstream: [glob $out/pacq_u250.runs/impl_1/*.bit]"
