package io.afd.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Client to server on {@link Topics#UPDATES} (key = clientId): the result of one local round. The
 * envelope payload is the weight delta as an AFDT blob in sub-model coordinates: one tensor per
 * parameter of the sub-model, same names and shapes as the task's payload, sparse or dense, encoded
 * with the task's {@code uplinkCodec}.
 *
 * @param experimentId  the task's experiment id
 * @param round         the task's round
 * @param clientId      the sending client (also the Kafka key and the signing key id)
 * @param selectionId   the task's selection id (the sub-model trained)
 * @param modelVersion  the task's model version (the weights trained from)
 * @param numSamples    local sample count n_k, in [1, 2^31 - 1]
 * @param trainLoss     mean local training loss over all steps, finite and &gt;= 0
 * @param initialLoss   loss of the received sub-model on the local data before training, finite and
 *                      &gt;= 0, or {@code null} (absent) when not measured
 * @param trainMillis   wall time of local training, ms, in [0, 2^53)
 * @param bytesReceived bytes of the task's envelopes as received (all chunks), in [0, 2^53)
 */
public record ClientUpdate(
        @JsonProperty(required = true) String experimentId,
        @JsonProperty(required = true) int round,
        @JsonProperty(required = true) String clientId,
        @JsonProperty(required = true) String selectionId,
        @JsonProperty(required = true) long modelVersion,
        @JsonProperty(required = true) int numSamples,
        @JsonProperty(required = true) double trainLoss,
        Double initialLoss,
        @JsonProperty(required = true) long trainMillis,
        @JsonProperty(required = true) long bytesReceived)
        implements Message {

    public ClientUpdate {
        Check.id(experimentId, "experimentId");
        Check.range(round, 0, Integer.MAX_VALUE, "round");
        Check.id(clientId, "clientId");
        Check.pattern(selectionId, Check.SELECTION_ID, "selectionId");
        Check.safeNonNegative(modelVersion, "modelVersion");
        Check.range(numSamples, 1, Integer.MAX_VALUE, "numSamples");
        Check.finiteNonNegative(trainLoss, "trainLoss");
        Check.optionalFiniteNonNegative(initialLoss, "initialLoss");
        Check.safeNonNegative(trainMillis, "trainMillis");
        Check.safeNonNegative(bytesReceived, "bytesReceived");
    }

    /** The update answering {@code task}; a NaN {@code initialLoss} (not measured) becomes {@code null}. */
    public static ClientUpdate answering(
            ClientTask task,
            int numSamples,
            double trainLoss,
            double initialLoss,
            long trainMillis,
            long bytesReceived) {
        return new ClientUpdate(
                task.experimentId(),
                task.round(),
                task.clientId(),
                task.selectionId(),
                task.modelVersion(),
                numSamples,
                trainLoss,
                Double.isNaN(initialLoss) ? null : initialLoss,
                trainMillis,
                bytesReceived);
    }

    @Override
    public MessageType messageType() {
        return MessageType.CLIENT_UPDATE;
    }

    @Override
    public String signer() {
        return clientId;
    }
}
