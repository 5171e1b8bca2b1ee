package io.afd.packager;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stand-ins for the packager's REST peers, served by the application under test itself (the test
 * profile points {@code quarkus.rest-client.registry.url} here): the registry's weights download, backed by a map the
 * tests fill. The suite's end-to-end test runs the packager against the real model registry and
 * orchestrator.
 */
// a stand-in for a peer, served by the service under test: its own security is not under test here
@jakarta.annotation.security.PermitAll
@Path("/test-peers")
public class TestPeers {
    /** "experiment/version" -> float32 AFDT blob. */
    static final Map<String, byte[]> WEIGHTS = new ConcurrentHashMap<>();

    @GET
    @Path("/registry/experiments/{exp}/versions/{version}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public byte[] weights(@PathParam("exp") String exp, @PathParam("version") String version) {
        byte[] b = WEIGHTS.get(exp + "/" + version);
        if (b == null) {
            throw new NotFoundException("no version " + version + " of experiment " + exp);
        }
        return b;
    }
}
