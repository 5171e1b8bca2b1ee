package io.afd.scoremap;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.Client;
import io.afd.core.round.ClientReport;
import io.afd.core.round.Policies;
import io.afd.core.round.SeedStream;
import io.afd.core.round.SelectionSettings;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import io.afd.protocol.RoundEvent;
import io.afd.protocol.RoundEvent.ClientResult;
import io.afd.protocol.SigningKey;
import io.afd.protocol.api.ApiJson;
import io.afd.protocol.api.RoundResults;
import io.afd.protocol.api.SelectionRef;
import io.afd.protocol.api.SelectionRequest;
import io.afd.protocol.api.SelectionResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shared helpers of the score-map tests. */
final class Fixtures {
    /** Two droppable layers: fc1 (10 units), fc2 (6 units). */
    static final ModelSpec SPEC = ModelSpec.mlp(8, 3, 10, 6);

    static final String ARCH = SPEC.toString();
    /** The %test value of afd.server-key: the seed bytes a0..bf. */
    static final SigningKey SERVER_KEY;

    static final ObjectMapper JSON = new ObjectMapper().registerModule(ApiJson.module());
    /**
     * Score smoothing of the tests: large enough that a weighted re-draw really differs from the last
     * selection (with the default 1e-3 it almost always re-draws the rewarded units, hiding reuse bugs).
     */
    static final double EPS = 0.5;

    static {
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) (0xA0 + i);
        }
        SERVER_KEY = SigningKey.fromSeed(seed);
    }

    private Fixtures() {}

    static String experiment(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<String> clients(int... ks) {
        List<String> out = new ArrayList<>();
        for (int k : ks) {
            out.add(Client.idOf(k));
        }
        return out;
    }

    static SelectionRequest request(String policy, double dropout, long seed, List<String> clients) {
        return new SelectionRequest(
                new SelectionSettings(policy, dropout, false, EPS, io.afd.core.round.LossSignal.TRAIN),
                seed,
                ARCH,
                clients);
    }

    /**
     * A selection request as raw JSON fields, for values the typed records refuse to build (an unknown
     * policy, a dropout rate of 1, an unknown loss signal): the service must refuse them with a 400.
     */
    static Map<String, Object> raw(
            String policy,
            double dropout,
            double eps,
            String lossSignal,
            long seed,
            String architecture,
            List<String> clients) {
        Map<String, Object> selection = new java.util.LinkedHashMap<>();
        selection.put("policy", policy);
        selection.put("dropoutRate", dropout);
        selection.put("topK", false);
        selection.put("eps", eps);
        selection.put("lossSignal", lossSignal);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("selection", selection);
        body.put("seed", seed);
        body.put("architecture", architecture);
        body.put("clients", clients);
        return body;
    }

    /** A body in the services' JSON form ({@link ApiJson}). */
    static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A policy built exactly as the simulator builds it. */
    static LocalPolicy local(String policy, double dropout, long seed) {
        return new LocalPolicy(Policies.create(
                SPEC,
                new SelectionSettings(policy, dropout, false, EPS, io.afd.core.round.LossSignal.TRAIN),
                SeedStream.POLICY.derive(seed)));
    }

    static SelectionResponse select(String exp, int round, SelectionRequest req) {
        return given().contentType("application/json")
                .body(json(req))
                .post("/experiments/" + exp + "/rounds/" + round + "/selections")
                .then()
                .statusCode(200)
                .extract()
                .as(SelectionResponse.class);
    }

    static Map<String, String> ids(SelectionResponse r) {
        Map<String, String> m = new LinkedHashMap<>();
        r.selections().forEach((c, ref) -> m.put(c, ref.id()));
        return m;
    }

    static Map<String, String> ids(Map<String, Selection> s) {
        Map<String, String> m = new LinkedHashMap<>();
        s.forEach((c, sel) -> m.put(c, sel.id()));
        return m;
    }

    /**
     * Deterministic results of a round: the loss falls in rounds 1 and 3 and rises in round 2, and differs
     * per client, so both branches of the score update (reward and reuse, resample) are exercised.
     */
    static List<ClientResult> results(List<String> clients, int round) {
        double[] base = {2.0, 1.5, 1.8, 1.1, 0.9, 1.0};
        List<ClientResult> out = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            double loss = base[round % base.length] + 0.0625 * ((i + round) % 3);
            out.add(new ClientResult(clients.get(i), 20 + 7 * i, loss, null, 1000, 500));
        }
        return out;
    }

    static List<ClientReport> reports(List<ClientResult> results) {
        return results.stream()
                .map(r -> new ClientReport(
                        r.clientId(),
                        r.numSamples(),
                        r.trainLoss(),
                        r.initialLoss() == null ? Double.NaN : r.initialLoss()))
                .toList();
    }

    static RoundResults body(List<ClientResult> results) {
        return new RoundResults(results);
    }

    static RoundEvent aggregated(String exp, int round, List<ClientResult> results) {
        return new RoundEvent(
                exp, round, RoundEvent.Type.AGGREGATED, round + 1, results, 0, System.currentTimeMillis(), null);
    }

    /** The parts of a score-map view the tests compare (doubles parsed exactly). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MapDto(
            String key,
            LinkedHashMap<String, double[]> scores,
            Double lastLoss,
            SelectionRef current,
            boolean reuse,
            int observations,
            Integer updatedRound) {

        ScoreMap toScoreMap() {
            return new ScoreMap(
                    scores,
                    lastLoss,
                    current == null ? null : Selection.parse(current.canonical()),
                    reuse,
                    observations);
        }
    }

    static List<MapDto> maps(String exp) {
        String body = given().get("/experiments/" + exp + "/scoremaps")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        try {
            return JSON.readValue(body, new TypeReference<List<MapDto>>() {});
        } catch (Exception e) {
            throw new AssertionError("bad score map list " + body, e);
        }
    }
}
