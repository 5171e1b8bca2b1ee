package io.afd.aggregator.rest;

import io.afd.aggregator.service.EnvelopeKeys;
import io.afd.protocol.Ids;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * The orchestrator tells the aggregator that a client's keys changed (a key was revoked), so that the cached ones
 * are dropped and its next update is checked against the orchestrator's current list.
 */
@Path("/clients/{clientId}/cached-keys")
public class ClientKeysResource {
    private static final Logger LOG = Logger.getLogger(ClientKeysResource.class);

    private final EnvelopeKeys keys;

    public ClientKeysResource(EnvelopeKeys keys) {
        this.keys = keys;
    }

    @RolesAllowed(Roles.SERVICE_ORCHESTRATOR)
    @DELETE
    @Operation(summary = "Forget the cached public keys of a client (after a revocation)")
    public Response forget(@PathParam("clientId") String clientId) {
        Ids.require(clientId, "client id");
        keys.forget(clientId);
        LOG.infof("forgot the cached keys of client %s", clientId);
        return Response.noContent().build();
    }
}
