/*
 * pacq_rtlsim: the Verilated PacQ device (pacq_top) with an AXI4 device-memory model, as a shared
 * library with a small C interface. drivers/rtlsim loads it through JNA (io.pacq.rtlsim).
 *
 * Time advances only inside calls: every register access runs the clock until its AXI4-Lite
 * transaction completes (a few cycles); pacq_sim_run runs up to a cycle budget. Device memory is
 * also reachable through a backdoor (pacq_sim_mem_read/write) that costs no cycles, which is how
 * host DMA is modelled.
 *
 * Threading: a pacq_sim is not thread-safe; callers serialise all calls on one instance.
 * Different instances are independent (each has its own Verilated context).
 *
 * Errors: functions returning int return 0 on success and -1 on failure, with a message in
 * pacq_sim_error(). pacq_sim_create returns NULL on failure (message in pacq_sim_error(NULL)).
 */
#ifndef PACQ_RTLSIM_H
#define PACQ_RTLSIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with -fvisibility=hidden: only these functions are exported. */
#if defined(__GNUC__)
#define PACQ_API __attribute__((visibility("default")))
#else
#define PACQ_API
#endif

typedef struct pacq_sim pacq_sim;

/* Bumped when a function is added or changes; the Java side checks it. */
#define PACQ_RTLSIM_API_VERSION 1

/* Stop conditions of pacq_sim_run (bit set). */
#define PACQ_STOP_IDLE 1u /* the device has nothing to do: no command running or pending */
#define PACQ_STOP_IRQ 2u  /* the interrupt line is high */

PACQ_API int pacq_sim_api_version(void);

/*
 * Creates a device and applies a hardware reset. options: comma-separated key=value pairs, NULL or
 * "" for the defaults:
 *   dmemlat=N     the machine's device-memory latency in cycles, 1..1000 (docs/simt.md 6.3)
 *   dmembw=B      the machine's device-memory bandwidth, 8, 16, 32 or 64 bytes per cycle
 *   rd_latency=N  the AXI memory model: cycles from a read burst's acceptance to its first beat
 *   wr_latency=N  the AXI memory model: cycles from a burst's last data beat to its response
 *   trace=PATH    open a waveform file (FST) at once
 */
PACQ_API pacq_sim *pacq_sim_create(const char *options);

/* Frees the device (closes an open waveform). NULL is ignored. */
PACQ_API void pacq_sim_destroy(pacq_sim *sim);

/* Last error message of this instance (or of the last failed create, for NULL). Never NULL. */
PACQ_API const char *pacq_sim_error(const pacq_sim *sim);

/* One line naming the model and its configuration. */
PACQ_API const char *pacq_sim_describe(const pacq_sim *sim);

/* Hardware reset: rst_ni low for a few cycles. Device memory is kept. */
PACQ_API void pacq_sim_reset(pacq_sim *sim);

/* 32-bit register access through the AXI4-Lite slave; runs the clock until the response. */
PACQ_API int pacq_sim_reg_read(pacq_sim *sim, uint32_t offset, uint32_t *value);
PACQ_API int pacq_sim_reg_write(pacq_sim *sim, uint32_t offset, uint32_t value);

/* Backdoor device-memory access (no cycles). Fails for a range outside [0, memory size). */
PACQ_API int pacq_sim_mem_write(pacq_sim *sim, uint64_t address, const void *src, uint64_t length);
PACQ_API int pacq_sim_mem_read(pacq_sim *sim, uint64_t address, void *dst, uint64_t length);

/* Device memory size in bytes (CAP_MEM). */
PACQ_API uint64_t pacq_sim_mem_size(const pacq_sim *sim);

/*
 * Runs at most max_cycles clock cycles, stopping early (before the next cycle) when a condition
 * in stop (PACQ_STOP_* bits) holds. Returns the number of cycles run.
 */
PACQ_API uint64_t pacq_sim_run(pacq_sim *sim, uint64_t max_cycles, uint32_t stop);

/* 1 when the interrupt line is high now. */
PACQ_API int pacq_sim_irq(const pacq_sim *sim);

/* Runs until the interrupt line is high (returns 1) or max_cycles have run (returns 0). */
PACQ_API int pacq_sim_wait_irq(pacq_sim *sim, uint64_t max_cycles);

/* Clock cycles since create. */
PACQ_API uint64_t pacq_sim_cycles(const pacq_sim *sim);

/*
 * 0 while no RTL check has failed (the RTL's simulation-only $error checks, e.g. the register
 * file's write-port contract; their messages go to standard output, and pacq_sim_run stops at the
 * cycle of the first) and the memory model has seen no AXI protocol error from the device (a
 * narrow, unaligned, non-INCR or out-of-range burst, a WLAST mismatch); -1 afterwards, with the
 * first described in pacq_sim_error().
 */
PACQ_API int pacq_sim_check(pacq_sim *sim);

/* Starts writing an FST waveform to path (replacing an open one), or stops (path NULL). */
PACQ_API int pacq_sim_trace(pacq_sim *sim, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* PACQ_RTLSIM_H */
