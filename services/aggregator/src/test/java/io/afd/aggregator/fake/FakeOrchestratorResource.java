package io.afd.aggregator.fake;

import io.afd.aggregator.AggregatorTestResource;
import io.afd.aggregator.TestKeys;
import io.afd.protocol.VerifyKey;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-test stand-in for the orchestrator's key endpoint: knows the remote clients (with their enrolled sample counts
 * and one key each), 404 for the others. A client in {@link #REVOKED} is listed without keys, as the orchestrator
 * lists a client whose keys were all revoked.
 */
// a stand-in for a peer, served by the service under test: its own security is not under test here
@jakarta.annotation.security.PermitAll
@Path("/internal/clients")
public class FakeOrchestratorResource {
    /** Clients whose key the tests revoked. */
    public static final Set<String> REVOKED = ConcurrentHashMap.newKeySet();

    @GET
    @Path("/{id}/keys")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> keys(@PathParam("id") String id) {
        Integer enrolled = AggregatorTestResource.REMOTE_CLIENTS.get(id);
        if (enrolled == null) {
            throw new NotFoundException("no client " + id);
        }
        VerifyKey k = TestKeys.of(id).verifyKey();
        List<Map<String, String>> keys =
                REVOKED.contains(id) ? List.of() : List.of(Map.of("keyId", k.keyId(), "publicKey", k.text()));
        return Map.of("id", id, "numSamples", enrolled, "keys", keys);
    }
}
