package io.afd.orchestrator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.afd.orchestrator.client.RejectionsClient;
import io.afd.orchestrator.console.Templates;
import io.afd.services.common.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The console's entry ({@code /} sends browsers to {@code /console/}), its experiment templates and the aggregator's
 * rejections. The live stream, score maps, versions and weights of an experiment are in {@link ExperimentResource}.
 */
@Path("/")
public class ConsoleResource {
    private final Templates templates;
    private final RejectionsClient rejections;

    public ConsoleResource(Templates templates, @RestClient RejectionsClient rejections) {
        this.templates = templates;
        this.rejections = rejections;
    }

    /** The root sends browsers to the console. */
    @PermitAll
    @GET
    @Operation(hidden = true)
    public Response root() {
        return Response.seeOther(URI.create("/console/")).build();
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("api/templates")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Experiment templates for the console's create form: the repository's example configs")
    public List<Templates.Template> templates() {
        return templates.all();
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("api/rejections")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(
            summary = "The latest rejected updates, newest first, from the aggregator; filter by experiment, client"
                    + " or reason")
    public JsonNode rejections(
            @QueryParam("experimentId") String experimentId,
            @QueryParam("clientId") String clientId,
            @QueryParam("reason") String reason,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new BadRequestException("limit must be in [1, 10000], got " + limit);
        }
        return Peers.call("aggregator", () -> rejections.list(experimentId, clientId, reason, limit), 400, e -> {
            throw new BadRequestException("the aggregator refused the filter: " + e.getMessage());
        });
    }
}
