package io.afd.scoremap;

import static io.afd.scoremap.Fixtures.ARCH;
import static io.afd.scoremap.Fixtures.EPS;
import static io.afd.scoremap.Fixtures.body;
import static io.afd.scoremap.Fixtures.clients;
import static io.afd.scoremap.Fixtures.experiment;
import static io.afd.scoremap.Fixtures.ids;
import static io.afd.scoremap.Fixtures.json;
import static io.afd.scoremap.Fixtures.local;
import static io.afd.scoremap.Fixtures.maps;
import static io.afd.scoremap.Fixtures.raw;
import static io.afd.scoremap.Fixtures.reports;
import static io.afd.scoremap.Fixtures.request;
import static io.afd.scoremap.Fixtures.results;
import static io.afd.scoremap.Fixtures.select;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.round.AfdSinglePolicy;
import io.afd.core.round.LossSignal;
import io.afd.core.round.ScoreUpdate;
import io.afd.core.round.SelectionSettings;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import io.afd.protocol.RoundEvent.ClientResult;
import io.afd.protocol.api.SelectionRequest;
import io.afd.protocol.api.SelectionResponse;
import io.afd.services.testing.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "score-map"))
@QuarkusTestResource(TopicsTestResource.class)
// as this service's callers; the security tests choose their tokens themselves
@org.junit.jupiter.api.extension.ExtendWith(io.afd.services.testing.TestTokens.AsPeers.class)
class ScoreMapResourceIT {

    @ParameterizedTest
    @ValueSource(strings = {"fedavg", "random-fd", "afd-single", "afd-multi"})
    void roundZeroSelectionsEqualCoreAndAreStable(String policy) {
        String exp = experiment("r0");
        List<String> clients = clients(3, 17, 5, 42);
        long seed = 1234;
        SelectionResponse got = select(exp, 0, request(policy, 0.5, seed, clients));
        Map<String, Selection> want = local(policy, 0.5, seed).configureRound(0, clients);
        assertEquals(ids(want), ids(got));
        assertEquals(List.copyOf(clients), List.copyOf(got.selections().keySet()), "request order kept");
        want.forEach(
                (c, s) -> assertEquals(s.canonical(), got.selections().get(c).canonical()));
        if (!policy.equals("fedavg")) {
            assertTrue(
                    got.selections().values().stream()
                            .allMatch(r -> Selection.parse(r.canonical()).widths().values().stream()
                                            .mapToInt(Integer::intValue)
                                            .sum()
                                    == 8),
                    "units were dropped");
        }
        // a repeat returns the stored selections unchanged
        assertEquals(ids(got), ids(select(exp, 0, request(policy, 0.5, seed, clients))));
        SelectionResponse stored = given().get("/experiments/" + exp + "/rounds/0/selections")
                .then()
                .statusCode(200)
                .extract()
                .as(SelectionResponse.class);
        assertEquals(ids(got), ids(stored));
        // another seed gives other selections (the comparison above can fail)
        if (!policy.equals("fedavg")) {
            assertFalse(ids(got).equals(ids(local(policy, 0.5, seed + 1).configureRound(0, clients))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"afd-single", "afd-multi"})
    void resultsApplyOnceAndLaterRoundsEqualCore(String policy) {
        String exp = experiment("rounds");
        long seed = 99;
        LocalPolicy sim = local(policy, 0.5, seed);
        // round participants overlap so Multi-Model maps are reused across rounds
        List<List<String>> rounds =
                List.of(clients(1, 2, 3), clients(2, 3, 4), clients(1, 3, 4), clients(1, 2, 3, 4), clients(4, 2));
        for (int t = 0; t < rounds.size(); t++) {
            List<String> cs = rounds.get(t);
            // restart equivalence: a strategy rebuilt from nothing but the stored maps selects the same
            LocalPolicy restarted = local(policy, 0.5, seed);
            if (t > 0) {
                maps(exp).forEach(m -> restarted.putScoreMap(m.key(), m.toScoreMap()));
            }
            Map<String, String> fromRestart = ids(restarted.configureRound(t, cs));
            SelectionResponse got = select(exp, t, request(policy, 0.5, seed, cs));
            Map<String, Selection> want = sim.configureRound(t, cs);
            assertEquals(ids(want), ids(got), "round " + t);
            assertEquals(ids(want), fromRestart, "round " + t + " after a restart");

            List<ClientResult> res = results(cs, t);
            String first = given().contentType("application/json")
                    .body(body(res))
                    .post("/experiments/" + exp + "/rounds/" + t + "/results")
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(true))
                    .body("source", equalTo("rest"))
                    .body("results", hasSize(cs.size()))
                    .extract()
                    .asString();
            List<ScoreUpdate> updates = sim.onRoundResults(t, reports(res));
            assertTrue(first.contains("\"updates\""));
            given().get("/experiments/" + exp + "/rounds/" + t + "/results")
                    .then()
                    .statusCode(200)
                    .body("updates", hasSize(updates.size()));
            String before = given().get("/experiments/" + exp + "/scoremaps")
                    .then()
                    .extract()
                    .asString();
            // a repeat changes nothing and says what was applied
            given().contentType("application/json")
                    .body(body(res))
                    .post("/experiments/" + exp + "/rounds/" + t + "/results")
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(false))
                    .body("source", equalTo("rest"))
                    .body("updates", hasSize(updates.size()));
            // even with other numbers: the first results win
            List<ClientResult> other = results(cs, t + 1);
            given().contentType("application/json")
                    .body(body(other))
                    .post("/experiments/" + exp + "/rounds/" + t + "/results")
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(false))
                    .body("results[0].trainLoss", equalTo((float) res.get(0).trainLoss()));
            assertEquals(
                    before,
                    given().get("/experiments/" + exp + "/scoremaps")
                            .then()
                            .extract()
                            .asString());
            assertSameMaps(sim, exp);
        }
        // history: one update per round for Single-Model, per participation for Multi-Model
        String key =
                policy.equals("afd-single") ? AfdSinglePolicy.KEY : clients(3).get(0);
        given().get("/experiments/" + exp + "/scoremaps/" + key + "/history")
                .then()
                .statusCode(200)
                .body("$", hasSize(policy.equals("afd-single") ? rounds.size() : 4))
                .body("[0].previousLoss", equalTo(null))
                .body("[0].round", equalTo(0));
        given().get("/experiments/" + exp + "/scoremaps/" + key)
                .then()
                .statusCode(200)
                .body("key", equalTo(key))
                .body("observations", equalTo(policy.equals("afd-single") ? rounds.size() : 4));
    }

    /** The stored maps equal the simulator's exactly (scores bit for bit). */
    private static void assertSameMaps(LocalPolicy sim, String exp) {
        List<Fixtures.MapDto> stored = maps(exp);
        assertEquals(sim.scoreMaps().size(), stored.size());
        for (Fixtures.MapDto m : stored) {
            ScoreMap want = sim.scoreMaps().get(m.key());
            assertNotNull(want, m.key());
            assertEquals(want.lastLoss(), m.lastLoss(), m.key());
            assertEquals(want.reuseNext(), m.reuse(), m.key());
            assertEquals(want.observations(), m.observations(), m.key());
            assertEquals(want.current().canonical(), m.current().canonical(), m.key());
            assertEquals(want.current().id(), m.current().id(), m.key());
            want.allScores()
                    .forEach((layer, s) -> assertArrayEquals(s, m.scores().get(layer), m.key() + "/" + layer));
        }
    }

    @Test
    void restoredMapsSelectLikeTheLiveStrategy() {
        String exp = experiment("restart");
        long seed = 7;
        List<String> cs = clients(0, 1, 2, 3);
        LocalPolicy sim = local("afd-multi", 0.4, seed);
        for (int t = 0; t < 3; t++) {
            assertEquals(ids(sim.configureRound(t, cs)), ids(select(exp, t, request("afd-multi", 0.4, seed, cs))));
            List<ClientResult> res = results(cs, t);
            sim.onRoundResults(t, reports(res));
            given().contentType("application/json")
                    .body(body(res))
                    .post("/experiments/" + exp + "/rounds/" + t + "/results")
                    .then()
                    .statusCode(200);
        }
        // "restart": a fresh strategy restored from nothing but GET /scoremaps selects what the live one selects
        LocalPolicy restarted = local("afd-multi", 0.4, seed);
        maps(exp).forEach(m -> restarted.putScoreMap(m.key(), m.toScoreMap()));
        Map<String, String> fromRestart = ids(restarted.configureRound(3, cs));
        assertEquals(ids(sim.configureRound(3, cs)), fromRestart);
        assertEquals(fromRestart, ids(select(exp, 3, request("afd-multi", 0.4, seed, cs))));
    }

    @Test
    void afdRefusesTheNextRoundUntilResultsAreApplied() {
        String exp = experiment("order");
        List<String> cs = clients(1, 2);
        select(exp, 0, request("afd-single", 0.5, 5, cs));
        given().contentType("application/json")
                .body(json(request("afd-single", 0.5, 5, cs)))
                .post("/experiments/" + exp + "/rounds/1/selections")
                .then()
                .statusCode(409)
                .body("reason", containsString("results of round 0"))
                .body("error", equalTo("conflict"));
        given().get("/experiments/" + exp + "/rounds/1/selections").then().statusCode(404);
        given().contentType("application/json")
                .body(body(results(cs, 0)))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(200);
        select(exp, 1, request("afd-single", 0.5, 5, cs));
        // other settings for a running experiment, other clients for a selected round
        given().contentType("application/json")
                .body(json(request("afd-single", 0.25, 5, cs)))
                .post("/experiments/" + exp + "/rounds/1/selections")
                .then()
                .statusCode(409)
                .body("reason", containsString("dropoutRate"));
        given().contentType("application/json")
                .body(json(request("afd-single", 0.5, 5, clients(1, 3))))
                .post("/experiments/" + exp + "/rounds/1/selections")
                .then()
                .statusCode(409)
                .body("reason", containsString("other clients"));
        // random-fd keeps no maps: rounds need no results in between
        String fd = experiment("fd");
        select(fd, 0, request("random-fd", 0.5, 5, cs));
        select(fd, 1, request("random-fd", 0.5, 5, cs));
        given().get("/experiments/" + fd + "/scoremaps").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void badSelectionRequestsAre400() {
        String exp = experiment("bad");
        List<String> cs = clients(1, 2);
        post(exp, 0, raw("dropall", 0.5, EPS, "train", 1, ARCH, cs), 400, "unknown policy");
        post(exp, 0, raw(null, 0.5, EPS, "train", 1, ARCH, cs), 400, "policy is required");
        post(exp, 0, raw("afd-single", 1.0, EPS, "train", 1, ARCH, cs), 400, "dropout rate");
        post(exp, 0, raw("afd-single", -0.1, EPS, "train", 1, ARCH, cs), 400, "dropout rate");
        post(exp, 0, request("afd-single", 0.5, 1, List.of()), 400, "clients");
        post(exp, 0, request("afd-single", 0.5, 1, null), 400, "clients");
        post(exp, 0, request("afd-single", 0.5, 1, List.of("client-1", "client-1")), 400, "more than once");
        post(exp, 0, request("afd-single", 0.5, 1, List.of("bad id")), 400, "client id");
        post(exp, 0, raw("afd-single", 0.5, 0, "train", 1, ARCH, cs), 400, "eps");
        post(exp, 0, raw("afd-single", 0.5, EPS, "loudness", 1, ARCH, cs), 400, "loss signal");
        post(exp, 0, raw("afd-single", 0.5, EPS, null, 1, ARCH, cs), 400, "lossSignal is required");
        post(exp, 0, raw("afd-single", 0.5, EPS, "train", 1, "mlp(in=oops)", cs), 400, "architecture");
        given().contentType("application/json")
                .body("{\"seed\": 1, \"architecture\": \"" + ARCH + "\", \"clients\": [\"client-1\"]}")
                .post("/experiments/" + exp + "/rounds/0/selections")
                .then()
                .statusCode(400)
                .body("reason", containsString("selection"));
        post(exp, -1, request("afd-single", 0.5, 1, cs), 400, "round");
        given().contentType("application/json")
                .body("{\"selection\": {\"policy\": \"afd-single\", \"dropoutRate\": \"NaN\","
                        + " \"eps\": 0.001, \"lossSignal\": \"train\"}, \"architecture\": \"" + ARCH + "\","
                        + " \"clients\": [\"client-1\"]}")
                .post("/experiments/" + exp + "/rounds/0/selections")
                .then()
                .statusCode(400)
                .body("reason", containsString("dropout rate"));
        given().contentType("application/json")
                .body("{not json")
                .post("/experiments/" + exp + "/rounds/0/selections")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("invalid JSON body"));
        given().contentType("application/json")
                .body(json(request("afd-single", 0.5, 1, cs)))
                .post("/experiments/bad%20id/rounds/0/selections")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("experiment id"));
        // nothing was stored by any of these
        given().get("/experiments/" + exp + "/scoremaps").then().statusCode(404);
    }

    @Test
    void badResultsAre400AndChangeNothing() {
        String exp = experiment("badres");
        List<String> cs = clients(1, 2);
        select(exp, 0, request("afd-single", 0.5, 3, cs));
        String before = given().get("/experiments/" + exp + "/scoremaps")
                .then()
                .extract()
                .asString();
        List<ClientResult> stranger = new ArrayList<>(results(cs, 0));
        stranger.add(new ClientResult("client-00099", 10, 1.0, null, 1, 1));
        given().contentType("application/json")
                .body(body(stranger))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(400)
                .body("reason", containsString("client-00099"))
                .body("error", equalTo("not_selected"));
        String nan = "{\"results\": [{\"clientId\": \"client-00001\", \"numSamples\": 10, \"trainLoss\": \"NaN\","
                + " \"bytesDown\": 1, \"bytesUp\": 1}]}";
        given().contentType("application/json")
                .body(nan)
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(400)
                .body("reason", containsString("trainLoss"));
        given().contentType("application/json")
                .body(nan.replace("\"NaN\"", "NaN"))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .body(nan.replace("\"NaN\"", "-0.5"))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(400)
                .body("reason", containsString("trainLoss"));
        given().contentType("application/json")
                .body(nan.replace("\"NaN\"", "1.0")
                        .replace("\"bytesUp\": 1", "\"bytesUp\": 1, \"initialLoss\": \"NaN\""))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(400)
                .body("reason", containsString("initialLoss"));
        given().contentType("application/json")
                .body("{}")
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .body(body(results(cs, 0)))
                .post("/experiments/" + exp + "/rounds/1/results")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_round"));
        given().contentType("application/json")
                .body(body(results(cs, 0)))
                .post("/experiments/nobody-here/rounds/0/results")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_experiment"));
        // nothing was applied
        given().get("/experiments/" + exp + "/rounds/0/results").then().statusCode(404);
        assertEquals(
                before,
                given().get("/experiments/" + exp + "/scoremaps")
                        .then()
                        .extract()
                        .asString());
        given().contentType("application/json")
                .body(body(results(cs, 0)))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true));
    }

    @Test
    void initialLossSignalNeedsInitialLosses() {
        String exp = experiment("initial");
        List<String> cs = clients(1, 2);
        select(
                exp,
                0,
                new SelectionRequest(
                        new SelectionSettings("afd-multi", 0.5, false, 1e-3, LossSignal.INITIAL), 3, ARCH, cs));
        given().contentType("application/json")
                .body(body(results(cs, 0)))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(400)
                .body("reason", containsString("initialLoss"))
                .body("reason", containsString(cs.get(0)));
        List<ClientResult> withInitial = results(cs, 0).stream()
                .map(r -> new ClientResult(r.clientId(), r.numSamples(), r.trainLoss(), r.trainLoss() + 1, 1, 1))
                .toList();
        given().contentType("application/json")
                .body(body(withInitial))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(200)
                .body("updates", hasSize(2))
                .body("updates[0].loss", equalTo((float) (withInitial.get(0).trainLoss() + 1)));
    }

    @Test
    void unknownThingsAre404() {
        given().get("/experiments/nobody/scoremaps")
                .then()
                .statusCode(404)
                .body("reason", containsString("nobody"))
                .body("error", equalTo("unknown_experiment"));
        given().get("/experiments/nobody/scoremaps/global").then().statusCode(404);
        given().get("/experiments/nobody/scoremaps/global/history").then().statusCode(404);
        given().get("/experiments/nobody/rounds/0/selections").then().statusCode(404);
        given().get("/experiments/nobody/rounds/0/results").then().statusCode(404);
        String exp = experiment("known");
        select(exp, 0, request("afd-single", 0.5, 3, clients(1)));
        given().get("/experiments/" + exp + "/rounds/4/selections")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_round"));
        given().get("/experiments/" + exp + "/scoremaps/client-00001").then().statusCode(404);
        given().get("/experiments/" + exp + "/scoremaps/global")
                .then()
                .statusCode(200)
                .body("observations", equalTo(0))
                .body("lastLoss", equalTo(null))
                .body("scores.fc1", hasSize(10))
                .body("scores.fc2", hasSize(6));
        given().get("/experiments/" + exp + "/scoremaps/global/history")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        // a map key is an id like the others
        given().get("/experiments/" + exp + "/scoremaps/bad%20key")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("score map key"));
        given().get("/experiments/" + exp + "/scoremaps/bad%20key/history")
                .then()
                .statusCode(400);
    }

    @Test
    void healthAndMetricsAreUp() {
        io.afd.services.testing.Management.given()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        io.afd.services.testing.Management.given().get("/q/metrics").then().statusCode(200);
    }

    private static void post(String exp, int round, Object req, int status, String reason) {
        given().contentType("application/json")
                .body(json(req))
                .post("/experiments/" + exp + "/rounds/" + round + "/selections")
                .then()
                .statusCode(status)
                .body("status", equalTo(status))
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString(reason));
    }

    /** Who may call what (ADR 0016): the orchestrator selects and reports results; operators and it read. */
    @org.junit.jupiter.api.Test
    void onlyTheOrchestratorChangesScoreMapsAndOperatorsRead() {
        io.afd.services.testing.SecurityMatrix.check(java.util.List.of(
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "POST", "/experiments/sec/rounds/0/selections", "{}", java.util.Set.of("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "POST", "/experiments/sec/rounds/0/results", "{}", java.util.Set.of("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/rounds/0/selections",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/rounds/0/results",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/scoremaps",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/scoremaps/global",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/scoremaps/global/history",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator"))));
        io.afd.services.testing.Management.given().get("/q/health/live").then().statusCode(200);
    }
}
