package io.afd.orchestrator;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.afd.protocol.Enrolment;
import io.afd.protocol.SigningKey;
import io.afd.protocol.api.ClientKeys;
import io.afd.services.common.client.OrchestratorClient;
import io.afd.services.testing.InfraTestResource;
import io.afd.services.testing.TestTokens;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The aggregator reads client keys through the shared {@link OrchestratorClient} of services/common: this checks that
 * interface and its typed {@link ClientKeys} against the real endpoint, before and after an enrolment.
 */
@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "orchestrator"))
@TestProfile(ManagementApiIT.NoDriver.class)
// what the API does, as an admin; ApiSecurityIT covers who may call it
@org.junit.jupiter.api.extension.ExtendWith(TestTokens.AsAdmin.class)
class OrchestratorClientContractIT {

    @TestHTTPResource("/")
    URI root;

    @Test
    void theKeysOfARegisteredClientBindAndAnUnknownOneIs404() {
        String token = given().contentType("application/json")
                .body("{\"id\":\"client-00031\",\"numSamples\":5}")
                .post("/api/clients")
                .then()
                .statusCode(201)
                .extract()
                .path("enrolmentToken");
        String aggregatorToken = TestTokens.service("aggregator"); // the one caller of the internal API
        OrchestratorClient orchestrator = QuarkusRestClientBuilder.newBuilder()
                .baseUri(root)
                .register((jakarta.ws.rs.client.ClientRequestFilter)
                        r -> r.getHeaders().putSingle("Authorization", "Bearer " + aggregatorToken))
                .build(OrchestratorClient.class);
        OrchestratorClient asAdmin = QuarkusRestClientBuilder.newBuilder()
                .baseUri(root)
                .register((jakarta.ws.rs.client.ClientRequestFilter)
                        r -> r.getHeaders().putSingle("Authorization", "Bearer " + TestTokens.admin()))
                .build(OrchestratorClient.class);
        assertEquals(
                403,
                assertThrows(WebApplicationException.class, () -> asAdmin.keys("client-00031"))
                        .getResponse()
                        .getStatus(),
                "an operator, even an admin, does not reach the internal API");
        assertEquals(new ClientKeys("client-00031", 5, List.of()), orchestrator.keys("client-00031"));

        SigningKey key = SigningKey.generate();
        given().contentType("application/json")
                .body(Map.of(
                        "clientId",
                        "client-00031",
                        "enrolmentToken",
                        token,
                        "publicKey",
                        key.verifyKey().text(),
                        "proof",
                        Enrolment.prove(key, "client-00031", token)))
                .post("/api/enrolment")
                .then()
                .statusCode(201);
        assertEquals(
                new ClientKeys(
                        "client-00031",
                        5,
                        List.of(new ClientKeys.PublicKey(
                                key.keyId(), key.verifyKey().text()))),
                orchestrator.keys("client-00031"),
                "with the enrolled sample count");
        assertEquals(
                404,
                assertThrows(WebApplicationException.class, () -> orchestrator.keys("client-00032"))
                        .getResponse()
                        .getStatus());
    }
}
