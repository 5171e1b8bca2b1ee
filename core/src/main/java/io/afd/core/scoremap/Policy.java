package io.afd.core.scoremap;

import java.util.Locale;

/** How sub-models are chosen each round. */
public enum Policy {
    /** No dropout: every client trains the whole model (McMahan et al. 2017). */
    FEDAVG,
    /** Federated Dropout: a fresh uniform random sub-model per client per round (Caldas et al. 2018). */
    RANDOM_FD,
    /** AFD Single-Model: one score map per experiment, one sub-model for all clients of a round. */
    AFD_SINGLE,
    /** AFD Multi-Model: one score map and sub-model per client, scored by its own loss. */
    AFD_MULTI;

    /** Parses {@code fedavg}, {@code fd}/{@code random-fd}, {@code afd-single}, {@code afd-multi}. */
    public static Policy parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "fedavg" -> FEDAVG;
            case "fd", "random-fd", "random" -> RANDOM_FD;
            case "afd-single", "afd-sm", "single" -> AFD_SINGLE;
            case "afd-multi", "afd-mm", "multi" -> AFD_MULTI;
            default -> throw new IllegalArgumentException("unknown policy '" + s
                    + "' (fedavg, random-fd, afd-single, afd-multi)");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
