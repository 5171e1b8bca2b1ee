package io.afd.services.common.client;

import io.afd.protocol.api.VersionInfo;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The model registry's REST API ({@code services/model-registry}) at {@code quarkus.rest-client.registry.url}
 * (env {@code AFD_REGISTRY_URL}). An error status arrives as a {@code WebApplicationException} with it, an
 * unreachable registry as a {@code ProcessingException}.
 */
@RegisterRestClient(configKey = "registry")
@Path("/experiments/{experimentId}/versions")
public interface RegistryClient {

    /** The versions of an experiment, oldest first (empty for an unknown one). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    List<VersionInfo> list(@PathParam("experimentId") String experimentId);

    /** The float32 AFDT weights blob of a version (a number or {@code latest}); 404 when there is none. */
    @GET
    @Path("/{version}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    byte[] weights(@PathParam("experimentId") String experimentId, @PathParam("version") String version);

    /**
     * Stores a version from a float32 AFDT blob; idempotent per round (the same weights again answer the
     * existing version, other weights 409).
     */
    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    VersionInfo create(
            @PathParam("experimentId") String experimentId,
            @QueryParam("architecture") String architecture,
            @QueryParam("round") Integer round,
            @QueryParam("parentVersion") Integer parentVersion,
            byte[] blob);

    /** Attaches evaluation metrics (a JSON object) to a version. */
    @PUT
    @Path("/{version}/metrics")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    VersionInfo metrics(
            @PathParam("experimentId") String experimentId,
            @PathParam("version") String version,
            Map<String, Object> metrics);
}
