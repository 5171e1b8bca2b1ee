package io.afd.aggregator.fake;

import io.afd.aggregator.AggregatorTestResource;
import io.afd.aggregator.TestSecrets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** In-test stand-in for the orchestrator's secret endpoint: knows the remote clients (with their enrolled sample counts), 404 for the others. */
@Path("/internal/clients")
public class FakeOrchestratorResource {

    @GET
    @Path("/{id}/secret")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> secret(@PathParam("id") String id) {
        Integer enrolled = AggregatorTestResource.REMOTE_CLIENTS.get(id);
        if (enrolled == null) {
            throw new NotFoundException("no client " + id);
        }
        return Map.of("id", id, "secret", TestSecrets.text(id), "numSamples", enrolled);
    }
}
