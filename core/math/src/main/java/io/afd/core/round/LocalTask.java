package io.afd.core.round;

import io.afd.core.codec.CodecSpec;
import java.util.Objects;

/**
 * What one client's local round needs besides its data, weights and state: the settings of
 * {@code LocalTrainer.train} (module afd-train) and the uplink codec.
 *
 * @param round              the round (the DGC warm-up of {@code train.dgc()} is read at it)
 * @param train              local training settings
 * @param clientsInRound     N, for local gradient clipping
 * @param seed               batch order and DGC threshold sampling
 * @param computeInitialLoss also measure the received sub-model's loss before training
 * @param uplink             codec of the update, already seeded
 */
public record LocalTask(
        int round, TrainConfig train, int clientsInRound, long seed, boolean computeInitialLoss, CodecSpec uplink) {
    public LocalTask {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(uplink, "uplink");
    }
}
