/**
 * Experiment matrices: expansion of a matrix YAML into cells, the runner, the convergence-time model
 * under bandwidth profiles, and the analysis behind {@code bin/afd report}. Offline research tooling on
 * top of the simulator.
 */
package io.afd.core.experiment;
