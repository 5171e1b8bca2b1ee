package io.afd.aggregator.service;

import io.afd.aggregator.config.AggregatorConfig;
import io.afd.core.fedavg.FedAvgAccumulator;
import io.afd.core.fedavg.UpdateRejectedException;
import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.tensor.NamedTensor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre-validates decoded updates with core's {@link FedAvgAccumulator#add}, which checks the sample count,
 * the selection against the model, tensor names and sub-model shapes, finiteness and magnitude before it
 * changes anything. One accumulator per open round is kept in memory (least recently used rounds beyond
 * {@code afd.aggregator.validator-cache-rounds} are dropped and start afresh): its sums are never used for
 * the model, which {@code RoundService.close} rebuilds from the stored updates, so losing it loses nothing.
 */
@ApplicationScoped
public class Validators {
    private final Map<String, FedAvgAccumulator> byRound;

    public Validators(AggregatorConfig config) {
        int cap = Math.max(1, config.validatorCacheRounds());
        this.byRound = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FedAvgAccumulator> eldest) {
                return size() > cap;
            }
        };
    }

    /**
     * Checks an update of the round; throws {@link UpdateRejectedException} with the core reason code
     * ({@code wrong_selection}, {@code wrong_shape}, {@code non_finite}, {@code out_of_range},
     * {@code bad_sample_count}, {@code round_full}).
     */
    public synchronized void check(
            String experimentId,
            int round,
            ModelSpec model,
            Selection selection,
            List<? extends NamedTensor> update,
            int numSamples) {
        String key = experimentId + "/" + round;
        FedAvgAccumulator acc = byRound.get(key);
        if (acc == null || !acc.global().equals(model)) {
            acc = new FedAvgAccumulator(model);
            byRound.put(key, acc);
        }
        acc.add(selection, update, numSamples);
    }

    /** Forgets a round (closed). */
    public synchronized void forget(String experimentId, int round) {
        byRound.remove(experimentId + "/" + round);
    }

    /** Forgets every round (tests: a restarted aggregator). */
    public synchronized void clear() {
        byRound.clear();
    }
}
