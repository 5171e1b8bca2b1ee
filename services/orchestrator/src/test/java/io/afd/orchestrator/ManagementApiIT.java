package io.afd.orchestrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.afd.protocol.Ids;
import io.afd.services.testing.InfraTestResource;
import io.afd.services.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "orchestrator"))
@TestProfile(ManagementApiIT.NoDriver.class)
// what the API does, as an admin; ApiSecurityIT covers who may call it
@org.junit.jupiter.api.extension.ExtendWith(TestTokens.AsAdmin.class)
class ManagementApiIT {

    /** The round driver stays off: this test covers the management API only. */
    public static class NoDriver implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("afd.orchestrator.driver-enabled", "false");
        }
    }

    private static final String YAML = """
            dataset: {kind: synthetic, clients: 4, maxSamplesPerClient: 50}
            model: mlp(in=60,hidden=16,classes=10)
            rounds: 2
            clientsPerRound: 2
            strategy: {policy: afd-single, dropoutRate: 0.5}
            """;

    private static String body(String id, String yaml) {
        return "{\"id\":\"" + id + "\",\"config\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(yaml)
                + ",\"roundTimeoutSeconds\":60}";
    }

    @Test
    void experimentLifecycle() {
        given().contentType("application/json")
                .body(body("exp-1", YAML))
                .post("/api/experiments")
                .then()
                .statusCode(201)
                .body("status", equalTo("CREATED"))
                .body("roundTimeoutSeconds", equalTo(60));
        given().contentType("application/json")
                .body(body("exp-1", YAML))
                .post("/api/experiments")
                .then()
                .statusCode(409);
        given().post("/api/experiments/exp-1/pause").then().statusCode(409);
        given().post("/api/experiments/exp-1/start").then().statusCode(200).body("status", equalTo("RUNNING"));
        given().post("/api/experiments/exp-1/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
        given().post("/api/experiments/exp-1/resume").then().statusCode(200).body("status", equalTo("RUNNING"));
        given().post("/api/experiments/exp-1/stop").then().statusCode(200).body("status", equalTo("STOPPED"));
        given().post("/api/experiments/exp-1/explode").then().statusCode(404);
        given().get("/api/experiments").then().statusCode(200).body("id", hasItem("exp-1"));
        given().get("/api/experiments/exp-1/rounds").then().statusCode(200);
        given().get("/api/experiments/exp-1/config").then().statusCode(200).body(containsString("afd-single"));
        given().get("/api/experiments/nope")
                .then()
                .statusCode(404)
                .body("status", equalTo(404))
                .body("error", equalTo("not_found"))
                .body("reason", containsString("nope"));
    }

    @Test
    void badExperimentsAreRejectedWithTheReason() {
        given().contentType("application/json")
                .body(body("exp-bad", YAML.replace("afd-single", "afd")))
                .post("/api/experiments")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("unknown policy"));
        given().contentType("application/json")
                .body(body("Bad Id", YAML))
                .post("/api/experiments")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("experiment id must match " + Ids.REGEX));
        given().contentType("application/json")
                .body(body("exp-bad2", "rounds: ["))
                .post("/api/experiments")
                .then()
                .statusCode(400)
                .body("reason", containsString("invalid experiment config"));
        given().contentType("application/json")
                .body("{\"id\":\"x\"}")
                .post("/api/experiments")
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .body("not json")
                .post("/api/experiments")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("invalid JSON body"));
        given().get("/api/experiments/bad%20id").then().statusCode(400).body("reason", containsString("experiment id"));
        // a model the suite cannot hold is refused at creation (it once stopped the round driver)
        given().contentType("application/json")
                .body(body(
                        "exp-huge",
                        YAML.replace("mlp(in=60,hidden=16,classes=10)", "mlp(in=30000,hidden=30000x30000,classes=10)")))
                .post("/api/experiments")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("MAX_PARAMETERS"));
        // malformed paths get a 4xx with a reason, not a 500
        given().get("/api/experiments/%00").then().statusCode(400).body("reason", containsString("experiment id"));
    }

    @Test
    void experimentIdsFollowTheProtocolsIdRule() {
        // upper case and up to 128 characters, as in every other service (the orchestrator once allowed only
        // lower case and 63 characters)
        String longest = "Exp-" + "x".repeat(Ids.MAX_LENGTH - 4);
        for (String id : new String[] {"Exp-Upper.1", longest}) {
            given().contentType("application/json")
                    .body(body(id, YAML))
                    .post("/api/experiments")
                    .then()
                    .statusCode(201)
                    .body("id", equalTo(id));
            given().get("/api/experiments/" + id).then().statusCode(200).body("id", equalTo(id));
        }
        given().contentType("application/json")
                .body(body(longest + "x", YAML))
                .post("/api/experiments")
                .then()
                .statusCode(400)
                .body("reason", containsString("experiment id"));
    }

    @Test
    void clientsRegisterWithAnEnrolmentTokenShownOnce() {
        given().contentType("application/json")
                .body("{\"id\":\"client-00007\",\"numSamples\":120}")
                .post("/api/clients")
                .then()
                .statusCode(201)
                .body("enrolmentToken", notNullValue())
                .body("enrolmentExpiresAt", notNullValue())
                .body("secret", equalTo(null));
        given().contentType("application/json")
                .body("{\"id\":\"client-00007\",\"numSamples\":120}")
                .post("/api/clients")
                .then()
                .statusCode(409);
        given().get("/api/clients/client-00007")
                .then()
                .statusCode(200)
                .body("numSamples", equalTo(120))
                .body("enrolmentToken", equalTo(null));
        given().contentType("application/json")
                .body("{\"available\":false}")
                .put("/api/clients/client-00007/availability")
                .then()
                .statusCode(200)
                .body("available", equalTo(false));
        TestTokens.as(
                TestTokens.service("aggregator"),
                () -> given().get("/internal/clients/client-00007/keys")
                        .then()
                        .statusCode(200)
                        .body("numSamples", equalTo(120))
                        .body("keys.size()", equalTo(0)));
        given().get("/internal/clients/client-00007/secret").then().statusCode(404);
        given().contentType("application/json")
                .body("{\"id\":\"../x\",\"numSamples\":1}")
                .post("/api/clients")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("client id must match " + Ids.REGEX));
        // the partition index is checked once, at registration: a client without one would stall rounds
        for (String[] bad : new String[][] {
            {"sensor-a", "must end with its data-partition index"}, {"client-99999999999", "above 2147483647"}
        }) {
            given().contentType("application/json")
                    .body("{\"id\":\"" + bad[0] + "\",\"numSamples\":1}")
                    .post("/api/clients")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_request"))
                    .body("reason", containsString(bad[1]));
        }
        given().get("/api/clients/ghost").then().statusCode(404).body("error", equalTo("not_found"));
        given().get("/api/clients/bad%20id").then().statusCode(400).body("reason", containsString("client id"));
        TestTokens.as(
                TestTokens.service("aggregator"),
                () -> given().get("/internal/clients/ghost/keys")
                        .then()
                        .statusCode(404)
                        .body("error", equalTo("not_found")));
        // client ids up to the protocol's 128 characters (registration once stopped at 64)
        String longest = "client-" + "0".repeat(Ids.MAX_LENGTH - 7);
        given().contentType("application/json")
                .body("{\"id\":\"" + longest + "\",\"numSamples\":1}")
                .post("/api/clients")
                .then()
                .statusCode(201)
                .body("id", equalTo(longest));
        given().contentType("application/json")
                .body("{\"id\":\"" + longest + "0\",\"numSamples\":1}")
                .post("/api/clients")
                .then()
                .statusCode(400);
    }

    @Test
    void clientsAreListedInPagesByIdAfterTheLastOneSeen() {
        for (int k = 0; k < 5; k++) {
            given().contentType("application/json")
                    .body("{\"id\":\"page-" + k + "\",\"numSamples\":1}")
                    .post("/api/clients")
                    .then()
                    .statusCode(201);
        }
        java.util.List<String> all = given().get("/api/clients")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id", String.class);
        java.util.List<String> paged = new java.util.ArrayList<>();
        String after = null;
        while (true) {
            var req = given().queryParam("limit", 2);
            if (after != null) {
                req = req.queryParam("after", after);
            }
            java.util.List<String> page = req.get("/api/clients")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("id", String.class);
            if (page.isEmpty()) {
                break;
            }
            org.junit.jupiter.api.Assertions.assertTrue(page.size() <= 2, page.toString());
            paged.addAll(page);
            after = page.get(page.size() - 1);
        }
        org.junit.jupiter.api.Assertions.assertEquals(all, paged, "the pages, joined, are the whole list in id order");
        given().queryParam("limit", 0)
                .get("/api/clients")
                .then()
                .statusCode(400)
                .body("reason", containsString("limit"));
        given().queryParam("after", "page-1").get("/api/clients").then().statusCode(400);
        given().queryParam("limit", 2)
                .queryParam("after", "bad id")
                .get("/api/clients")
                .then()
                .statusCode(400);
    }

    @Test
    void openApiAndHealth() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/experiments"));
        io.afd.services.testing.Management.given()
                .get("/q/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
    }
}
