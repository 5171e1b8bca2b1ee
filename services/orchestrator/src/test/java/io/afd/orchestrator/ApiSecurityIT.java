package io.afd.orchestrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.afd.infra.auth.LocalIssuer;
import io.afd.services.testing.InfraTestResource;
import io.afd.services.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management API against real signed tokens: every endpoint refuses a missing, expired,
 * foreign, mis-addressed or tampered token with 401 and a token without the role with 403.
 */
@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "orchestrator"))
@TestProfile(ApiSecurityIT.NoDriver.class)
class ApiSecurityIT {

    public static class NoDriver implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("afd.orchestrator.driver-enabled", "false");
        }
    }

    /** An endpoint and the least role that may call it. */
    private record Endpoint(String method, String path, String body, String leastRole) {}

    private static final String YAML = "dataset: {kind: synthetic, clients: 4, maxSamplesPerClient: 50}\\n"
            + "model: mlp(in=60,hidden=16,classes=10)\\nrounds: 1\\nclientsPerRound: 2\\n";

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/experiments", null, "viewer"),
            new Endpoint("GET", "/api/experiments/sec-exp", null, "viewer"),
            new Endpoint("GET", "/api/experiments/sec-exp/rounds", null, "viewer"),
            new Endpoint("GET", "/api/experiments/sec-exp/config", null, "viewer"),
            new Endpoint("GET", "/api/experiments/sec-exp/scoremaps", null, "viewer"),
            new Endpoint("GET", "/api/experiments/sec-exp/versions", null, "viewer"),
            new Endpoint("GET", "/api/templates", null, "viewer"),
            new Endpoint("GET", "/api/rejections", null, "viewer"),
            new Endpoint("GET", "/api/experiments/sec-exp/versions/0/weights", null, "viewer"),
            new Endpoint("GET", "/api/clients", null, "viewer"),
            new Endpoint("GET", "/api/clients/client-00001", null, "viewer"),
            new Endpoint("POST", "/api/experiments/sec-exp/start", null, "operator"),
            new Endpoint("POST", "/api/experiments/sec-exp/pause", null, "operator"),
            new Endpoint("POST", "/api/experiments/sec-exp/resume", null, "operator"),
            new Endpoint("POST", "/api/experiments/sec-exp/stop", null, "operator"),
            new Endpoint("PUT", "/api/clients/client-00001/availability", "{\"available\":false}", "operator"),
            new Endpoint(
                    "POST",
                    "/api/experiments",
                    "{\"id\":\"sec-new\",\"config\":\"" + YAML + "\",\"roundTimeoutSeconds\":60}",
                    "admin"),
            new Endpoint("POST", "/api/clients", "{\"id\":\"client-00077\",\"numSamples\":10}", "admin"),
            new Endpoint("GET", "/api/clients/client-00001/keys", null, "viewer"),
            new Endpoint("POST", "/api/clients/client-00001/enrolment-tokens", null, "admin"),
            new Endpoint("DELETE", "/api/clients/client-00001/keys/0000000000000000", null, "admin"),
            new Endpoint("GET", "/q/openapi", null, "viewer"),
            new Endpoint("GET", "/q/swagger-ui/", null, "viewer"));

    private static boolean seeded;

    /** Once per class, after Quarkus has set RestAssured's port. */
    @BeforeEach
    void anExperimentAndAClient() {
        if (seeded) {
            return;
        }
        seeded = true;
        String admin = TestTokens.bearer(TestTokens.admin());
        given().header("Authorization", admin)
                .contentType("application/json")
                .body("{\"id\":\"sec-exp\",\"config\":\"" + YAML + "\",\"roundTimeoutSeconds\":60}")
                .post("/api/experiments")
                .then()
                .statusCode(201);
        given().header("Authorization", admin)
                .contentType("application/json")
                .body("{\"id\":\"client-00001\",\"numSamples\":10}")
                .post("/api/clients")
                .then()
                .statusCode(201);
    }

    private static io.restassured.response.Response call(Endpoint e, String authorization) {
        RequestSpecification r = given().redirects().follow(false);
        if (authorization != null) {
            r = r.header("Authorization", authorization);
        }
        if (e.body() != null) {
            r = r.contentType("application/json").body(e.body());
        }
        return r.request(e.method(), e.path());
    }

    @Test
    void everyEndpointWithoutATokenIs401() {
        for (Endpoint e : ENDPOINTS) {
            call(e, null).then().statusCode(401);
            call(e, "Bearer").then().statusCode(401);
            call(e, "Bearer not.a.jwt").then().statusCode(401);
            call(e, "Basic YWRtaW46YWRtaW4=").then().statusCode(401);
        }
    }

    @Test
    void theLiveStreamNeedsATokenWithAConsoleRole() {
        // not in ENDPOINTS: with a good token it streams for minutes
        Endpoint events = new Endpoint("GET", "/api/experiments/sec-exp/events", null, "viewer");
        call(events, null).then().statusCode(401);
        call(events, "Bearer not.a.jwt").then().statusCode(401);
        call(events, TestTokens.bearer(TestTokens.token("guest"))).then().statusCode(403);
    }

    @Test
    void theConsolesFilesArePublicAndHoldNoData() {
        given().redirects().follow(false).get("/").then().statusCode(303);
        given().get("/console/").then().statusCode(200).contentType(containsString("text/html"));
        given().get("/console/console.js").then().statusCode(200);
        given().get("/webjars/echarts/5.3.1/dist/echarts.min.js").then().statusCode(200);
    }

    @Test
    void aRoleBelowTheEndpointsIs403AndTheRoleItNamesPasses() {
        List<String> roles = LocalIssuer.ROLES;
        for (Endpoint e : ENDPOINTS) {
            int least = roles.indexOf(e.leastRole());
            for (int i = 0; i < roles.size(); i++) {
                String auth = TestTokens.bearer(TestTokens.token(roles.get(i)));
                if (i < least) {
                    call(e, auth).then().statusCode(403);
                } else {
                    // authorised: whatever the endpoint answers, it is neither 401 nor 403
                    call(e, auth).then().statusCode(not(equalTo(401))).statusCode(not(equalTo(403)));
                }
            }
            call(e, TestTokens.bearer(TestTokens.token("guest"))).then().statusCode(403);
        }
    }

    @Test
    void expiredForeignMisaddressedOrTamperedTokensAre401() throws Exception {
        LocalIssuer trusted = TestTokens.issuer();
        Instant now = Instant.now();
        List<String> admin = List.of("admin");
        String expired =
                trusted.mint("late", admin, now.minus(Duration.ofHours(2)), now.minusSeconds(600), trusted.audience());
        String otherAudience = trusted.mint("elsewhere", admin, now, now.plusSeconds(600), "another-api");
        Path foreignDir = Files.createTempDirectory("afd-foreign-issuer");
        LocalIssuer foreign = LocalIssuer.open(foreignDir, "https://issuer.example.org", trusted.audience());
        String foreignToken = foreign.mint("mallory", admin, Duration.ofMinutes(5));
        LocalIssuer impostor =
                LocalIssuer.open(Files.createTempDirectory("afd-impostor"), trusted.issuer(), trusted.audience());
        String impostorToken = impostor.mint("mallory", admin, Duration.ofMinutes(5));
        String good = trusted.mint("alice", List.of("viewer"), Duration.ofMinutes(5));
        String[] parts = good.split("\\.");
        String escalated = parts[0] + "."
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                                new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                                        .replace("\"viewer\"", "\"admin\"")
                                        .getBytes())
                + "." + parts[2];
        String unsigned = parts[0].replace(
                        parts[0],
                        java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()))
                + "." + parts[1] + ".";
        Endpoint read = ENDPOINTS.get(0);
        call(read, TestTokens.bearer(good)).then().statusCode(200);
        for (String bad : List.of(expired, otherAudience, foreignToken, impostorToken, escalated, unsigned)) {
            call(read, TestTokens.bearer(bad)).then().statusCode(401);
        }
    }

    @Test
    void theInternalApiAdmitsTheAggregatorsServiceTokenAlone() {
        io.afd.services.testing.SecurityMatrix.check(List.of(new io.afd.services.testing.SecurityMatrix.Endpoint(
                "GET", "/internal/clients/client-00001/keys", null, java.util.Set.of("service:aggregator"))));
    }

    @Test
    void enrolmentNeedsNoBearerTokenButItsEnrolmentToken() {
        // the enrolment token in the body is the credential: without one (or with a wrong one) it is 401 too,
        // but the answer is about the enrolment token, not a bearer token
        given().contentType("application/json")
                .body(
                        "{\"clientId\":\"client-00001\",\"enrolmentToken\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
                                + "\"publicKey\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"proof\":\"x\"}")
                .post("/api/enrolment")
                .then()
                .statusCode(401)
                .body("reason", org.hamcrest.Matchers.containsString("enrolment token"));
        given().get("/api/enrolment/server-keys").then().statusCode(200);
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementInterfaceOnly() {
        // probes of the platform and Prometheus: on their own port, without credentials
        io.afd.services.testing.Management.given().get("/q/health/live").then().statusCode(200);
        io.afd.services.testing.Management.given().get("/q/metrics").then().statusCode(200);
        // not on the port API callers reach, with or without a token
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }
}
