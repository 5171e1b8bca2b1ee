package io.afd.orchestrator.client;

import io.afd.protocol.api.TaskRequest;
import io.afd.protocol.api.TaskResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The packager's REST API. */
@RegisterRestClient(configKey = "packager")
@Path("/experiments/{experimentId}/rounds/{round}/tasks")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface PackagerClient {

    @POST
    TaskResult publish(
            @PathParam("experimentId") String experimentId, @PathParam("round") int round, TaskRequest request);
}
