package io.afd.scoremap;

import static io.afd.scoremap.Fixtures.body;
import static io.afd.scoremap.Fixtures.clients;
import static io.afd.scoremap.Fixtures.experiment;
import static io.afd.scoremap.Fixtures.ids;
import static io.afd.scoremap.Fixtures.local;
import static io.afd.scoremap.Fixtures.maps;
import static io.afd.scoremap.Fixtures.request;
import static io.afd.scoremap.Fixtures.results;
import static io.afd.scoremap.Fixtures.select;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.afd.core.round.StickyTestPolicy;
import io.afd.services.testing.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The test-only policy of core's test class path ({@link StickyTestPolicy}: one file plus one
 * registration line) through the score-map service: it stores exactly the maps the policy names and
 * gives the simulator's selections, with no change to the service.
 */
@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "score-map"))
@QuarkusTestResource(TopicsTestResource.class)
// as this service's callers; the security tests choose their tokens themselves
@org.junit.jupiter.api.extension.ExtendWith(io.afd.services.testing.TestTokens.AsPeers.class)
class TestPolicyResourceIT {

    @Test
    void aPolicyRegisteredOnTheClassPathRunsInTheService() {
        String exp = experiment("sticky");
        List<String> cs = clients(2, 4, 6);
        long seed = 77;
        LocalPolicy sim = local(StickyTestPolicy.NAME, 0.5, seed);
        Map<String, String> round0 = ids(select(exp, 0, request(StickyTestPolicy.NAME, 0.5, seed, cs)));
        assertEquals(ids(sim.configureRound(0, cs)), round0);
        var res = results(cs, 0);
        given().contentType("application/json")
                .body(body(res))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(200);
        sim.onRoundResults(0, Fixtures.reports(res));
        Map<String, String> round1 = ids(select(exp, 1, request(StickyTestPolicy.NAME, 0.5, seed, cs)));
        assertEquals(ids(sim.configureRound(1, cs)), round1);
        assertEquals(round0, round1, "sticky: every client keeps its sub-model");
        assertEquals(
                new TreeSet<>(List.of("sticky/client-00002", "sticky/client-00004", "sticky/client-00006")),
                new TreeSet<>(maps(exp).stream().map(Fixtures.MapDto::key).toList()));
    }
}
