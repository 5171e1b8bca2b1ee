/**
 * The federated round, written once (docs/round.md): {@link io.afd.core.round.SeedStream} (every derived
 * seed), {@link io.afd.core.round.SelectionPolicy} with one class per policy and the
 * {@link io.afd.core.round.Policies} registry, {@link io.afd.core.round.RoundPlanner} (participants and task
 * specs), {@link io.afd.core.round.RoundCloser} (evaluate and stop decisions) and
 * {@link io.afd.core.round.RoundLoop} over the {@link io.afd.core.round.Federation} and
 * {@link io.afd.core.round.RoundJournal} ports. No ND4J, no IO, no transport.
 */
package io.afd.core.round;
