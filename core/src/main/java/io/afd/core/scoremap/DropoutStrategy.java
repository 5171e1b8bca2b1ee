package io.afd.core.scoremap;

import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses every selected client's sub-model for a round and learns from the round's losses. One
 * class serves all four policies: {@link Policy#FEDAVG} (whole model), {@link Policy#RANDOM_FD}
 * (uniform per client per round), {@link Policy#AFD_SINGLE} (one {@link ScoreMap}, key
 * {@value #SINGLE_KEY}, loss signal = sample-weighted mean of the reporting clients' losses) and
 * {@link Policy#AFD_MULTI} (one map per client, its own loss).
 *
 * <p>Randomness is derived from (seed, round, map key) alone, so the same experiment gives the same
 * selections whatever order clients are processed in, in the simulator and the distributed suite.
 */
public final class DropoutStrategy {
    /** Score-map key of Single-Model AFD. */
    public static final String SINGLE_KEY = "global";

    /** Which loss feeds the score maps. */
    public enum LossSignal {
        /** Mean training loss over the local epochs (default). */
        TRAIN,
        /** Loss of the received sub-model on local data before training. */
        INITIAL;

        public static LossSignal parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "train", "training" -> TRAIN;
                case "initial", "before-training", "pre" -> INITIAL;
                default -> throw new IllegalArgumentException("unknown loss signal '" + s + "' (train, initial)");
            };
        }
    }

    /**
     * @param policy      selection policy
     * @param dropoutRate fraction of units dropped per droppable layer, in [0,1) (ignored by FEDAVG)
     * @param topK        deterministic top-k instead of weighted sampling (AFD only)
     * @param eps         score smoothing for weighted sampling (> 0, default {@link ScoreMap#DEFAULT_EPS})
     * @param lossSignal  which loss drives the score maps
     */
    public record Settings(Policy policy, double dropoutRate, boolean topK, double eps, LossSignal lossSignal) {
        public Settings {
            if (!(dropoutRate >= 0 && dropoutRate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0,1), got " + dropoutRate);
            }
            if (!(eps > 0)) {
                throw new IllegalArgumentException("eps must be > 0, got " + eps);
            }
        }

        public static Settings of(Policy policy, double dropoutRate) {
            return new Settings(policy, dropoutRate, false, ScoreMap.DEFAULT_EPS, LossSignal.TRAIN);
        }
    }

    /** One client's round report, as far as the strategy cares. */
    public record ClientReport(String clientId, long numSamples, double trainLoss, double initialLoss) {
    }

    /** A score-map change caused by a round. */
    public record ScoreUpdate(String mapKey, int round, ScoreMap.Observation observation) {
    }

    private final ModelSpec spec;
    private final Settings settings;
    private final long seed;
    private final LinkedHashMap<String, ScoreMap> maps = new LinkedHashMap<>();

    public DropoutStrategy(ModelSpec spec, Settings settings, long seed) {
        this.spec = spec;
        this.settings = settings;
        this.seed = seed;
    }

    public Settings settings() {
        return settings;
    }

    /** Score maps by key (a live view; Single-Model uses {@value #SINGLE_KEY}). */
    public Map<String, ScoreMap> scoreMaps() {
        return maps;
    }

    /** Installs a persisted score map (services restoring state). */
    public void putScoreMap(String key, ScoreMap map) {
        maps.put(key, map);
    }

    /** The sub-model of each client for a round, in the given client order. */
    public Map<String, Selection> configureRound(int round, List<String> clientIds) {
        LinkedHashMap<String, Selection> out = new LinkedHashMap<>();
        Policy p = settings.policy();
        double d = settings.dropoutRate();
        if (p == Policy.FEDAVG || d == 0) {
            Selection full = Selection.full(spec);
            clientIds.forEach(c -> out.put(c, full));
            return out;
        }
        switch (p) {
            case RANDOM_FD -> {
                for (String c : clientIds) {
                    ScoreMap fresh = new ScoreMap(spec);
                    out.put(c, fresh.nextSelection(d, false, settings.eps(), rng(round, c)));
                }
            }
            case AFD_SINGLE -> {
                Selection s = map(SINGLE_KEY).nextSelection(d, settings.topK(), settings.eps(), rng(round, SINGLE_KEY));
                clientIds.forEach(c -> out.put(c, s));
            }
            case AFD_MULTI -> {
                for (String c : clientIds) {
                    out.put(c, map(c).nextSelection(d, settings.topK(), settings.eps(), rng(round, c)));
                }
            }
            default -> throw new IllegalStateException(p.toString());
        }
        return out;
    }

    /**
     * Feeds a round's reports to the score maps. Reports are used in the order given for nothing but
     * the returned list; the single-model mean is order-independent up to float rounding of a
     * canonical (sorted by client id) sum.
     */
    public List<ScoreUpdate> onRoundResults(int round, List<ClientReport> reports) {
        List<ScoreUpdate> updates = new ArrayList<>();
        if (reports.isEmpty() || settings.policy() == Policy.FEDAVG || settings.policy() == Policy.RANDOM_FD
                || settings.dropoutRate() == 0) {
            return updates;
        }
        if (settings.policy() == Policy.AFD_SINGLE) {
            List<ClientReport> sorted = new ArrayList<>(reports);
            sorted.sort((a, b) -> a.clientId().compareTo(b.clientId()));
            double num = 0;
            double den = 0;
            for (ClientReport r : sorted) {
                num += signal(r) * r.numSamples();
                den += r.numSamples();
            }
            updates.add(new ScoreUpdate(SINGLE_KEY, round, map(SINGLE_KEY).observe(num / den)));
        } else {
            for (ClientReport r : reports) {
                ScoreMap m = maps.get(r.clientId());
                if (m == null || m.current() == null) {
                    throw new IllegalArgumentException("client " + r.clientId() + " reported without a selection");
                }
                updates.add(new ScoreUpdate(r.clientId(), round, m.observe(signal(r))));
            }
        }
        return updates;
    }

    private double signal(ClientReport r) {
        double l = settings.lossSignal() == LossSignal.INITIAL ? r.initialLoss() : r.trainLoss();
        if (!Double.isFinite(l)) {
            throw new IllegalArgumentException("client " + r.clientId() + " reported a non-finite "
                    + settings.lossSignal().name().toLowerCase(Locale.ROOT) + " loss: " + l);
        }
        return l;
    }

    private ScoreMap map(String key) {
        return maps.computeIfAbsent(key, k -> new ScoreMap(spec));
    }

    private SplittableRandom rng(int round, String key) {
        long h = seed * 0x9E3779B97F4A7C15L + round;
        h = h * 0xBF58476D1CE4E5B9L + key.hashCode();
        return new SplittableRandom(h ^ (h >>> 31));
    }

    @Override
    public String toString() {
        return "DropoutStrategy" + settings;
    }
}
