package io.afd.orchestrator.rest;

import io.afd.orchestrator.service.ClientService;
import io.afd.protocol.api.ClientSecret;
import jakarta.annotation.security.PermitAll;
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

    // Service-to-service, not operator-facing: the peers (packager, aggregator) call it without an operator
    // token. It stays open until services authenticate each other and clients enrol their own keys
    // (issue 9, items 2 and 3; docs/security.md lists it as an open threat), explicitly rather than by
    // omission, since every other endpoint here is denied unless it names its roles.
    @PermitAll
    @GET
    @Path("/{id}/secret")
    @Operation(summary = "A client's signing secret (internal; block at the ingress)")
    public ClientSecret secret(@PathParam("id") String id) {
        var c = clients.get(id);
        return new ClientSecret(id, c.secret, c.numSamples);
    }
}
