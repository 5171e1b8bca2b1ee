package io.afd.packager.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.packager.mapping.TaskView;
import io.afd.packager.service.PackagerService;
import io.afd.protocol.api.TaskRequest;
import io.afd.protocol.api.TaskResult;
import io.afd.services.common.rest.ErrorBody;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** A round's tasks: build and publish them, list what was published. */
@Path("/experiments/{experimentId}/rounds/{round}/tasks")
@Produces(MediaType.APPLICATION_JSON)
// Reads; the methods that change something name their own (narrower) callers.
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE_ORCHESTRATOR})
public class TaskResource {
    private final PackagerService service;
    private final ObjectMapper json;

    public TaskResource(PackagerService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    @RolesAllowed(Roles.SERVICE_ORCHESTRATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Build, sign, chunk and publish each participant's task on afd.tasks; idempotent per round")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = TaskRequest.class)))
    public TaskResult publish(
            @PathParam("experimentId") String experimentId, @PathParam("round") int round, String body) {
        return service.publish(experimentId, round, bind(body));
    }

    /** Binds the body here rather than in the framework, so a bad field gets a 400 that names it. */
    private TaskRequest bind(String body) {
        if (body == null || body.isBlank()) {
            throw new BadRequestException("a TaskRequest body is required");
        }
        try {
            return json.readValue(body, TaskRequest.class);
        } catch (JsonProcessingException e) {
            throw new BadRequestException(ErrorBody.describe(e));
        }
    }

    @GET
    @Operation(summary = "The tasks published for a round: bytes, chunks and message id per client")
    public TaskView.Round list(@PathParam("experimentId") String experimentId, @PathParam("round") int round) {
        return TaskView.Round.of(experimentId, round, service.published(experimentId, round));
    }
}
