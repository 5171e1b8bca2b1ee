package io.afd.packager.service;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.Client;
import io.afd.core.round.ClientAssignment;
import io.afd.core.round.RoundPlanner;
import io.afd.core.round.RoundTask;
import io.afd.core.round.SeedStream;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.ParamSet;
import io.afd.protocol.Chunker;
import io.afd.protocol.ClientTask;
import io.afd.protocol.MessageType;
import io.afd.protocol.SigningKey;
import io.afd.protocol.TrainingConfig;
import java.util.List;
import java.util.UUID;

/**
 * Builds one client's task exactly as the round planner specifies it ({@code io.afd.core.round.RoundPlanner#assign},
 * which the simulator uses too): the sub-model {@code layout.extract(global)}, encoded with the downlink codec
 * seeded {@link SeedStream#DOWNLINK}; the task carries the training seed {@link SeedStream#TRAINING} and the
 * uplink codec seeded {@link SeedStream#UPLINK}; the envelopes are signed with the server key and chunked.
 */
public final class TaskBuilder {
    /** Every envelope the packager produces is smaller than this (1 MB, below Kafka's 1 MiB record limit). */
    public static final int MAX_ENVELOPE_BYTES = 1_000_000;
    /** Largest configurable chunk size: leaves over 75 KB under {@link #MAX_ENVELOPE_BYTES} for the header. */
    public static final int MAX_CHUNK_BYTES = 900 * 1024;

    private final Chunker chunker;

    public TaskBuilder(int chunkBytes) {
        if (chunkBytes < io.afd.protocol.Chunk.MIN_CHUNK_SIZE || chunkBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("afd.packager.chunk-bytes must be in ["
                    + io.afd.protocol.Chunk.MIN_CHUNK_SIZE + ", " + MAX_CHUNK_BYTES + "], got " + chunkBytes);
        }
        this.chunker = new Chunker(chunkBytes);
    }

    public int chunkBytes() {
        return chunker.chunkSize();
    }

    /** What one round's tasks share. */
    public record Round(
            String experimentId,
            int round,
            int modelVersion,
            ModelSpec spec,
            TrainingConfig train,
            CodecSpec downlink,
            CodecSpec uplink,
            long seed,
            boolean computeInitialLoss,
            long deadlineMillis) {}

    /** A built task: its header, the sub-model blob's size, its envelopes and their total size. */
    public record Built(ClientTask task, int payloadBytes, List<byte[]> envelopes, long bytes, UUID messageId) {
        public int chunks() {
            return envelopes.size();
        }
    }

    /** The planner's task spec of one participant. */
    public static ClientAssignment assignment(Round r, String clientId, int index, Selection selection) {
        RoundTask task = new RoundTask(
                r.round(),
                r.train().toTrainConfig(),
                r.train().clientsInRound(),
                r.downlink(),
                r.uplink(),
                r.seed(),
                r.computeInitialLoss());
        return RoundPlanner.assign(task, new Client(clientId, index), selection);
    }

    /**
     * Builds, signs and chunks the task of one client.
     *
     * @throws IllegalArgumentException when the task does not validate or an envelope would not fit
     *                                  {@link #MAX_ENVELOPE_BYTES}
     */
    public Built build(
            Round r, String clientId, int index, SubModelLayout layout, ParamSet global, SigningKey serverKey) {
        Selection sel = layout.selection();
        ClientAssignment a = assignment(r, clientId, index, sel);
        byte[] blob = TensorCodec.encode(layout.extract(global).list(), a.downlink());
        ClientTask task = ClientTask.of(
                r.experimentId(),
                r.round(),
                clientId,
                r.modelVersion(),
                r.spec(),
                sel,
                TrainingConfig.of(a.localTask()),
                r.downlink(),
                a.uplink(),
                r.deadlineMillis());
        UUID messageId = UUID.randomUUID();
        List<byte[]> envelopes =
                chunker.encode(MessageType.CLIENT_TASK, task, blob, serverKey, messageId, System.currentTimeMillis());
        long bytes = 0;
        for (byte[] e : envelopes) {
            if (e.length >= MAX_ENVELOPE_BYTES) {
                throw new IllegalArgumentException("the task of '" + clientId + "' needs an envelope of " + e.length
                        + " bytes (header too large for chunks of " + chunker.chunkSize()
                        + " bytes); every envelope must"
                        + " stay below " + MAX_ENVELOPE_BYTES + " bytes");
            }
            bytes += e.length;
        }
        return new Built(task, blob.length, envelopes, bytes, messageId);
    }
}
