package io.afd.aggregator.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The orchestrator's cluster-internal API: client secrets, to verify update signatures. */
@RegisterRestClient(configKey = "orchestrator")
@Path("/internal/clients")
public interface OrchestratorClient {

    /** {@code {"id": ..., "secret": "<43 base64url characters>"}}; 404 for an unknown client. */
    @GET
    @Path("/{id}/secret")
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode secret(@PathParam("id") String clientId);
}
