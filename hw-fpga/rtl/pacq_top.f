// Sources of pacq_top in compilation order (package first). Read by the Makefile (Verilator,
// Yosys) and board/build.tcl (Vivado): the one list of the device's RTL. build/rom/ is generated
// from the Java model's kernel ROM (make -C hw-fpga rom); pacq_engine includes its
// pacq_kernel_rom_init.svh.
rtl/pacq_abi_pkg.sv
rtl/pacq_fp_pkg.sv
rtl/fp32_add.sv
rtl/fp32_mul.sv
rtl/fp32_fma.sv
rtl/int_to_fp.sv
rtl/fp16_to_fp32.sv
rtl/fp32_to_fp16.sv
rtl/fp16_mul.sv
rtl/pacq_fpint_mul.sv
rtl/pacq_simt_pkg.sv
build/rom/pacq_kernel_rom_pkg.sv
rtl/pacq_divu.sv
rtl/pacq_core.sv
rtl/pacq_regs.sv
rtl/pacq_cmdproc.sv
rtl/pacq_engine.sv
rtl/pacq_top.sv
