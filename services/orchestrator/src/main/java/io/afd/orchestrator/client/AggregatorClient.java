package io.afd.orchestrator.client;

import io.afd.protocol.api.AggregationRound;
import io.afd.protocol.api.AggregationStatus;
import io.afd.protocol.api.CloseResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The aggregator's REST API. */
@RegisterRestClient(configKey = "aggregator")
@Path("/experiments/{experimentId}/rounds/{round}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface AggregatorClient {

    @PUT
    AggregationStatus open(
            @PathParam("experimentId") String experimentId, @PathParam("round") int round, AggregationRound request);

    @GET
    AggregationStatus status(@PathParam("experimentId") String experimentId, @PathParam("round") int round);

    @POST
    @Path("/close")
    CloseResult close(@PathParam("experimentId") String experimentId, @PathParam("round") int round);
}
