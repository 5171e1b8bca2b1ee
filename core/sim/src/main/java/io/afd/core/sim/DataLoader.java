package io.afd.core.sim;

import io.afd.core.data.Dataset;
import io.afd.core.data.FashionMnist;
import io.afd.core.data.FederatedDataset;
import io.afd.core.data.LeafJsonReader;
import io.afd.core.data.Partitioners;
import io.afd.core.data.SyntheticDataset;
import io.afd.core.data.TrainTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Builds an experiment's federated data from its {@link ExperimentConfig.DatasetConfig}. */
public final class DataLoader {
    private DataLoader() {}

    public static FederatedDataset load(ExperimentConfig.DatasetConfig d, long seed) {
        try {
            return switch (d.kind()) {
                case "synthetic" ->
                    SyntheticDataset.generate(
                            d.alpha(),
                            d.beta(),
                            d.clients(),
                            seed,
                            SyntheticDataset.Options.defaults().withMaxSamplesPerClient(d.maxSamplesPerClient()));
                case "fashion-mnist" -> {
                    Path dir = d.dir().isEmpty() ? FashionMnist.defaultDirectory() : Path.of(d.dir());
                    if (!FashionMnist.isAvailable(dir)) {
                        throw new IllegalArgumentException("Fashion-MNIST not found in " + dir
                                + ": install it with 'apt-get install dataset-fashion-mnist', set "
                                + FashionMnist.ENV_VAR + ", or give dataset.dir");
                    }
                    TrainTest tt = FashionMnist.load(dir, d.trainLimit(), d.testLimit());
                    var clients = Partitioners.partition(tt.train(), d.clients(), d.partition(), seed);
                    yield new FederatedDataset(
                            clients, tt.test(), "fashion-mnist " + d.partition() + " x" + d.clients());
                }
                case "leaf" -> LeafJsonReader.read(Path.of(d.dir()), Path.of(d.testDir()));
                default -> throw new IllegalArgumentException("unknown dataset kind " + d.kind());
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load dataset " + d.kind() + ": " + e.getMessage(), e);
        }
    }

    /** The first {@code max} samples of a dataset (or all of it). */
    public static Dataset head(Dataset d, int max) {
        if (d.size() <= max) {
            return d;
        }
        int[] idx = new int[max];
        for (int i = 0; i < max; i++) {
            idx[i] = i;
        }
        return d.subset(idx);
    }
}
