package io.afd.aggregator.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The model registry's REST API: what the aggregator reads (base weights) and writes (the new version). */
@RegisterRestClient(configKey = "registry")
@Path("/experiments/{experimentId}/versions")
public interface RegistryClient {

    /** The float32 AFDT blob of a version. */
    @GET
    @Path("/{version}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    byte[] weights(@PathParam("experimentId") String experimentId, @PathParam("version") String version);

    /** Stores a version; idempotent per round (same weights -> the existing version). Answers its metadata. */
    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode create(@PathParam("experimentId") String experimentId, @QueryParam("architecture") String architecture,
                    @QueryParam("round") Integer round, @QueryParam("parentVersion") Integer parentVersion,
                    byte[] blob);
}
