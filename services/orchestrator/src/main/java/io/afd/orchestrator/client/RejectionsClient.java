package io.afd.orchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The aggregator's rejected updates, as the console shows them (passed through unchanged). */
@RegisterRestClient(configKey = "aggregator")
@Path("/rejections")
@Produces(MediaType.APPLICATION_JSON)
public interface RejectionsClient {

    /** The latest rejections, newest first ({@code [RejectionView]}). */
    @GET
    JsonNode list(
            @QueryParam("experimentId") String experimentId,
            @QueryParam("clientId") String clientId,
            @QueryParam("reason") String reason,
            @QueryParam("limit") int limit);
}
