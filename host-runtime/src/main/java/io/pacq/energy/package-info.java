/**
 * The energy model: energy and energy-delay product of a GEMM command from the activity counters
 * of its completion record, with every per-event energy from a published source
 * ({@link io.pacq.energy.EnergyEvent}). Method, sources and limits: docs/reproduce.md.
 */
package io.pacq.energy;
