// Sources of pacq_top in compilation order (package first). Read by the Makefile (Verilator,
// Yosys) and board/build.tcl (Vivado): the one list of the device's RTL. rtl/pacq_kernel_rom_pkg.sv
// and rtl/pacq_kernel_rom.hex are generated from the Java model's kernels (KernelRomFilesTest);
// pacq_prog_rom includes build/rom/pacq_kernel_rom_init.svh, made from the .hex (make -C hw-fpga rom).
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
rtl/pacq_kernel_rom_pkg.sv
rtl/pacq_prog_rom.sv
rtl/pacq_divu.sv
rtl/pacq_mma_slot.sv
rtl/pacq_mma_acc.sv
rtl/pacq_mma_unit.sv
rtl/pacq_lane_alu.sv
rtl/pacq_lane_fpu.sv
rtl/pacq_rf_cell.sv
rtl/pacq_rf.sv
rtl/pacq_smem_bank.sv
rtl/pacq_smem.sv
rtl/pacq_lane_ram.sv
rtl/pacq_lane_merge.sv
rtl/pacq_lane_pick.sv
rtl/pacq_core.sv
rtl/pacq_regs.sv
rtl/pacq_cmdproc.sv
rtl/pacq_engine.sv
rtl/pacq_top.sv
