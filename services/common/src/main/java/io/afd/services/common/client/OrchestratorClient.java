package io.afd.services.common.client;

import io.afd.protocol.api.ClientKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The orchestrator's cluster-internal API at {@code quarkus.rest-client.orchestrator.url} (env
 * {@code AFD_ORCHESTRATOR_URL}); services use it through {@code ClientKeyLookup}.
 */
@RegisterRestClient(configKey = "orchestrator")
@Path("/internal/clients")
public interface OrchestratorClient {

    /** A client's active public keys and enrolled sample count; 404 for a client that is not registered. */
    @GET
    @Path("/{id}/keys")
    @Produces(MediaType.APPLICATION_JSON)
    ClientKeys keys(@PathParam("id") String clientId);
}
