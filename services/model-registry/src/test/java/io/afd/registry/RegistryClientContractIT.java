package io.afd.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.protocol.Secrets;
import io.afd.protocol.api.VersionInfo;
import io.afd.services.common.client.RegistryClient;
import io.afd.services.testing.InfraTestResource;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry's consumers (packager, aggregator) call it through the shared {@link RegistryClient} of
 * services/common with typed {@link VersionInfo} answers: this checks that interface against the real endpoints.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
// as this service's callers; the security tests choose their tokens themselves
@org.junit.jupiter.api.extension.ExtendWith(io.afd.services.testing.TestTokens.AsPeers.class)
class RegistryClientContractIT {
    private static final ModelSpec SPEC = ModelSpec.mlp(4, 3, 5);

    @TestHTTPResource("/")
    URI root;

    private RegistryClient client() {
        // as the aggregator calls it: with its own service token (upload) ... and the orchestrator's role for metrics
        String token = io.afd.services.testing.TestTokens.token(
                java.util.List.of("service:aggregator", "service:orchestrator"));
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(root)
                .register((jakarta.ws.rs.client.ClientRequestFilter)
                        r -> r.getHeaders().putSingle("Authorization", "Bearer " + token))
                .build(RegistryClient.class);
    }

    @Test
    void everyCallBindsToTheTypedView() {
        RegistryClient registry = client();
        byte[] base = TensorCodec.encode(SPEC.init(1).list(), CodecSpec.FLOAT32);
        byte[] next = TensorCodec.encode(SPEC.init(2).list(), CodecSpec.FLOAT32);

        VersionInfo v0 = registry.create("contract", SPEC.toString(), null, null, base);
        assertEquals("contract", v0.experimentId());
        assertEquals(0, v0.version());
        assertNull(v0.parentVersion());
        assertNull(v0.round());
        assertEquals(SPEC.toString(), v0.architecture());
        assertEquals(SPEC.numParams(), v0.numParams());
        assertEquals(base.length, v0.sizeBytes());
        assertEquals(Secrets.sha256Hex(base), v0.sha256());
        assertNotNull(v0.createdAt());

        VersionInfo v1 = registry.create("contract", SPEC.toString(), 0, 0, next);
        assertEquals(1, v1.version());
        assertEquals(0, v1.parentVersion());
        assertEquals(0, v1.round());
        assertEquals(v1, registry.create("contract", SPEC.toString(), 0, 0, next), "same round, same weights");

        assertArrayEquals(next, registry.weights("contract", "1"));
        assertArrayEquals(next, registry.weights("contract", "latest"));
        assertEquals(
                List.of(v0.version(), v1.version()),
                registry.list("contract").stream().map(VersionInfo::version).toList());

        VersionInfo measured = registry.metrics("contract", "1", Map.of("testAccuracy", 0.5));
        assertTrue(measured.metrics().contains("0.5"), measured.metrics());
    }

    @Test
    void errorsArriveWithTheirStatus() {
        RegistryClient registry = client();
        assertEquals(
                404,
                assertThrows(WebApplicationException.class, () -> registry.weights("nobody", "0"))
                        .getResponse()
                        .getStatus());
        assertEquals(
                400,
                assertThrows(
                                WebApplicationException.class,
                                () -> registry.create(
                                        "contract-bad", SPEC.toString(), null, null, new byte[] {1, 2, 3}))
                        .getResponse()
                        .getStatus());
        assertEquals(List.of(), registry.list("nobody"));
    }
}
