package io.afd.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.afd.core.codec.CodecSpec;
import io.afd.core.dgc.DgcConfig;
import io.afd.core.round.LocalTask;
import io.afd.core.round.TrainConfig;

/**
 * The {@code train} object of a {@link ClientTask}: everything the client's local round needs, already
 * resolved for this round (the DGC warm-up is applied by the server: {@code sparsity} is this round's).
 *
 * @param epochs             local epochs E, in [1, 1000]
 * @param batchSize          minibatch size B, in [1, 1000000]
 * @param learningRate       SGD step size, finite and &gt; 0
 * @param momentum           local momentum m, in [0, 1)
 * @param clipNorm           gradient clipping constant c (threshold c / sqrt(clientsInRound)); 0 = off
 * @param sparsity           DGC sparsity s for this round, in [0, 1); 0 = send every coordinate
 * @param denseBelow         tensors with fewer elements go dense, &gt;= 0
 * @param sampleRatio        DGC threshold sampling ratio, in (0, 1]
 * @param tolerance          DGC threshold tolerance, in (0, 1)
 * @param factorMasking      momentum factor masking on/off
 * @param clientsInRound     N, the number of clients in the round (for clipping), in [1, 32768]
 * @param seed               seed of the batch order and of DGC threshold sampling (16 hex digits on the wire)
 * @param computeInitialLoss also measure the received sub-model's loss before training (report it as
 *                           {@code initialLoss})
 */
public record TrainingConfig(
        @JsonProperty(required = true) int epochs,
        @JsonProperty(required = true) int batchSize,
        @JsonProperty(required = true) double learningRate,
        @JsonProperty(required = true) double momentum,
        @JsonProperty(required = true) double clipNorm,
        @JsonProperty(required = true) double sparsity,
        @JsonProperty(required = true) int denseBelow,
        @JsonProperty(required = true) double sampleRatio,
        @JsonProperty(required = true) double tolerance,
        @JsonProperty(required = true) boolean factorMasking,
        @JsonProperty(required = true) int clientsInRound,

        @JsonProperty(required = true)
        @JsonSerialize(using = HexLong.Serializer.class)
        @JsonDeserialize(using = HexLong.Deserializer.class)
        long seed,

        @JsonProperty(required = true) boolean computeInitialLoss) {

    /** Largest number of clients in one round (the FedAvg accumulator's bound). */
    public static final int MAX_CLIENTS_IN_ROUND = 1 << 15;

    public TrainingConfig {
        Check.range(epochs, 1, 1000, "train.epochs");
        Check.range(batchSize, 1, 1_000_000, "train.batchSize");
        Check.that(
                Double.isFinite(learningRate) && learningRate > 0,
                "train.learningRate",
                "must be finite and > 0",
                learningRate);
        Check.that(momentum >= 0 && momentum < 1, "train.momentum", "must be in [0, 1)", momentum);
        Check.finiteNonNegative(clipNorm, "train.clipNorm");
        Check.that(sparsity >= 0 && sparsity < 1, "train.sparsity", "must be in [0, 1)", sparsity);
        Check.range(denseBelow, 0, Integer.MAX_VALUE, "train.denseBelow");
        Check.that(sampleRatio > 0 && sampleRatio <= 1, "train.sampleRatio", "must be in (0, 1]", sampleRatio);
        Check.that(tolerance > 0 && tolerance < 1, "train.tolerance", "must be in (0, 1)", tolerance);
        Check.range(clientsInRound, 1, MAX_CLIENTS_IN_ROUND, "train.clientsInRound");
    }

    /**
     * The task settings of one round from the experiment's training config: the DGC sparsity is
     * {@code cfg.dgc().sparsityForRound(round)}; a clip norm {@code <= 0} becomes 0 (off).
     */
    public static TrainingConfig forRound(
            TrainConfig cfg, int round, int clientsInRound, long seed, boolean computeInitialLoss) {
        DgcConfig d = cfg.dgc();
        return new TrainingConfig(
                cfg.epochs(),
                cfg.batchSize(),
                cfg.learningRate(),
                d.momentum(),
                Math.max(0, d.clipNorm()),
                d.sparsityForRound(round),
                d.denseBelow(),
                d.sampleRatio(),
                d.tolerance(),
                d.factorMasking(),
                clientsInRound,
                seed,
                computeInitialLoss);
    }

    /** The wire form of a client's local round as the round planner resolved it (its uplink codec travels apart). */
    public static TrainingConfig of(LocalTask t) {
        return forRound(t.train(), t.round(), t.clientsInRound(), t.seed(), t.computeInitialLoss());
    }

    /** The client-side settings of {@code ClientStep}: this config for round {@code round}, with the uplink codec. */
    public LocalTask toLocalTask(int round, CodecSpec uplink) {
        return new LocalTask(round, toTrainConfig(), clientsInRound, seed, computeInitialLoss, uplink);
    }

    /**
     * The core library's settings for {@code LocalTrainer.train}: a {@link DgcConfig} without warm-up
     * whose final sparsity is this round's, so {@code sparsityForRound(anyRound) == sparsity()}.
     */
    public TrainConfig toTrainConfig() {
        return new TrainConfig(
                epochs,
                batchSize,
                learningRate,
                new DgcConfig(
                        momentum,
                        clipNorm,
                        new double[0],
                        sparsity,
                        denseBelow,
                        sampleRatio,
                        tolerance,
                        factorMasking));
    }
}
