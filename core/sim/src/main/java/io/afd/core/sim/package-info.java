/**
 * The in-process simulator: experiment YAML ({@link io.afd.core.sim.ExperimentConfig}), the data loaders
 * it uses, {@link io.afd.core.sim.InProcessFederation} (the round loop's in-process adapter),
 * {@link io.afd.core.sim.Simulator} and per-round metrics. Clients train one after another in this JVM.
 */
package io.afd.core.sim;
