/**
 * The {@code rtlsim:} backend: the Verilated PacQ RTL (hw-fpga) loaded into the JVM through JNA,
 * driven by the same {@link io.pacq.driver.LinkDevice} as every other hardware-like backend.
 * Public entry point: {@link io.pacq.rtlsim.RtlSimProvider} (found by {@link java.util.ServiceLoader}).
 */
package io.pacq.rtlsim;
