package io.afd.scoremap.mapping;

import io.afd.protocol.RoundEvent;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What applying a round's results did.
 *
 * @param experimentId the experiment
 * @param round        the round
 * @param applied      true when this call applied them; false when they had been applied before (a no-op)
 * @param source       who applied them first: {@code rest} or {@code kafka}
 * @param appliedAt    when
 * @param results      the results that were applied (the first ones received)
 * @param updates      the score updates they caused (empty for fedavg and random-fd)
 */
public record ResultsView(
        String experimentId,
        int round,
        boolean applied,
        String source,
        OffsetDateTime appliedAt,
        List<RoundEvent.ClientResult> results,
        List<ScoreUpdateView> updates) {}
