package io.afd.aggregator.fake;

import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.tensor.ParamSet;
import io.afd.protocol.Secrets;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-test stand-in for the model registry, served by the application under test (test classpath only). It
 * follows the contract of {@code services/model-registry}: {@code GET .../versions/{v}/weights} and
 * {@code POST .../versions?architecture=&round=&parentVersion=} (validates the blob against the architecture,
 * numbers versions 0, 1, ..., idempotent per round: the same weights answer the existing version with 200,
 * other weights 409). Blobs are kept in memory. The real registry is covered by the suite's end-to-end test.
 */
// a stand-in for a peer, served by the service under test: its own security is not under test here
@jakarta.annotation.security.PermitAll
@Path("/experiments/{experimentId}/versions")
public class FakeRegistryResource {

    /** A stored version. */
    public record Version(
            int version, Integer parentVersion, Integer round, String architecture, byte[] weights, String sha256) {}

    private static final Map<String, List<Version>> VERSIONS = new ConcurrentHashMap<>();

    /** The versions of an experiment (a copy). */
    public static synchronized List<Version> versions(String experimentId) {
        return List.copyOf(VERSIONS.getOrDefault(experimentId, List.of()));
    }

    @GET
    @Path("/{version}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public byte[] weights(@PathParam("experimentId") String experimentId, @PathParam("version") int version) {
        return versions(experimentId).stream()
                .filter(v -> v.version() == version)
                .findFirst()
                .orElseThrow(() -> new NotFoundException("no version " + version + " of " + experimentId))
                .weights();
    }

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(
            @PathParam("experimentId") String experimentId,
            @QueryParam("architecture") String architecture,
            @QueryParam("round") Integer round,
            @QueryParam("parentVersion") Integer parentVersion,
            byte[] body) {
        if (architecture == null) {
            throw new BadRequestException("query parameter 'architecture' is required");
        }
        ModelSpec spec = ModelSpec.parse(architecture);
        try {
            spec.validate(new ParamSet(TensorCodec.decodeDense(body)));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("weights do not fit " + spec + ": " + e.getMessage());
        }
        String sha = Secrets.sha256Hex(body);
        synchronized (FakeRegistryResource.class) {
            List<Version> list = VERSIONS.computeIfAbsent(experimentId, k -> new ArrayList<>());
            if (round != null) {
                for (Version v : list) {
                    if (round.equals(v.round())) {
                        if (v.sha256().equals(sha)) {
                            return Response.ok(view(experimentId, v)).build();
                        }
                        throw new ClientErrorException(
                                "round " + round + " already has other weights", Response.Status.CONFLICT);
                    }
                }
            }
            if (parentVersion != null && list.stream().noneMatch(v -> v.version() == parentVersion)) {
                throw new BadRequestException("parent version " + parentVersion + " does not exist");
            }
            Version v = new Version(list.size(), parentVersion, round, spec.toString(), body.clone(), sha);
            list.add(v);
            return Response.status(Response.Status.CREATED)
                    .entity(view(experimentId, v))
                    .build();
        }
    }

    private static Map<String, Object> view(String experimentId, Version v) {
        return Map.of(
                "experimentId",
                experimentId,
                "version",
                v.version(),
                "architecture",
                v.architecture(),
                "sha256",
                v.sha256());
    }
}
