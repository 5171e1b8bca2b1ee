package io.afd.orchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The score-map service's read API, as the console shows it (passed through unchanged). */
@RegisterRestClient(configKey = "scoremap")
@Path("/experiments/{experimentId}")
@Produces(MediaType.APPLICATION_JSON)
public interface ConsoleViewsClient {

    /** Every score map of an experiment ({@code [ScoreMapView]}). */
    @GET
    @Path("/scoremaps")
    JsonNode scoreMaps(@PathParam("experimentId") String experimentId);
}
