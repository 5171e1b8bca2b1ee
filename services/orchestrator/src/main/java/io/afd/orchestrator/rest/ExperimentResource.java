package io.afd.orchestrator.rest;

import io.afd.orchestrator.RoundRecord;
import io.afd.orchestrator.mapping.Views.CreateExperiment;
import io.afd.orchestrator.mapping.Views.ExperimentView;
import io.afd.orchestrator.mapping.Views.RoundView;
import io.afd.orchestrator.service.ExperimentService;
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
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Management API: experiments and their rounds. */
@Path("/api/experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentResource {
    private final ExperimentService experiments;
    private final io.afd.orchestrator.service.RoundDriver driver;

    public ExperimentResource(ExperimentService experiments, io.afd.orchestrator.service.RoundDriver driver) {
        this.experiments = experiments;
        this.driver = driver;
    }

    private ExperimentView view(io.afd.orchestrator.Experiment e) {
        return ExperimentView.of(e, driver.step(e.id));
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an experiment from a simulator-format YAML config")
    public Response create(CreateExperiment body) {
        if (body == null) {
            throw new BadRequestException(
                    "body required: {\"id\", \"config\" (YAML), \"roundTimeoutSeconds\", \"quorum\"}");
        }
        var e = experiments.create(body.id(), body.config(), body.roundTimeoutSeconds(), body.quorum());
        return Response.created(URI.create("/api/experiments/" + e.id))
                .entity(ExperimentView.of(e))
                .build();
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Operation(summary = "List experiments")
    public List<ExperimentView> list() {
        return experiments.list().stream().map(this::view).toList();
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("/{id}")
    @Operation(summary = "One experiment")
    public ExperimentView get(@PathParam("id") String id) {
        return view(experiments.get(id));
    }

    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @POST
    @Path("/{id}/{action:start|pause|resume|stop}")
    @Operation(summary = "Start, pause, resume or stop an experiment")
    public ExperimentView act(@PathParam("id") String id, @PathParam("action") String action) {
        return ExperimentView.of(experiments.transition(id, action));
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("/{id}/rounds")
    @Operation(summary = "Rounds of an experiment with their state and metrics")
    public List<RoundView> rounds(@PathParam("id") String id) {
        experiments.get(id);
        return RoundRecord.ofExperiment(id).stream().map(RoundView::of).toList();
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("/{id}/config")
    @Produces("application/yaml")
    @Operation(summary = "The experiment's YAML config")
    public String config(@PathParam("id") String id) {
        return experiments.get(id).configYaml;
    }
}
