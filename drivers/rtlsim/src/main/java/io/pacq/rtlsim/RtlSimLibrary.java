package io.pacq.rtlsim;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * JNA mapping of the C interface of {@code libpacq_rtlsim.so} (hw-fpga/sim/pacq_rtlsim.h; the
 * comments there are the contract). A {@code pacq_sim} handle is not thread-safe: callers
 * serialise every call on one handle.
 */
interface RtlSimLibrary extends Library {
    /** The interface version this class maps (PACQ_RTLSIM_API_VERSION). */
    int API_VERSION = 1;
    /** pacq_sim_run stop conditions. */
    int STOP_IDLE = 1;
    int STOP_IRQ = 2;

    int pacq_sim_api_version();

    Pointer pacq_sim_create(String options);

    void pacq_sim_destroy(Pointer sim);

    String pacq_sim_error(Pointer sim);

    String pacq_sim_describe(Pointer sim);

    void pacq_sim_reset(Pointer sim);

    int pacq_sim_reg_read(Pointer sim, int offset, int[] value);

    int pacq_sim_reg_write(Pointer sim, int offset, int value);

    int pacq_sim_mem_write(Pointer sim, long address, byte[] src, long length);

    int pacq_sim_mem_read(Pointer sim, long address, byte[] dst, long length);

    long pacq_sim_mem_size(Pointer sim);

    long pacq_sim_run(Pointer sim, long maxCycles, int stop);

    int pacq_sim_irq(Pointer sim);

    long pacq_sim_cycles(Pointer sim);

    int pacq_sim_check(Pointer sim);

    int pacq_sim_trace(Pointer sim, String path);
}
