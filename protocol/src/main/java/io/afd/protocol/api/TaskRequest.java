package io.afd.protocol.api;

import java.util.Map;

/**
 * Orchestrator to packager: build and publish a round's tasks.
 *
 * @param architecture    global model spec
 * @param modelVersion    registry version to extract from
 * @param participants    client id -> its index k and selection
 * @param train           training settings of the round (with {@code computeInitialLoss}, the one copy of
 *                        the loss signal); its {@code seed} is ignored: the packager gives each client its
 *                        own through {@code RoundPlanner.assign} ({@code SeedStream.TRAINING})
 * @param downlink        downlink codec name
 * @param uplink          uplink codec name
 * @param seed            experiment master seed
 * @param deadlineEpochMs round deadline
 */
public record TaskRequest(
        String architecture,
        int modelVersion,
        Map<String, Participant> participants,
        io.afd.protocol.TrainingConfig train,
        String downlink,
        String uplink,
        long seed,
        long deadlineEpochMs) {

    /** A participant: its client index (for seeds and data) and its selection. */
    public record Participant(int index, String selection) {}
}
