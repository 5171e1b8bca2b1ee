package io.afd.core.data;

import java.util.Locale;

/**
 * A partitioning scheme as written in configs: {@code iid}, {@code dirichlet:ALPHA},
 * {@code dirichlet:ALPHA:MIN_SAMPLES} or {@code shards:SHARDS_PER_CLIENT}. Applied with
 * {@link Partitioners#partition(Dataset, int, PartitionSpec, long)}.
 *
 * @param kind                which partitioner
 * @param alpha               Dirichlet concentration (DIRICHLET only, else NaN)
 * @param shardsPerClient     shards per client (SHARDS only, else 0)
 * @param minSamplesPerClient minimum client size enforced by redrawing (DIRICHLET only, else 0)
 */
public record PartitionSpec(Kind kind, double alpha, int shardsPerClient, int minSamplesPerClient) {
    /** Default minimum client size of {@code dirichlet:ALPHA} (NIID-Bench's {@code min_require_size}). */
    public static final int DEFAULT_DIRICHLET_MIN_SAMPLES = 10;

    public enum Kind {
        IID,
        DIRICHLET,
        SHARDS
    }

    public PartitionSpec {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        switch (kind) {
            case IID -> {
                alpha = Double.NaN;
                shardsPerClient = 0;
                minSamplesPerClient = 0;
            }
            case DIRICHLET -> {
                if (!(alpha > 0) || Double.isInfinite(alpha)) {
                    throw new IllegalArgumentException("dirichlet alpha must be finite and > 0, got " + alpha);
                }
                if (minSamplesPerClient < 0) {
                    throw new IllegalArgumentException(
                            "dirichlet minimum samples must be >= 0, got " + minSamplesPerClient);
                }
                shardsPerClient = 0;
            }
            case SHARDS -> {
                if (shardsPerClient < 1) {
                    throw new IllegalArgumentException("shards per client must be >= 1, got " + shardsPerClient);
                }
                alpha = Double.NaN;
                minSamplesPerClient = 0;
            }
            default -> throw new AssertionError(kind);
        }
    }

    public static PartitionSpec iid() {
        return new PartitionSpec(Kind.IID, Double.NaN, 0, 0);
    }

    public static PartitionSpec dirichlet(double alpha) {
        return dirichlet(alpha, DEFAULT_DIRICHLET_MIN_SAMPLES);
    }

    public static PartitionSpec dirichlet(double alpha, int minSamplesPerClient) {
        return new PartitionSpec(Kind.DIRICHLET, alpha, 0, minSamplesPerClient);
    }

    public static PartitionSpec shards(int shardsPerClient) {
        return new PartitionSpec(Kind.SHARDS, Double.NaN, shardsPerClient, 0);
    }

    /**
     * Parses {@code iid}, {@code dirichlet:0.3}, {@code dirichlet:0.3:5} or {@code shards:2}
     * (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException with the accepted forms on anything else
     */
    public static PartitionSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty partition spec; " + FORMS);
        }
        String[] parts = text.trim().split(":", -1);
        String head = parts[0].trim().toLowerCase(Locale.ROOT);
        try {
            switch (head) {
                case "iid" -> {
                    if (parts.length == 1) {
                        return iid();
                    }
                }
                case "dirichlet" -> {
                    if (parts.length == 2) {
                        return dirichlet(Double.parseDouble(parts[1].trim()));
                    }
                    if (parts.length == 3) {
                        return dirichlet(Double.parseDouble(parts[1].trim()), Integer.parseInt(parts[2].trim()));
                    }
                }
                case "shards" -> {
                    if (parts.length == 2) {
                        return shards(Integer.parseInt(parts[1].trim()));
                    }
                }
                default -> {}
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in partition spec '" + text + "'; " + FORMS, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid partition spec '" + text + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unknown partition spec '" + text + "'; " + FORMS);
    }

    private static final String FORMS =
            "expected 'iid', 'dirichlet:ALPHA', 'dirichlet:ALPHA:MIN_SAMPLES' or 'shards:SHARDS_PER_CLIENT'";

    /** The canonical text form, which {@link #parse(String)} reads back. */
    @Override
    public String toString() {
        return switch (kind) {
            case IID -> "iid";
            case DIRICHLET ->
                "dirichlet:" + alpha
                        + (minSamplesPerClient == DEFAULT_DIRICHLET_MIN_SAMPLES ? "" : ":" + minSamplesPerClient);
            case SHARDS -> "shards:" + shardsPerClient;
        };
    }
}
