package io.afd.orchestrator.service;

import io.afd.core.codec.TensorCodec;
import io.afd.core.data.Dataset;
import io.afd.core.model.ModelSpec;
import io.afd.core.nn.ModelRuntime;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.tensor.ParamSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side evaluation of global versions on the experiment's held-out test set (the same set
 * the simulator uses: {@link DataLoader} with the experiment seed, first {@code maxTestSamples}).
 */
@ApplicationScoped
public class Evaluator {
    private final Map<String, Dataset> testSets = new ConcurrentHashMap<>();

    public synchronized ModelRuntime.Evaluation evaluate(
            String experimentId, ExperimentConfig cfg, byte[] weights, int batchSize) {
        Dataset test = testSets.computeIfAbsent(
                experimentId,
                k -> DataLoader.head(DataLoader.load(cfg.dataset(), cfg.seed()).test(), cfg.maxTestSamples()));
        ModelSpec spec = cfg.model();
        ParamSet params = new ParamSet(TensorCodec.decodeDense(weights));
        ModelRuntime rt = ModelRuntime.create(spec);
        rt.setParams(params);
        return rt.evaluate(test.features(), test.labels(), batchSize);
    }

    public void forget(String experimentId) {
        testSets.remove(experimentId);
    }
}
