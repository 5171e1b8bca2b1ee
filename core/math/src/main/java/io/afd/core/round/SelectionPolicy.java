package io.afd.core.round;

import io.afd.core.model.ModelSpec;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.List;
import java.util.Map;

/**
 * Chooses each participant's sub-model for a round and learns from the round's results: the
 * strategy of the round, with no transport and no storage. The round loop (in-process) and the
 * score-map service (distributed) hand it the score maps it names in {@link #mapKeys} and keep what
 * it changes; a policy keeps no state of its own between calls, so both give the same selections.
 *
 * <p>Randomness must come from the policy seed, the round and a stable key (never from call order).
 * Implementations register a {@link Factory} in {@link Policies} (built in) or through
 * {@code META-INF/services/io.afd.core.round.SelectionPolicy$Factory}.
 */
public interface SelectionPolicy {

    /**
     * Creates a policy for one experiment. An extension implements it in a class with a public
     * no-argument constructor and lists that class in {@code META-INF/services}.
     */
    interface Factory {
        /** Canonical name, as written in YAML and stored, e.g. {@code afd-multi}. */
        String name();

        /** Other accepted spellings (lowercase), e.g. {@code afd-mm}. */
        default List<String> aliases() {
            return List.of();
        }

        /** Whether the policy drops units (false: every client trains the whole model). */
        default boolean dropsUnits() {
            return true;
        }

        /**
         * @param spec     the global model
         * @param settings the experiment's selection settings (their {@code policy} is this factory's name)
         * @param seed     the policy seed, {@link SeedStream#POLICY} of the master seed
         */
        SelectionPolicy create(ModelSpec spec, SelectionSettings settings, long seed);
    }

    /** The constructor a {@link Factory} calls. */
    @FunctionalInterface
    interface Constructor {
        SelectionPolicy create(ModelSpec spec, SelectionSettings settings, long seed);
    }

    /** The settings it was created with. */
    SelectionSettings settings();

    /**
     * Whether it keeps score maps. Round t's selections then depend on round t-1's results, so rounds
     * must be selected in order and results applied before the next round is selected.
     */
    boolean usesScoreMaps();

    /**
     * The keys of the score maps that a round of these clients reads and writes (empty when
     * {@link #usesScoreMaps} is false). Callers load exactly these before {@link #configureRound} and
     * {@link #applyResults} and store what those leave in {@code maps} under these keys.
     */
    List<String> mapKeys(List<String> clients);

    /**
     * The sub-model of each client, in the given order.
     *
     * @param round   the round
     * @param clients the participants
     * @param maps    score maps by key: those of {@link #mapKeys} that exist; the policy adds missing ones
     */
    Map<String, Selection> configureRound(int round, List<String> clients, Map<String, ScoreMap> maps);

    /**
     * Feeds a round's reports to the score maps.
     *
     * @param round      the round
     * @param selections what each reporting client trained this round
     * @param reports    the reports, in participant order
     * @param maps       score maps by key, as for {@link #configureRound}
     * @return the changes, to persist with the round that caused them
     * @throws IllegalArgumentException when a report lacks what the policy needs (e.g. a finite loss)
     */
    List<ScoreUpdate> applyResults(
            int round, Map<String, Selection> selections, List<ClientReport> reports, Map<String, ScoreMap> maps);
}
