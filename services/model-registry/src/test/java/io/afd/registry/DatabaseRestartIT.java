package io.afd.registry;

import static io.restassured.RestAssured.given;

import io.afd.services.testing.RestartablePostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL restart under a running service: the pooled connections it had are dead, and the
 * first request after it must still succeed (connections are validated on borrow), not answer 500.
 */
@QuarkusTest
@QuarkusTestResource(value = RestartablePostgres.class, restrictToAnnotatedClass = true)
// as this service's callers; the security tests choose their tokens themselves
@org.junit.jupiter.api.extension.ExtendWith(io.afd.services.testing.TestTokens.AsPeers.class)
class DatabaseRestartIT {

    @Test
    void theFirstRequestsAfterAPostgresRestartSucceed() {
        for (int i = 0; i < 4; i++) {
            given().get("/experiments/restart-exp/versions").then().statusCode(200);
        }
        RestartablePostgres.restart();
        for (int i = 0; i < 4; i++) {
            given().get("/experiments/restart-exp/versions").then().statusCode(200);
        }
    }
}
