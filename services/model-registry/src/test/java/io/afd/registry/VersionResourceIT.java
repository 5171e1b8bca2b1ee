package io.afd.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Tensor;
import io.afd.services.testing.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
// as this service's callers; the security tests choose their tokens themselves
@org.junit.jupiter.api.extension.ExtendWith(io.afd.services.testing.TestTokens.AsPeers.class)
class VersionResourceIT {
    private static final ModelSpec SPEC = ModelSpec.mlp(4, 3, 5);
    private static final String ARCH = SPEC.toString();

    private static byte[] blob(long seed) {
        return TensorCodec.encode(SPEC.init(seed).list(), CodecSpec.FLOAT32);
    }

    @Test
    void storesListsAndServesVersions() {
        byte[] v0 = blob(1);
        given().contentType("application/octet-stream")
                .body(v0)
                .queryParam("architecture", ARCH)
                .post("/experiments/exp-a/versions")
                .then()
                .statusCode(201)
                .body("version", equalTo(0))
                .body("numParams", equalTo((int) SPEC.numParams()));
        byte[] v1 = blob(2);
        given().contentType("application/octet-stream")
                .body(v1)
                .queryParam("architecture", ARCH)
                .queryParam("round", 0)
                .queryParam("parentVersion", 0)
                .post("/experiments/exp-a/versions")
                .then()
                .statusCode(201)
                .body("version", equalTo(1));
        // retrying the same round with the same weights is idempotent
        given().contentType("application/octet-stream")
                .body(v1)
                .queryParam("architecture", ARCH)
                .queryParam("round", 0)
                .post("/experiments/exp-a/versions")
                .then()
                .statusCode(200)
                .body("version", equalTo(1));
        // the same round with other weights is a conflict
        given().contentType("application/octet-stream")
                .body(blob(3))
                .queryParam("architecture", ARCH)
                .queryParam("round", 0)
                .post("/experiments/exp-a/versions")
                .then()
                .statusCode(409);
        given().get("/experiments/exp-a/versions").then().statusCode(200).body("$", hasSize(2));
        given().get("/experiments/exp-a/versions/latest")
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("parentVersion", equalTo(0))
                .body("round", equalTo(0));
        byte[] back = given().get("/experiments/exp-a/versions/1/weights")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        assertArrayEquals(v1, back);
        given().contentType("application/json")
                .body("{\"testAccuracy\": 0.5}")
                .put("/experiments/exp-a/versions/1/metrics")
                .then()
                .statusCode(200)
                .body("metrics", containsString("0.5"));
    }

    @Test
    void rejectsBadInput() {
        given().get("/experiments/nobody/versions/latest")
                .then()
                .statusCode(404)
                .body("error", equalTo("not_found"))
                .body("reason", containsString("nobody"))
                .body("status", equalTo(404));
        given().get("/experiments/exp-b/versions/x1")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("'latest'"));
        given().get("/experiments/bad%20id/versions")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("experiment id must match"));
        given().contentType("application/octet-stream")
                .body(new byte[] {1, 2, 3})
                .queryParam("architecture", ARCH)
                .post("/experiments/exp-b/versions")
                .then()
                .statusCode(400)
                .body("reason", containsString("weights"));
        given().contentType("application/octet-stream")
                .body(blob(1))
                .post("/experiments/exp-b/versions")
                .then()
                .statusCode(400)
                .body("reason", containsString("architecture"));
        given().contentType("application/octet-stream")
                .body(blob(1))
                .queryParam("architecture", ModelSpec.mlp(4, 3, 6).toString())
                .post("/experiments/exp-b/versions")
                .then()
                .statusCode(400)
                .body("reason", containsString("shape"));
        ParamSet nan = SPEC.init(1);
        nan.get("out/b").data()[0] = Float.NaN;
        given().contentType("application/octet-stream")
                .body(TensorCodec.encode(nan.list(), CodecSpec.FLOAT32))
                .queryParam("architecture", ARCH)
                .post("/experiments/exp-b/versions")
                .then()
                .statusCode(400)
                .body("reason", containsString("non-finite"));
        given().contentType("application/octet-stream")
                .body(TensorCodec.encode(List.of(new Tensor("x", new int[] {1}, new float[] {1})), CodecSpec.FLOAT32))
                .queryParam("architecture", ARCH)
                .post("/experiments/exp-b/versions")
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .body("[1]")
                .put("/experiments/exp-b/versions/0/metrics")
                .then()
                .statusCode(400);
        given().get("/experiments/exp-b/versions").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void healthAndMetricsAreUp() {
        io.afd.services.testing.Management.given()
                .get("/q/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        io.afd.services.testing.Management.given().get("/q/metrics").then().statusCode(200);
    }

    /** Who may call what (ADR 0016): reads for operators and the three peers that read, writes for the writers only. */
    @org.junit.jupiter.api.Test
    void onlyTheServicesThatNeedItCallEachEndpoint() {
        io.afd.services.testing.SecurityMatrix.check(java.util.List.of(
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/versions",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd(
                                "service:orchestrator", "service:aggregator", "service:packager")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/versions/latest",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd(
                                "service:orchestrator", "service:aggregator", "service:packager")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/versions/1/weights",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd(
                                "service:orchestrator", "service:aggregator", "service:packager")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "POST",
                        "/experiments/sec/versions?architecture=mlp(in=4,hidden=2,classes=2)",
                        "not a blob",
                        "application/octet-stream",
                        java.util.Set.of("service:orchestrator", "service:aggregator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "PUT", "/experiments/sec/versions/1/metrics", "{}", java.util.Set.of("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/q/openapi",
                        null,
                        java.util.Set.copyOf(io.afd.services.testing.SecurityMatrix.ROLES))));
        io.afd.services.testing.Management.given().get("/q/health/live").then().statusCode(200);
    }
}
