/**
 * {@code pacq reproduce}: the PacQ paper's evaluation on a device that reports cycles, and the
 * paper's FP16 datapath emulated bit by bit for contrast. Method and results: docs/reproduce.md.
 */
package io.pacq.repro;
