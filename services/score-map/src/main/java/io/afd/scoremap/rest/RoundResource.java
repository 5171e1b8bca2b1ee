package io.afd.scoremap.rest;

import io.afd.protocol.api.RoundResults;
import io.afd.protocol.api.SelectionRequest;
import io.afd.protocol.api.SelectionResponse;
import io.afd.scoremap.AppliedResults;
import io.afd.scoremap.mapping.ResultsView;
import io.afd.scoremap.service.Rejection;
import io.afd.scoremap.service.ScoreMapService;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A round's selections (docs/services.md step 2) and results (step 8). */
@Path("/experiments/{experimentId}/rounds/{round}")
@Produces(MediaType.APPLICATION_JSON)
// Reads; the methods that change something name their own (narrower) callers.
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE_ORCHESTRATOR})
public class RoundResource {
    private final ScoreMapService service;

    public RoundResource(ScoreMapService service) {
        this.service = service;
    }

    @RolesAllowed(Roles.SERVICE_ORCHESTRATOR)
    @POST
    @Path("/selections")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Select each participant's sub-model; idempotent per round (a repeat returns the stored"
                    + " selections). 409 for an AFD round whose previous round's results are not applied yet")
    public SelectionResponse select(
            @PathParam("experimentId") String experimentId, @PathParam("round") int round, SelectionRequest request) {
        return service.select(experimentId, round, request);
    }

    @GET
    @Path("/selections")
    @Operation(summary = "The stored selections of a round")
    public SelectionResponse selections(@PathParam("experimentId") String experimentId, @PathParam("round") int round) {
        return service.selections(experimentId, round);
    }

    @RolesAllowed(Roles.SERVICE_ORCHESTRATOR)
    @POST
    @Path("/results")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Update the score maps from a round's results; applied once per round (a repeat, or the"
                    + " round's AGGREGATED event, is a no-op returning what was applied)")
    public ResultsView apply(
            @PathParam("experimentId") String experimentId, @PathParam("round") int round, RoundResults results) {
        if (results == null) {
            throw Rejection.badRequest("a RoundResults body {\"results\": [...]} is required");
        }
        return service.applyResults(experimentId, round, results.results(), AppliedResults.SOURCE_REST);
    }

    @GET
    @Path("/results")
    @Operation(summary = "The results applied for a round and the score updates they caused")
    public ResultsView results(@PathParam("experimentId") String experimentId, @PathParam("round") int round) {
        return service.results(experimentId, round);
    }
}
