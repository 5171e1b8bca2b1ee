package io.afd.orchestrator.client;

import io.afd.protocol.api.RoundResults;
import io.afd.protocol.api.SelectionRequest;
import io.afd.protocol.api.SelectionResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The score-map service's REST API. */
@RegisterRestClient(configKey = "scoremap")
@Path("/experiments/{experimentId}/rounds/{round}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface ScoreMapClient {

    @POST
    @Path("/selections")
    SelectionResponse selections(
            @PathParam("experimentId") String experimentId, @PathParam("round") int round, SelectionRequest request);

    @POST
    @Path("/results")
    void results(@PathParam("experimentId") String experimentId, @PathParam("round") int round, RoundResults results);
}
