package io.afd.orchestrator.rest;

import io.afd.orchestrator.service.ClientService;
import io.afd.protocol.api.ClientKeys;
import jakarta.annotation.security.PermitAll;
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

    // Service-to-service, not operator-facing: the aggregator calls it without an operator token. It serves public
    // keys only (nothing here signs anything), but still reveals which clients are enrolled, so it stays behind
    // the cluster boundary until services authenticate each other (issue 9, item 2; docs/security.md). Open
    // explicitly rather than by omission, since every other endpoint here is denied unless it names its roles.
    @PermitAll
    @GET
    @Path("/{id}/keys")
    @Operation(summary = "A client's active public keys and enrolled sample count (internal; block at the ingress)")
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
