package io.afd.orchestrator;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.afd.protocol.Secrets;
import io.afd.protocol.api.ClientSecret;
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
import org.junit.jupiter.api.Test;

/**
 * The packager and the aggregator read client secrets through the shared {@link OrchestratorClient} of
 * services/common: this checks that interface and its typed {@link ClientSecret} against the real endpoint.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@TestProfile(ManagementApiIT.NoDriver.class)
// what the API does, as an admin; ApiSecurityIT covers who may call it
@org.junit.jupiter.api.extension.ExtendWith(TestTokens.AsAdmin.class)
class OrchestratorClientContractIT {

    @TestHTTPResource("/")
    URI root;

    @Test
    void theSecretOfARegisteredClientBindsAndAnUnknownOneIs404() {
        String secret = given().contentType("application/json")
                .body("{\"id\":\"client-00031\",\"numSamples\":5}")
                .post("/api/clients")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");
        OrchestratorClient orchestrator =
                QuarkusRestClientBuilder.newBuilder().baseUri(root).build(OrchestratorClient.class);

        ClientSecret answer = orchestrator.secret("client-00031");
        assertEquals(new ClientSecret("client-00031", secret, 5), answer, "with the enrolled sample count");
        assertEquals(32, Secrets.decode(answer.secret()).length);
        assertEquals(
                404,
                assertThrows(WebApplicationException.class, () -> orchestrator.secret("client-00032"))
                        .getResponse()
                        .getStatus());
    }
}
