package io.afd.aggregator.mapping;

import io.afd.aggregator.service.UpdateStore;

/** API view of an accepted update (metadata; the blob stays in the database). */
public record UpdateView(
        String clientId,
        String selectionId,
        int numSamples,
        double trainLoss,
        Double initialLoss,
        long bytesDown,
        long bytesUp) {

    public static UpdateView of(UpdateStore.UpdateMeta m) {
        return new UpdateView(
                m.clientId(),
                m.selectionId(),
                m.numSamples(),
                m.trainLoss(),
                m.initialLoss(),
                m.bytesReceived(),
                m.bytesUp());
    }
}
