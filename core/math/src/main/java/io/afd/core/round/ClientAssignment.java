package io.afd.core.round;

import io.afd.core.codec.CodecSpec;
import io.afd.core.submodel.Selection;

/**
 * One participant's task spec: everything its local round needs besides the weights.
 *
 * @param task      the round's shared settings
 * @param client    the participant
 * @param selection its sub-model
 * @param downlink  the downlink codec seeded {@link SeedStream#DOWNLINK}(round, index)
 * @param uplink    the uplink codec seeded {@link SeedStream#UPLINK}(round, index)
 * @param trainSeed batch order and DGC sampling seed, {@link SeedStream#TRAINING}(round, index)
 */
public record ClientAssignment(
        RoundTask task, Client client, Selection selection, CodecSpec downlink, CodecSpec uplink, long trainSeed) {

    /** The client-side settings of {@link io.afd.core.train.ClientStep}. */
    public LocalTask localTask() {
        return new LocalTask(
                task.round(), task.train(), task.clientsInRound(), trainSeed, task.computeInitialLoss(), uplink);
    }
}
