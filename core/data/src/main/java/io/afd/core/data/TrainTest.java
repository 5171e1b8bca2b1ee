package io.afd.core.data;

import java.util.Objects;

/** A centralised train / test pair, e.g. Fashion-MNIST's 60 000 / 10 000 split. */
public record TrainTest(Dataset train, Dataset test) {
    public TrainTest {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        train.requireCompatible(test);
    }
}
