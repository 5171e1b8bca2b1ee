package io.afd.packager.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The model registry's REST API, as far as the packager needs it. */
@RegisterRestClient(configKey = "registry")
@Path("/experiments/{experimentId}/versions")
public interface RegistryClient {

    /** The weights of a version: a float32 AFDT blob. 404 when the version does not exist. */
    @GET
    @Path("/{version}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    byte[] weights(@PathParam("experimentId") String experimentId, @PathParam("version") int version);
}
