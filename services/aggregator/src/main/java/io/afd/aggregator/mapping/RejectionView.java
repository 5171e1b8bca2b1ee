package io.afd.aggregator.mapping;

import io.afd.aggregator.Rejection;
import java.time.OffsetDateTime;

/** API view of a recorded rejection. */
public record RejectionView(
        long id,
        String reason,
        String detail,
        String clientId,
        String experimentId,
        Integer round,
        String topic,
        Integer partition,
        Long offset,
        String recordKey,
        Long wireBytes,
        OffsetDateTime rejectedAt) {

    public static RejectionView of(Rejection r) {
        return new RejectionView(
                r.id,
                r.reason,
                r.detail,
                r.clientId,
                r.experimentId,
                r.round,
                r.kafkaTopic,
                r.kafkaPartition,
                r.kafkaOffset,
                r.recordKey,
                r.wireBytes,
                r.rejectedAt);
    }
}
