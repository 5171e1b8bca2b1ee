package io.afd.scoremap.rest;

import io.afd.protocol.Ids;
import io.afd.scoremap.mapping.ScoreMapView;
import io.afd.scoremap.mapping.ScoreUpdateView;
import io.afd.scoremap.service.ScoreMapService;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Read access to an experiment's score maps and their history; a map's key ({@code global} or a client id) follows
 * the id rule.
 */
@Path("/experiments/{experimentId}/scoremaps")
@Produces(MediaType.APPLICATION_JSON)
// Reads only: operators and the orchestrator.
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE_ORCHESTRATOR})
public class ScoreMapResource {
    private final ScoreMapService service;

    public ScoreMapResource(ScoreMapService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "All score maps of an experiment (Single-Model: 'global'; Multi-Model: one per client)")
    public List<ScoreMapView> list(@PathParam("experimentId") String experimentId) {
        return service.maps(experimentId);
    }

    @GET
    @Path("/{key}")
    @Operation(summary = "One score map: scores per layer, last loss, current selection")
    public ScoreMapView get(@PathParam("experimentId") String experimentId, @PathParam("key") String key) {
        return service.map(experimentId, Ids.require(key, "score map key"));
    }

    @GET
    @Path("/{key}/history")
    @Operation(summary = "The score updates of a map, oldest round first")
    public List<ScoreUpdateView> history(@PathParam("experimentId") String experimentId, @PathParam("key") String key) {
        return service.history(experimentId, Ids.require(key, "score map key"));
    }
}
