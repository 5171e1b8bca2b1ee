package io.afd.aggregator.rest;

import io.afd.aggregator.mapping.RejectionView;
import io.afd.aggregator.service.RoundService;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** All recorded rejections, including those no round can be attributed to (malformed, bad signature, ...). */
@Path("/rejections")
@Produces(MediaType.APPLICATION_JSON)
// Reads only: operators and the orchestrator.
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE_ORCHESTRATOR})
public class RejectionResource {
    private final RoundService service;

    public RejectionResource(RoundService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Latest rejections, newest first; filter by experiment, client or reason")
    public List<RejectionView> list(
            @QueryParam("experimentId") String experimentId,
            @QueryParam("clientId") String clientId,
            @QueryParam("reason") String reason,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return service.recentRejections(experimentId, clientId, reason, limit);
    }
}
