package io.afd.orchestrator.rest;

import io.afd.orchestrator.service.ClientService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Cluster-internal: other services read a client's secret to sign and verify its messages. */
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
    public Map<String, String> secret(@PathParam("id") String id) {
        return Map.of("id", id, "secret", clients.get(id).secret);
    }
}
