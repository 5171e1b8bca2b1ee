package io.afd.orchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The model registry's REST API. */
@RegisterRestClient(configKey = "registry")
@Path("/experiments/{experimentId}/versions")
public interface RegistryClient {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    List<JsonNode> list(@PathParam("experimentId") String experimentId);

    @GET
    @Path("/{version}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    byte[] weights(@PathParam("experimentId") String experimentId, @PathParam("version") String version);

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode create(@PathParam("experimentId") String experimentId, @QueryParam("architecture") String architecture,
                    @QueryParam("round") Integer round, @QueryParam("parentVersion") Integer parentVersion, byte[] blob);

    @PUT
    @Path("/{version}/metrics")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode metrics(@PathParam("experimentId") String experimentId, @PathParam("version") String version,
                     JsonNode metrics);
}
