package io.afd.aggregator;

import static io.afd.aggregator.Rounds.awaitStatus;
import static io.afd.aggregator.Rounds.open;
import static io.afd.aggregator.Rounds.seedBase;
import static io.afd.aggregator.Updates.NO_CHUNKS;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.submodel.Selection;
import io.afd.services.testing.InfraTestResource;
import io.afd.services.testing.Management;
import io.afd.services.testing.RestartablePostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL outage longer than the old retries (about 15 s) under a running aggregator: intake pauses with
 * readiness {@code updates-intake} DOWN and the reason, and resumes by itself when the database returns; the update
 * that arrived during the outage is accepted, once.
 */
@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = {
            @ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "aggregator"),
            @ResourceArg(name = InfraTestResource.DATABASE, value = "none")
        },
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AggregatorTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RestartablePostgres.class, restrictToAnnotatedClass = true)
@org.junit.jupiter.api.extension.ExtendWith(io.afd.services.testing.TestTokens.AsPeers.class)
class IntakeOutageIT {
    private static final Selection SEL = Updates.selection("fc1:0,1,2,3,4,5,6,7,8,9;fc2:0,1,2,3,4,5,6,7");

    @Test
    void anOutageOfAnyLengthPausesIntakeAndIntakeResumesAfterIt() throws Exception {
        String exp = "exp-outage";
        seedBase(exp, 3);
        open(exp, 0, 0, Map.of("client-a", SEL, "client-b", SEL)).statusCode(201);
        Updates.update(exp, 0, "client-a", SEL, 0, Updates.dense(SEL, 1), 10, NO_CHUNKS)
                .send();
        awaitStatus(exp, 0, s -> s.received() == 1);

        RestartablePostgres.stopServer();
        long t0 = System.nanoTime();
        Updates.update(exp, 0, "client-b", SEL, 0, Updates.dense(SEL, 2), 10, NO_CHUNKS)
                .send();
        // intake pauses, and says so
        long end = System.nanoTime() + 30_000_000_000L;
        boolean paused = false;
        while (!paused && System.nanoTime() < end) {
            var r = Management.given().get("/q/health/ready");
            paused = r.statusCode() == 503
                    && "DOWN".equals(r.path("checks.find { it.name == 'updates-intake' }.status"));
            Thread.sleep(300);
        }
        assertTrue(paused, "readiness shows the paused intake");
        Management.given()
                .get("/q/health/ready")
                .then()
                .body("checks.find { it.name == 'updates-intake' }.data.failing", org.hamcrest.Matchers.notNullValue());
        // longer than the 5 retries of 1, 2, 4, 8 s that used to stop the channel for good
        Thread.sleep(Math.max(0, 20_000 - (System.nanoTime() - t0) / 1_000_000));
        RestartablePostgres.startAgain();

        awaitStatus(exp, 0, s -> s.received() == 2);
        long resumed = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[measure] update accepted " + resumed + " ms after the outage began (20 s outage)");
        Management.given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'updates-intake' }.status", equalTo("UP"));
        assertEquals(2, Rounds.status(exp, 0).received(), "each update once");
    }
}
