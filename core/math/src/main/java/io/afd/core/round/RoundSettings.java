package io.afd.core.round;

import io.afd.core.codec.CodecSpec;
import io.afd.core.model.ModelSpec;
import java.util.Objects;

/**
 * What the round loop needs of an experiment: the part of its config that means the same in the
 * simulator and in the distributed suite.
 *
 * @param seed            master seed; every derived seed is a {@link SeedStream}
 * @param model           the global model
 * @param rounds          number of rounds
 * @param clientsPerRound clients sampled uniformly without replacement each round
 * @param train           local training (E, B, eta) and DGC, with its warm-up over rounds
 * @param selection       the selection policy and its settings
 * @param downlink        codec of the sub-models sent to clients (seeded per client and round)
 * @param uplink          codec of client updates (seeded per client and round)
 * @param targetAccuracy  stop once an evaluated round reaches this test accuracy (&gt; 1: never)
 * @param evalEvery       evaluate rounds t with t % evalEvery == 0, the last round, and every round
 *                        while a target accuracy is set
 * @param evalBatchSize   batch size of server-side evaluation
 */
public record RoundSettings(
        long seed,
        ModelSpec model,
        int rounds,
        int clientsPerRound,
        TrainConfig train,
        SelectionSettings selection,
        CodecSpec downlink,
        CodecSpec uplink,
        double targetAccuracy,
        int evalEvery,
        int evalBatchSize) {
    public RoundSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(downlink, "downlink");
        Objects.requireNonNull(uplink, "uplink");
        if (rounds < 1 || clientsPerRound < 1 || evalEvery < 1 || evalBatchSize < 1) {
            throw new IllegalArgumentException("rounds, clientsPerRound, evalEvery and evalBatchSize must be >= 1");
        }
    }
}
