package io.afd.scoremap.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.ClientReport;
import io.afd.core.round.LossSignal;
import io.afd.core.round.Policies;
import io.afd.core.round.ScoreUpdate;
import io.afd.core.round.SeedStream;
import io.afd.core.round.SelectionPolicy;
import io.afd.core.round.SelectionSettings;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import io.afd.protocol.Ids;
import io.afd.protocol.RoundEvent.ClientResult;
import io.afd.protocol.TrainingConfig;
import io.afd.protocol.api.SelectionRef;
import io.afd.protocol.api.SelectionRequest;
import io.afd.protocol.api.SelectionResponse;
import io.afd.scoremap.AppliedResults;
import io.afd.scoremap.ScoreExperiment;
import io.afd.scoremap.ScoreMapState;
import io.afd.scoremap.ScoreUpdateRecord;
import io.afd.scoremap.StoredSelection;
import io.afd.scoremap.mapping.ResultsView;
import io.afd.scoremap.mapping.ScoreMapView;
import io.afd.scoremap.mapping.ScoreUpdateView;
import io.afd.scoremap.mapping.ScoresJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Score maps, selections and score updates of every experiment, kept in PostgreSQL. Nothing is cached
 * in memory: each call creates the experiment's {@link SelectionPolicy}, loads the score maps it names
 * ({@link SelectionPolicy#mapKeys}), runs it ({@link SelectionPolicy#configureRound},
 * {@link SelectionPolicy#applyResults}) and writes those maps back in the same transaction. Writers of one experiment are serialized by a row lock on its
 * {@code experiment} row, so a REST call and the {@code afd.rounds} consumer never interleave.
 */
@ApplicationScoped
public class ScoreMapService {
    private static final Logger LOG = Logger.getLogger(ScoreMapService.class);
    /** Experiment and client ids (docs/protocol.md §1). */
    static final Pattern ID = Ids.PATTERN;
    /** Schema of the native insert below (Flyway's and Hibernate's default schema). */
    private static final String SCHEMA = "scoremap";

    private static final TypeReference<List<ClientResult>> RESULTS = new TypeReference<>() {};

    private final EntityManager em;
    private final ObjectMapper json;

    public ScoreMapService(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    // ---------------------------------------------------------------- selections (docs/services.md step 2)

    /**
     * The selections of round {@code round}: the stored ones when the round already has them (idempotent),
     * else computed by core's strategy from the stored score maps and persisted with the maps' new
     * current selections in this one transaction.
     */
    @Transactional
    public SelectionResponse select(String experimentId, int round, SelectionRequest request) {
        checkExperimentId(experimentId);
        checkRound(round);
        Request r = parse(request);
        // the first request of an experiment creates its row; concurrent first requests are safe
        em.createNativeQuery("INSERT INTO " + SCHEMA + ".experiment (experiment_id, policy, dropout_rate, top_k, eps,"
                        + " loss_signal, seed, architecture) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                        + " ON CONFLICT (experiment_id) DO NOTHING")
                .setParameter(1, experimentId)
                .setParameter(2, r.settings.policy())
                .setParameter(3, r.settings.dropoutRate())
                .setParameter(4, r.settings.topK())
                .setParameter(5, r.settings.eps())
                .setParameter(6, r.settings.lossSignal().label())
                .setParameter(7, r.seed)
                .setParameter(8, r.spec.toString())
                .executeUpdate();
        ScoreExperiment e = ScoreExperiment.lock(experimentId)
                .orElseThrow(() -> new IllegalStateException("experiment row of " + experimentId + " vanished"));
        checkSameSettings(e, r);

        List<StoredSelection> stored = StoredSelection.ofRound(experimentId, round);
        if (!stored.isEmpty()) {
            Set<String> had = new LinkedHashSet<>();
            stored.forEach(s -> had.add(s.clientId));
            if (!had.equals(new HashSet<>(r.clients))) {
                throw Rejection.conflict("round " + round + " of " + experimentId + " already has selections for "
                        + had.size() + " other clients " + abbreviate(had) + "; this request names " + r.clients.size()
                        + " clients " + abbreviate(r.clients));
            }
            return response(stored);
        }
        SelectionPolicy policy = policy(e);
        if (policy.usesScoreMaps()) {
            checkRoundOrder(experimentId, round);
        }

        Map<String, ScoreMap> maps = new LinkedHashMap<>();
        Map<String, ScoreMapState> rows = restore(e, policy.mapKeys(r.clients), maps);
        Map<String, Selection> selections = policy.configureRound(round, r.clients, maps);

        List<StoredSelection> created = new ArrayList<>();
        int i = 0;
        for (String client : r.clients) {
            Selection s = selections.get(client);
            StoredSelection row = new StoredSelection();
            row.experimentId = experimentId;
            row.round = round;
            row.clientId = client;
            row.clientOrder = i++;
            row.selectionId = s.id();
            row.canonical = s.canonical();
            row.persist();
            created.add(row);
        }
        maps.forEach((key, map) -> write(rows.get(key), experimentId, key, map, round));
        LOG.infof(
                "selections of %s round %d: %d clients, %d distinct sub-models (%s)",
                experimentId,
                round,
                r.clients.size(),
                created.stream().map(s -> s.selectionId).distinct().count(),
                r.settings.policy());
        return response(created);
    }

    /** The stored selections of a round. */
    public SelectionResponse selections(String experimentId, int round) {
        experiment(experimentId);
        checkRound(round);
        List<StoredSelection> stored = StoredSelection.ofRound(experimentId, round);
        if (stored.isEmpty()) {
            throw Rejection.notFound(
                    Rejection.UNKNOWN_ROUND, "no selections stored for round " + round + " of " + experimentId);
        }
        return response(stored);
    }

    /**
     * For AFD, round t's selection depends on round t-1's score update: refuse to select when round t-1 has
     * selections but its results have not been applied, and never select an earlier round than one that is
     * already selected.
     */
    private static void checkRoundOrder(String experimentId, int round) {
        Optional<Integer> latest = StoredSelection.latestRound(experimentId);
        if (latest.isPresent() && latest.get() > round) {
            throw Rejection.conflict("round " + latest.get() + " of " + experimentId + " already has selections;"
                    + " an AFD experiment's rounds are selected in order, so round " + round
                    + " cannot be selected now");
        }
        if (round > 0
                && StoredSelection.exists(experimentId, round - 1)
                && AppliedResults.find(experimentId, round - 1).isEmpty()) {
            throw Rejection.conflict("the results of round " + (round - 1) + " of " + experimentId
                    + " have not been applied yet: POST /experiments/" + experimentId + "/rounds/" + (round - 1)
                    + "/results (or its AGGREGATED event on afd.rounds) must come first, because the score update"
                    + " decides round " + round + "'s selections");
        }
    }

    // ---------------------------------------------------------------- results (docs/services.md step 8)

    /**
     * Applies a round's results to the score maps, once per (experiment, round): a repeat, from REST or
     * from {@code afd.rounds}, changes nothing and returns what was applied first.
     *
     * @param source {@link AppliedResults#SOURCE_REST} or {@link AppliedResults#SOURCE_KAFKA}
     */
    @Transactional
    public ResultsView applyResults(String experimentId, int round, List<ClientResult> results, String source) {
        checkExperimentId(experimentId);
        checkRound(round);
        if (results == null) {
            throw Rejection.badRequest("results is required (a list, possibly empty)");
        }
        Set<String> seen = new HashSet<>();
        List<String> dup = new ArrayList<>();
        for (ClientResult c : results) {
            if (c == null) {
                throw Rejection.badRequest("results must not contain null entries");
            }
            if (!seen.add(c.clientId())) {
                dup.add(c.clientId());
            }
        }
        if (!dup.isEmpty()) {
            throw Rejection.badRequest("results must name each client once; repeated: " + abbreviate(dup));
        }
        ScoreExperiment e = ScoreExperiment.lock(experimentId).orElseThrow(() -> unknownExperiment(experimentId));
        List<StoredSelection> stored = StoredSelection.ofRound(experimentId, round);
        if (stored.isEmpty()) {
            throw Rejection.notFound(
                    Rejection.UNKNOWN_ROUND,
                    "round " + round + " of " + experimentId + " has no selections, so it has no results to apply");
        }
        Map<String, StoredSelection> byClient = new LinkedHashMap<>();
        stored.forEach(s -> byClient.put(s.clientId, s));
        List<String> unselected = results.stream()
                .map(ClientResult::clientId)
                .filter(c -> !byClient.containsKey(c))
                .toList();
        if (!unselected.isEmpty()) {
            throw new Rejection(
                    jakarta.ws.rs.core.Response.Status.BAD_REQUEST,
                    Rejection.NOT_SELECTED,
                    "results from clients that had no selection in round " + round + " of " + experimentId + ": "
                            + abbreviate(unselected));
        }
        SelectionPolicy policy = policy(e);
        if (policy.usesScoreMaps() && policy.settings().lossSignal() == LossSignal.INITIAL) {
            List<String> missing = results.stream()
                    .filter(c -> c.initialLoss() == null)
                    .map(ClientResult::clientId)
                    .toList();
            if (!missing.isEmpty()) {
                throw Rejection.badRequest("the loss signal of " + experimentId + " is 'initial' but these results"
                        + " have no initialLoss: " + abbreviate(missing));
            }
        }

        Optional<AppliedResults> before = AppliedResults.find(experimentId, round);
        if (before.isPresent()) {
            AppliedResults a = before.get();
            List<ClientResult> applied = readResults(a.results);
            if (!new HashSet<>(applied).equals(new HashSet<>(results))) {
                LOG.warnf(
                        "results of %s round %d from %s differ from those applied before (from %s); ignored",
                        experimentId, round, source, a.source);
            } else {
                LOG.debugf(
                        "results of %s round %d from %s were applied before (from %s): no-op",
                        experimentId, round, source, a.source);
            }
            return view(a, applied, false);
        }

        // reports in selection order (the simulator's client order)
        List<ClientResult> ordered = new ArrayList<>(results);
        Map<String, Integer> position = new LinkedHashMap<>();
        stored.forEach(s -> position.put(s.clientId, s.clientOrder));
        ordered.sort((a, b) -> Integer.compare(position.get(a.clientId()), position.get(b.clientId())));
        List<ClientReport> reports = ordered.stream()
                .map(c -> new ClientReport(
                        c.clientId(),
                        c.numSamples(),
                        c.trainLoss(),
                        c.initialLoss() == null ? Double.NaN : c.initialLoss()))
                .toList();

        List<ScoreUpdate> updates = List.of();
        Map<String, ScoreMapState> rows = Map.of();
        Map<String, ScoreMap> maps = new LinkedHashMap<>();
        if (policy.usesScoreMaps() && !reports.isEmpty()) {
            List<String> clients = ordered.stream().map(ClientResult::clientId).toList();
            rows = restore(e, policy.mapKeys(clients), maps);
            // the losses were measured on round t's selections
            Map<String, Selection> trained = new LinkedHashMap<>();
            clients.forEach(c -> trained.put(c, Selection.parse(byClient.get(c).canonical)));
            try {
                updates = policy.applyResults(round, trained, reports, maps);
            } catch (IllegalArgumentException ex) {
                throw Rejection.badRequest(ex.getMessage());
            }
        }
        List<ScoreUpdateRecord> records = new ArrayList<>();
        for (ScoreUpdate u : updates) {
            ScoreUpdateRecord rec = new ScoreUpdateRecord();
            rec.experimentId = experimentId;
            rec.mapKey = u.mapKey();
            rec.round = u.round();
            rec.previousLoss = u.observation().previousLoss();
            rec.loss = u.observation().loss();
            rec.increment = u.observation().increment();
            rec.reuse = u.observation().reuse();
            rec.selectionId = u.observation().selection().id();
            rec.persist();
            records.add(rec);
            write(rows.get(u.mapKey()), experimentId, u.mapKey(), maps.get(u.mapKey()), round);
        }
        AppliedResults a = new AppliedResults();
        a.experimentId = experimentId;
        a.round = round;
        a.source = source;
        a.results = writeResults(results);
        a.persist();
        em.flush();
        em.refresh(a);
        LOG.infof(
                "applied results of %s round %d from %s: %d clients, %d score updates",
                experimentId, round, source, results.size(), records.size());
        return new ResultsView(
                experimentId,
                round,
                true,
                a.source,
                a.appliedAt,
                List.copyOf(results),
                records.stream().map(ScoreUpdateView::of).toList());
    }

    /** What was applied for a round. */
    public ResultsView results(String experimentId, int round) {
        experiment(experimentId);
        checkRound(round);
        AppliedResults a = AppliedResults.find(experimentId, round)
                .orElseThrow(() -> Rejection.notFound(
                        Rejection.NOT_FOUND, "no results applied for round " + round + " of " + experimentId));
        return view(a, readResults(a.results), false);
    }

    // ---------------------------------------------------------------- score maps

    public List<ScoreMapView> maps(String experimentId) {
        experiment(experimentId);
        return ScoreMapState.ofExperiment(experimentId).stream()
                .map(ScoreMapView::of)
                .toList();
    }

    public ScoreMapView map(String experimentId, String key) {
        return ScoreMapView.of(mapRow(experimentId, key));
    }

    public List<ScoreUpdateView> history(String experimentId, String key) {
        mapRow(experimentId, key);
        return ScoreUpdateRecord.ofMap(experimentId, key).stream()
                .map(ScoreUpdateView::of)
                .toList();
    }

    private ScoreMapState mapRow(String experimentId, String key) {
        experiment(experimentId);
        return ScoreMapState.find(experimentId, key)
                .orElseThrow(() -> Rejection.notFound(
                        Rejection.NOT_FOUND, "experiment " + experimentId + " has no score map '" + key + "'"));
    }

    // ---------------------------------------------------------------- helpers

    private ScoreExperiment experiment(String experimentId) {
        checkExperimentId(experimentId);
        return ScoreExperiment.find(experimentId).orElseThrow(() -> unknownExperiment(experimentId));
    }

    private static Rejection unknownExperiment(String experimentId) {
        return Rejection.notFound(
                Rejection.UNKNOWN_EXPERIMENT,
                "unknown experiment " + experimentId + " (no selection was ever requested for it)");
    }

    /** The policy of an experiment, seeded as the simulator's ({@link SeedStream#POLICY}). */
    static SelectionPolicy policy(ScoreExperiment e) {
        return Policies.create(ModelSpec.parse(e.architecture), settings(e), SeedStream.POLICY.derive(e.seed));
    }

    static SelectionSettings settings(ScoreExperiment e) {
        return new SelectionSettings(e.policy, e.dropoutRate, e.topK, e.eps, LossSignal.parse(e.lossSignal));
    }

    /** Loads the stored maps of {@code keys} into {@code maps}; returns their rows by key. */
    private static Map<String, ScoreMapState> restore(
            ScoreExperiment e, List<String> keys, Map<String, ScoreMap> maps) {
        Map<String, ScoreMapState> rows = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return rows;
        }
        ModelSpec spec = ModelSpec.parse(e.architecture);
        for (ScoreMapState row : ScoreMapState.ofKeys(e.experimentId, keys)) {
            rows.put(row.mapKey, row);
            maps.put(
                    row.mapKey,
                    new ScoreMap(
                            ScoresJson.read(row.scores, spec),
                            row.lastLoss,
                            row.currentSelection == null ? null : Selection.parse(row.currentSelection),
                            row.reuse,
                            row.observations));
        }
        return rows;
    }

    /** Writes a map's state into its row (a new row when {@code row} is null). */
    private static void write(ScoreMapState row, String experimentId, String key, ScoreMap map, int round) {
        ScoreMapState r = row != null ? row : new ScoreMapState();
        r.experimentId = experimentId;
        r.mapKey = key;
        r.scores = ScoresJson.write(map.allScores());
        r.lastLoss = map.lastLoss();
        Selection c = map.current();
        r.currentSelection = c == null ? null : c.canonical();
        r.currentId = c == null ? null : c.id();
        r.reuse = map.reuseNext();
        r.observations = map.observations();
        r.updatedRound = round;
        r.updatedAt = OffsetDateTime.now();
        if (r.id == null) {
            r.persist();
        }
    }

    private static SelectionResponse response(List<StoredSelection> stored) {
        Map<String, SelectionRef> out = new LinkedHashMap<>();
        stored.forEach(s -> out.put(s.clientId, new SelectionRef(s.selectionId, s.canonical)));
        return new SelectionResponse(out);
    }

    private ResultsView view(AppliedResults a, List<ClientResult> applied, boolean now) {
        return new ResultsView(
                a.experimentId,
                a.round,
                now,
                a.source,
                a.appliedAt,
                applied,
                ScoreUpdateRecord.ofRound(a.experimentId, a.round).stream()
                        .map(ScoreUpdateView::of)
                        .toList());
    }

    private String writeResults(List<ClientResult> results) {
        try {
            return json.writeValueAsString(results);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialize results", ex);
        }
    }

    private List<ClientResult> readResults(String text) {
        try {
            return json.readValue(text, RESULTS);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored results are not valid JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    // ---------------------------------------------------------------- validation

    /** A validated selection request. */
    private record Request(SelectionSettings settings, long seed, ModelSpec spec, List<String> clients) {}

    private static Request parse(SelectionRequest q) {
        if (q == null) {
            throw Rejection.badRequest("a SelectionRequest body is required");
        }
        SelectionSettings settings = q.selection();
        if (settings == null) {
            throw Rejection.badRequest("selection is required: {policy, dropoutRate, topK, eps, lossSignal}");
        }
        if (q.architecture() == null || q.architecture().isBlank()) {
            throw Rejection.badRequest(
                    "architecture is required (a model spec such as " + "mlp(in=60,hidden=200x200,classes=10))");
        }
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(q.architecture());
        } catch (RuntimeException ex) {
            throw Rejection.badRequest("bad architecture '" + q.architecture() + "': " + ex.getMessage());
        }
        List<String> clients = q.clients();
        if (clients == null || clients.isEmpty()) {
            throw Rejection.badRequest("clients must name at least one participant");
        }
        if (clients.size() > TrainingConfig.MAX_CLIENTS_IN_ROUND) {
            throw Rejection.badRequest("clients names " + clients.size() + " participants; a round has at most "
                    + TrainingConfig.MAX_CLIENTS_IN_ROUND);
        }
        Set<String> seen = new HashSet<>();
        for (String c : clients) {
            if (c == null || !ID.matcher(c).matches()) {
                throw Rejection.badRequest(
                        "client id " + (c == null ? "null" : "'" + c + "'") + " must match " + ID.pattern());
            }
            if (!seen.add(c)) {
                throw Rejection.badRequest("clients names " + c + " more than once");
            }
        }
        return new Request(settings, q.seed(), spec, List.copyOf(clients));
    }

    /** A running experiment keeps its selection settings, seed and architecture (compared as typed values). */
    private static void checkSameSettings(ScoreExperiment e, Request r) {
        SelectionSettings stored = settings(e);
        if (!stored.equals(r.settings) || e.seed != r.seed || !e.architecture.equals(r.spec.toString())) {
            throw Rejection.conflict("experiment " + e.experimentId + " was started with other selection settings: "
                    + stored + ", seed " + e.seed + ", architecture " + e.architecture + "; this request has "
                    + r.settings + ", seed " + r.seed + ", architecture " + r.spec);
        }
    }

    public static void checkExperimentId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw Rejection.badRequest("experiment id must match " + ID.pattern());
        }
    }

    private static void checkRound(int round) {
        if (round < 0) {
            throw Rejection.badRequest("round must be >= 0, got " + round);
        }
    }

    private static String abbreviate(java.util.Collection<String> ids) {
        List<String> l = new ArrayList<>(ids);
        return l.size() <= 20 ? l.toString() : l.subList(0, 20) + " and " + (l.size() - 20) + " more";
    }
}
