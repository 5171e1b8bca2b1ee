package io.afd.aggregator.rest;

import io.afd.aggregator.mapping.RejectionView;
import io.afd.aggregator.mapping.UpdateView;
import io.afd.aggregator.service.RoundService;
import io.afd.protocol.api.AggregationRound;
import io.afd.protocol.api.AggregationStatus;
import io.afd.protocol.api.CloseResult;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Aggregation rounds: open, status, close, rejections, accepted updates. */
@Path("/experiments/{experimentId}/rounds/{round}")
@Produces(MediaType.APPLICATION_JSON)
// Reads; the methods that change something name their own (narrower) callers.
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE_ORCHESTRATOR})
public class RoundResource {
    private final RoundService service;

    public RoundResource(RoundService service) {
        this.service = service;
    }

    @RolesAllowed(Roles.SERVICE_ORCHESTRATOR)
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Open a round (idempotent: the same descriptor again answers 200, another one 409)")
    public Response open(
            @PathParam("experimentId") String experimentId, @PathParam("round") int round, AggregationRound body) {
        RoundService.OpenResult r = service.open(experimentId, round, body);
        return Response.status(r.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(r.status())
                .build();
    }

    @GET
    @Operation(summary = "State of a round: OPEN, CLOSING or CLOSED, participants, accepted and rejected updates")
    public AggregationStatus status(@PathParam("experimentId") String experimentId, @PathParam("round") int round) {
        return service.status(experimentId, round);
    }

    @RolesAllowed(Roles.SERVICE_ORCHESTRATOR)
    @POST
    @Path("/close")
    @Operation(summary = "Aggregate the accepted updates into a new registry version (idempotent)")
    public CloseResult close(@PathParam("experimentId") String experimentId, @PathParam("round") int round) {
        return service.close(experimentId, round);
    }

    @GET
    @Path("/rejections")
    @Operation(summary = "Rejected updates of the round, oldest first")
    public List<RejectionView> rejections(
            @PathParam("experimentId") String experimentId, @PathParam("round") int round) {
        return service.rejections(experimentId, round);
    }

    @GET
    @Path("/updates")
    @Operation(summary = "Accepted updates of the round (metadata), by client id")
    public List<UpdateView> updates(@PathParam("experimentId") String experimentId, @PathParam("round") int round) {
        return service.updates(experimentId, round);
    }
}
