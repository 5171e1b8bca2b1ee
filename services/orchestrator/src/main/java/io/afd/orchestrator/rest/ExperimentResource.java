package io.afd.orchestrator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.afd.orchestrator.RoundRecord;
import io.afd.orchestrator.client.ConsoleViewsClient;
import io.afd.orchestrator.console.Snapshots;
import io.afd.orchestrator.mapping.Views.CreateExperiment;
import io.afd.orchestrator.mapping.Views.ExperimentView;
import io.afd.orchestrator.mapping.Views.RoundView;
import io.afd.orchestrator.service.ExperimentService;
import io.afd.protocol.api.VersionInfo;
import io.afd.services.common.client.RegistryClient;
import io.afd.services.common.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

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

    /** How often the live stream looks for a change. */
    static final Duration POLL = Duration.ofMillis(500);

    /** A stream ends after this long; the console reconnects, so an expired or revoked token is noticed. */
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(5);

    @jakarta.inject.Inject
    Snapshots snapshots;

    @jakarta.inject.Inject
    @RestClient
    ConsoleViewsClient scoreMaps;

    @jakarta.inject.Inject
    @RestClient
    RegistryClient registry;

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(
            summary =
                    "Server-sent events: a snapshot {experiment, rounds} at once and at every change, for five minutes"
                            + " (then reconnect)")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        String first = snapshots.of(id); // a 404 before the stream starts
        Multi<String> later = Multi.createFrom()
                .ticks()
                .every(POLL)
                .onOverflow()
                .drop() // a slow database: skip ticks rather than fail the stream
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> snapshots.of(id));
        return Multi.createBy()
                .concatenating()
                .streams(Multi.createFrom().item(first), later)
                .skip()
                .repetitions()
                .select()
                .first(STREAM_LIFETIME)
                .map(s -> snapshot(sse, s));
    }

    private static OutboundSseEvent snapshot(Sse sse, String json) {
        return sse.newEventBuilder()
                .name("snapshot")
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(json)
                .build();
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("/{id}/scoremaps")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "The experiment's score maps, from the score-map service")
    public JsonNode scoreMaps(@PathParam("id") String id) {
        experiments.get(id);
        return Peers.call(
                "score-map",
                () -> scoreMaps.scoreMaps(id),
                404,
                e -> com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode());
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("/{id}/versions")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "The experiment's model versions with their lineage, from the model registry")
    public List<VersionInfo> versions(@PathParam("id") String id) {
        experiments.get(id);
        return Peers.call("model registry", () -> registry.list(id));
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("/{id}/versions/{version}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Blocking
    @Operation(summary = "A model version's float32 AFDT weights (a number or latest), from the model registry")
    public Response weights(@PathParam("id") String id, @PathParam("version") String version) {
        experiments.get(id);
        if (!version.equals("latest") && !version.matches("[0-9]{1,9}")) {
            throw new BadRequestException("version must be a number or latest, got '" + version + "'");
        }
        byte[] blob = Peers.call("model registry", () -> registry.weights(id, version), 404, e -> {
            throw new jakarta.ws.rs.NotFoundException("no version " + version + " of experiment " + id);
        });
        return Response.ok(blob)
                .header("Content-Disposition", "attachment; filename=\"" + id + "-v" + version + ".afdt\"")
                .build();
    }
}
