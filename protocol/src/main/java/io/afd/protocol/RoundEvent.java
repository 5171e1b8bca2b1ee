package io.afd.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A round lifecycle event on {@link Topics#ROUNDS} (key = experimentId), produced by the services
 * (signed with the server key, {@link EnvelopeCodec#SERVER}). Payload empty.
 *
 * @param experimentId    experiment id
 * @param round           0-based round index
 * @param type            what happened
 * @param modelVersion    the global model version the round trains from; for {@code AGGREGATED} and
 *                        later, the new version it produced; in [0, 2^53)
 * @param results         per-client results of accepted updates (empty before {@code AGGREGATED});
 *                        distinct client ids, at most 32768
 * @param rejected        updates rejected in this round so far (each also went to the dead-letter topic)
 * @param timestampMillis Unix epoch milliseconds of the event, in [0, 2^53)
 * @param detail          free text, e.g. why a round {@code FAILED}; {@code null} (absent) when none;
 *                        at most 4096 characters
 */
public record RoundEvent(
        @JsonProperty(required = true) String experimentId,
        @JsonProperty(required = true) int round,
        @JsonProperty(required = true) Type type,
        @JsonProperty(required = true) long modelVersion,
        @JsonProperty(required = true) List<ClientResult> results,
        @JsonProperty(required = true) int rejected,
        @JsonProperty(required = true) long timestampMillis,
        String detail)
        implements Message {

    /** Round state transitions, in order (any state may go to {@code FAILED}). */
    public enum Type {
        /** The round is open: clients sampled, selections being made. */
        OPENED,
        /** Every selected client's task has been produced. */
        TASKS_SENT,
        /** Deadline or quorum reached: no more updates are accepted. */
        CLOSING,
        /** The average is applied and the new model version is registered; {@code results} are final. */
        AGGREGATED,
        /** Score maps are updated from the results; the round is done. */
        SCORES_UPDATED,
        /** The round was abandoned; {@code detail} says why. */
        FAILED
    }

    /**
     * One accepted update.
     *
     * @param clientId    the client
     * @param numSamples  its n_k, &gt;= 1
     * @param trainLoss   its mean training loss, finite and &gt;= 0
     * @param initialLoss its initial loss, or {@code null} (absent) when not measured
     * @param bytesDown   bytes of the task envelopes sent to it (all chunks), in [0, 2^53)
     * @param bytesUp     bytes of its update envelopes received (all chunks), in [0, 2^53)
     */
    public record ClientResult(
            @JsonProperty(required = true) String clientId,
            @JsonProperty(required = true) int numSamples,
            @JsonProperty(required = true) double trainLoss,
            Double initialLoss,
            @JsonProperty(required = true) long bytesDown,
            @JsonProperty(required = true) long bytesUp) {

        public ClientResult {
            Check.id(clientId, "results[].clientId");
            Check.range(numSamples, 1, Integer.MAX_VALUE, "results[].numSamples");
            Check.finiteNonNegative(trainLoss, "results[].trainLoss");
            Check.optionalFiniteNonNegative(initialLoss, "results[].initialLoss");
            Check.safeNonNegative(bytesDown, "results[].bytesDown");
            Check.safeNonNegative(bytesUp, "results[].bytesUp");
        }
    }

    public RoundEvent {
        Check.id(experimentId, "experimentId");
        Check.range(round, 0, Integer.MAX_VALUE, "round");
        Check.notNull(type, "type");
        Check.safeNonNegative(modelVersion, "modelVersion");
        Check.notNull(results, "results");
        Check.that(
                results.size() <= TrainingConfig.MAX_CLIENTS_IN_ROUND,
                "results",
                "must have at most " + TrainingConfig.MAX_CLIENTS_IN_ROUND + " entries",
                results.size());
        Set<String> seen = new HashSet<>();
        for (ClientResult r : results) {
            Check.notNull(r, "results[]");
            Check.that(seen.add(r.clientId()), "results", "must name each client once", r.clientId());
        }
        results = List.copyOf(results);
        Check.range(rejected, 0, Integer.MAX_VALUE, "rejected");
        Check.safeNonNegative(timestampMillis, "timestampMillis");
        if (detail != null) {
            Check.maxLength(detail, 4096, "detail");
        }
    }

    @Override
    public MessageType messageType() {
        return MessageType.ROUND_EVENT;
    }

    @Override
    public String signer() {
        return EnvelopeCodec.SERVER;
    }
}
