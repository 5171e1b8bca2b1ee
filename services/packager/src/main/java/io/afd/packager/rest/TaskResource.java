package io.afd.packager.rest;

import io.afd.packager.mapping.TaskView;
import io.afd.packager.service.PackagerService;
import io.afd.protocol.api.TaskRequest;
import io.afd.protocol.api.TaskResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A round's tasks: build and publish them, list what was published. */
@Path("/experiments/{experimentId}/rounds/{round}/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {
    private final PackagerService service;

    public TaskResource(PackagerService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Build, sign, chunk and publish each participant's task on afd.tasks; idempotent per round")
    public TaskResult publish(@PathParam("experimentId") String experimentId, @PathParam("round") int round,
                              TaskRequest request) {
        return service.publish(experimentId, round, request);
    }

    @GET
    @Operation(summary = "The tasks published for a round: bytes, chunks and message id per client")
    public TaskView.Round list(@PathParam("experimentId") String experimentId, @PathParam("round") int round) {
        return TaskView.Round.of(experimentId, round, service.published(experimentId, round));
    }
}
