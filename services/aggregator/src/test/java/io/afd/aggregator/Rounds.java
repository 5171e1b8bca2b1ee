package io.afd.aggregator;

import static io.afd.aggregator.Updates.ARCH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.fail;

import io.afd.core.submodel.Selection;
import io.afd.protocol.api.AggregationStatus;
import io.afd.protocol.api.CloseResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** The aggregator's round API as the tests call it (as the orchestrator: the caller's token is set by the test). */
final class Rounds {
    static final Duration WAIT = Duration.ofSeconds(45);
    /** The deadline of the rounds the tests open: hours after the test run. */
    static final long DEADLINE = System.currentTimeMillis() + 6 * 3_600_000L;

    private Rounds() {}

    static byte[] seedBase(String exp, long seed) {
        byte[] blob = Updates.baseBlob(seed);
        given().contentType("application/octet-stream")
                .body(blob)
                .queryParam("architecture", ARCH)
                .post("/experiments/{e}/versions", exp)
                .then()
                .statusCode(201)
                .body("version", equalTo(0));
        return blob;
    }

    static io.restassured.response.ValidatableResponse open(
            String exp, int round, int base, Map<String, Selection> participants) {
        return open(exp, round, base, participants, DEADLINE);
    }

    static io.restassured.response.ValidatableResponse open(
            String exp, int round, int base, Map<String, Selection> participants, long deadline) {
        Map<String, String> p = new LinkedHashMap<>();
        participants.forEach((c, s) -> p.put(c, s.canonical()));
        return putRaw(
                exp,
                round,
                Map.of(
                        "architecture",
                        ARCH,
                        "baseVersion",
                        base,
                        "participants",
                        p,
                        "deadlineEpochMs",
                        deadline,
                        "uplink",
                        "float32"));
    }

    static io.restassured.response.ValidatableResponse putRaw(String exp, int round, Map<String, ?> body) {
        return given().contentType("application/json")
                .body(body)
                .put("/experiments/{e}/rounds/{t}", exp, round)
                .then();
    }

    static AggregationStatus status(String exp, int round) {
        return given().get("/experiments/{e}/rounds/{t}", exp, round)
                .then()
                .statusCode(200)
                .extract()
                .as(AggregationStatus.class);
    }

    static CloseResult close(String exp, int round) {
        return given().post("/experiments/{e}/rounds/{t}/close", exp, round)
                .then()
                .statusCode(200)
                .extract()
                .as(CloseResult.class);
    }

    static void awaitStatus(String exp, int round, Predicate<AggregationStatus> done) {
        long end = System.nanoTime() + WAIT.toNanos();
        AggregationStatus s = null;
        while (System.nanoTime() < end) {
            s = status(exp, round);
            if (done.test(s)) {
                return;
            }
            sleep();
        }
        fail("round " + round + " of " + exp + " did not get there: " + s);
    }

    static void sleep() {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
