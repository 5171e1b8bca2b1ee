package io.afd.core.round;

import java.util.Locale;

/** Which loss a client reports to the score maps (ARCHITECTURE §2.2). */
public enum LossSignal {
    /** Mean training loss over the local epochs (default). */
    TRAIN,
    /** Loss of the received sub-model on local data before training. */
    INITIAL;

    /** Parses {@code train} (or {@code training}) and {@code initial} (or {@code before-training}, {@code pre}). */
    public static LossSignal parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "train", "training" -> TRAIN;
            case "initial", "before-training", "pre" -> INITIAL;
            default -> throw new IllegalArgumentException("unknown loss signal '" + s + "' (train, initial)");
        };
    }

    /** The wire and YAML label: {@code train} or {@code initial}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
