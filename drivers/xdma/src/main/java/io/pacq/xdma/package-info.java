/**
 * The PCIe link to FPGA boards through the Xilinx XDMA driver ({@code xdma:/dev/xdma0}): JNA to
 * libc on the driver's character devices, no native code of our own. Public: the provider
 * ({@link io.pacq.xdma.XdmaProvider}, found by {@link java.util.ServiceLoader}), discovery for
 * {@code pacq info --list} ({@link io.pacq.xdma.XdmaDevices}) and the typed exceptions
 * ({@link io.pacq.xdma.XdmaException} and subclasses). Everything else is package-private. See
 * docs/board-bringup.md.
 */
package io.pacq.xdma;
