package io.afd.orchestrator.rest;

import io.afd.orchestrator.console.Templates;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's entry ({@code /} sends browsers to {@code /console/}) and its experiment templates. The live stream,
 * score maps and versions of an experiment are in {@link ExperimentResource}.
 */
@Path("/")
public class ConsoleResource {
    private final Templates templates;

    public ConsoleResource(Templates templates) {
        this.templates = templates;
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
}
