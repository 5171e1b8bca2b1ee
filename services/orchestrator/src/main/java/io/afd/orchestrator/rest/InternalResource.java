package io.afd.orchestrator.rest;

import io.afd.orchestrator.service.ClientService;
import io.afd.protocol.api.ClientKeys;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Cluster-internal: the aggregator reads a client's active public keys and enrolled sample count to verify its
 * updates (through services/common's {@code OrchestratorClient}).
 */
@Path("/internal/clients")
@Produces(MediaType.APPLICATION_JSON)
public class InternalResource {
    private final ClientService clients;

    public InternalResource(ClientService clients) {
        this.clients = clients;
    }

    // Service-to-service: only the aggregator's own service token (ADR 0016); operators' roles do not reach it.
    @RolesAllowed(Roles.SERVICE_AGGREGATOR)
    @GET
    @Path("/{id}/keys")
    @Operation(summary = "A client's active public keys and enrolled sample count (the aggregator's token only)")
    public ClientKeys keys(@PathParam("id") String id) {
        var c = clients.get(id);
        return new ClientKeys(
                id,
                c.numSamples,
                clients.activeKeys(id).stream()
                        .map(k -> new ClientKeys.PublicKey(k.keyId, k.publicKey))
                        .toList());
    }
}
