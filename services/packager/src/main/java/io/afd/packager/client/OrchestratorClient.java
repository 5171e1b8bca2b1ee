package io.afd.packager.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The orchestrator's cluster-internal API: client secrets. */
@RegisterRestClient(configKey = "orchestrator")
@Path("/internal/clients")
public interface OrchestratorClient {

    /** {@code {"id": clientId, "secret": "<43 base64url chars>"}}; 404 for an unknown client. */
    @GET
    @Path("/{id}/secret")
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode secret(@PathParam("id") String clientId);
}
