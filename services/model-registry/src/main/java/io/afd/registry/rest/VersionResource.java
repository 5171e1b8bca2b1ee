package io.afd.registry.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.afd.protocol.api.VersionInfo;
import io.afd.registry.ModelVersion;
import io.afd.registry.mapping.VersionMapper;
import io.afd.registry.service.RegistryService;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Global model versions: list, metadata, weights download, upload. */
@Path("/experiments/{experimentId}/versions")
@Produces(MediaType.APPLICATION_JSON)
// Reads; the methods that change something name their own (narrower) callers.
@RolesAllowed({
    Roles.VIEWER,
    Roles.OPERATOR,
    Roles.ADMIN,
    Roles.SERVICE_ORCHESTRATOR,
    Roles.SERVICE_AGGREGATOR,
    Roles.SERVICE_PACKAGER
})
public class VersionResource {
    private final RegistryService service;

    public VersionResource(RegistryService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "List the versions of an experiment, oldest first")
    public List<VersionInfo> list(@PathParam("experimentId") String experimentId) {
        return service.list(experimentId).stream().map(VersionMapper::toInfo).toList();
    }

    @GET
    @Path("/{version}")
    @Operation(summary = "Metadata of a version (a number or 'latest')")
    public VersionInfo get(@PathParam("experimentId") String experimentId, @PathParam("version") String version) {
        return VersionMapper.toInfo(service.get(experimentId, version));
    }

    @GET
    @Path("/{version}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download the weights (float32 AFDT blob); ETag is the SHA-256")
    public Response weights(@PathParam("experimentId") String experimentId, @PathParam("version") String version) {
        ModelVersion v = service.get(experimentId, version);
        return Response.ok(v.weights)
                .tag(new EntityTag(v.sha256))
                .header("X-Model-Version", v.version)
                .build();
    }

    @RolesAllowed({Roles.SERVICE_ORCHESTRATOR, Roles.SERVICE_AGGREGATOR})
    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Store a new version from a float32 AFDT blob; idempotent per round")
    public Response create(
            @PathParam("experimentId") String experimentId,
            @QueryParam("architecture") String architecture,
            @QueryParam("round") Integer round,
            @QueryParam("parentVersion") Integer parentVersion,
            byte[] body) {
        if (architecture == null || architecture.isBlank()) {
            throw new BadRequestException("query parameter 'architecture' is required");
        }
        RegistryService.Stored s = service.create(experimentId, architecture, round, parentVersion, body);
        VersionInfo view = VersionMapper.toInfo(s.version());
        return s.created()
                ? Response.created(URI.create("/experiments/" + experimentId + "/versions/" + view.version()))
                        .entity(view)
                        .build()
                : Response.ok(view).build();
    }

    @RolesAllowed(Roles.SERVICE_ORCHESTRATOR)
    @PUT
    @Path("/{version}/metrics")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Attach evaluation metrics (a JSON object) to a version")
    public VersionInfo metrics(
            @PathParam("experimentId") String experimentId, @PathParam("version") String version, JsonNode metrics) {
        if (metrics == null || !metrics.isObject()) {
            throw new BadRequestException("metrics must be a JSON object");
        }
        return VersionMapper.toInfo(service.setMetrics(experimentId, version, metrics.toString()));
    }
}
