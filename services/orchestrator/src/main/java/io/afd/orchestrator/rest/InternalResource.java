package io.afd.orchestrator.rest;

import io.afd.orchestrator.service.ClientService;
import io.afd.protocol.api.ClientSecret;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Cluster-internal: other services read a client's secret to sign and verify its messages (through services/common's
 * {@code OrchestratorClient}).
 */
@Path("/internal/clients")
@Produces(MediaType.APPLICATION_JSON)
public class InternalResource {
    private final ClientService clients;

    public InternalResource(ClientService clients) {
        this.clients = clients;
    }

    @GET
    @Path("/{id}/secret")
    @Operation(summary = "A client's signing secret (internal; block at the ingress)")
    public ClientSecret secret(@PathParam("id") String id) {
        return new ClientSecret(id, clients.get(id).secret);
    }
}
