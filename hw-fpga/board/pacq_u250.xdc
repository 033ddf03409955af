# PacQ on the AMD Alveo U250 (part xcu250-figd2104-2L-e, board part xilinx.com:au250:part0:1.3).
# Pins from the U250 user guide (UG1289, "Xilinx Design Constraints") and the board's master XDC
# (alveo-u250-xdc.xdc). The DDR4 C0 pins (72-bit DIMM channel 0) and the PCIe lanes are placed by
# the board part when build.tcl applies the board interfaces ddr4_sdram_c0 and pci_express to the
# MIG and the XDMA, so they are not repeated here.

# Configuration (UG1289: SPIx4 flash, 1.8 V bank 0).
set_property CONFIG_VOLTAGE 1.8                     [current_design]
set_property CFGBVS GND                             [current_design]
set_property CONFIG_MODE SPIx4                      [current_design]
set_property BITSTREAM.CONFIG.SPI_BUSWIDTH 4        [current_design]
set_property BITSTREAM.CONFIG.CONFIGRATE 85.0       [current_design]
set_property BITSTREAM.GENERAL.COMPRESS TRUE        [current_design]
set_property BITSTREAM.CONFIG.EXTMASTERCCLK_EN DISABLE [current_design]

# PCIe reference clock, 100 MHz from the edge connector: net PEX_REFCLK_C_P/N, MGTREFCLK0 of quad
# 226 (the x16 link uses quads 224..227).
set_property PACKAGE_PIN AM11 [get_ports pcie_refclk_clk_p]
set_property PACKAGE_PIN AM10 [get_ports pcie_refclk_clk_n]
create_clock -name pcie_refclk -period 10.000 [get_ports pcie_refclk_clk_p]

# PCIe reset from the edge connector: net PCIE_PERST_LS, bank 64 (1.2 V), IO_L23P_T3U_N8_64.
set_property -dict {PACKAGE_PIN BD21 IOSTANDARD LVCMOS12} [get_ports pcie_perstn]
set_property PULLUP true [get_ports pcie_perstn]
set_false_path -from [get_ports pcie_perstn]

# DDR4 C0 system clock, 300 MHz: net SYSCLK0_300_P/N, bank 63, IO_L13P/N_T2L_N0/N1_GC_QBC_63.
set_property -dict {PACKAGE_PIN AY37 IOSTANDARD DIFF_SSTL12} [get_ports ddr4_c0_sysclk_clk_p]
set_property -dict {PACKAGE_PIN AY38 IOSTANDARD DIFF_SSTL12} [get_ports ddr4_c0_sysclk_clk_n]
create_clock -name ddr4_c0_sysclk -period 3.333 [get_ports ddr4_c0_sysclk_clk_p]

# The device runs on the XDMA's axi_aclk (250 MHz); the SmartConnect crosses to the DDR4 ui_clk.
# Both are generated clocks of the IP: Vivado derives them, and the crossings are inside the
# SmartConnect, which carries its own constraints.
