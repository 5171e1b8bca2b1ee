package io.afd.registry.service;

import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.tensor.ParamSet;
import io.afd.protocol.Ids;
import io.afd.registry.ModelVersion;
import io.afd.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Validates and stores model versions. */
@ApplicationScoped
public class RegistryService {
    private final RegistryConfig config;

    public RegistryService(RegistryConfig config) {
        this.config = config;
    }

    /**
     * Stores a new version. The blob must decode and match the architecture's tensor names and
     * shapes, with finite values. Writing the same round twice with the same weights returns the
     * existing version (safe retries); with different weights it is a conflict.
     */
    @Transactional
    public Stored create(String experimentId, String architecture, Integer round, Integer parentVersion, byte[] blob) {
        Ids.require(experimentId, "experiment id");
        if (blob == null || blob.length == 0) {
            throw new BadRequestException("empty weights body");
        }
        if (blob.length > config.maxUploadBytes()) {
            throw new ClientErrorException(
                    "weights of " + blob.length + " bytes exceed the limit of " + config.maxUploadBytes(),
                    Response.Status.REQUEST_ENTITY_TOO_LARGE);
        }
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(architecture);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("bad architecture: " + e.getMessage());
        }
        ParamSet params;
        try {
            params = new ParamSet(TensorCodec.decodeDense(blob));
            spec.validate(params);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("weights do not fit " + spec + ": " + e.getMessage());
        }
        params.forEach(t -> {
            for (float v : t.data()) {
                if (!Float.isFinite(v)) {
                    throw new BadRequestException("tensor " + t.name() + " has a non-finite value");
                }
            }
        });
        if (round != null && round < 0) {
            throw new BadRequestException("round must be >= 0");
        }
        String sha = sha256(blob);
        if (round != null) {
            Optional<ModelVersion> same = ModelVersion.ofRound(experimentId, round);
            if (same.isPresent()) {
                if (same.get().sha256.equals(sha)) {
                    return new Stored(same.get(), false);
                }
                throw new ClientErrorException(
                        "round " + round + " of " + experimentId + " already has version " + same.get().version
                                + " with other weights",
                        Response.Status.CONFLICT);
            }
        }
        Optional<ModelVersion> latest = ModelVersion.latest(experimentId);
        if (parentVersion != null
                && ModelVersion.find(experimentId, parentVersion).isEmpty()) {
            throw new BadRequestException("parent version " + parentVersion + " does not exist");
        }
        ModelVersion v = new ModelVersion();
        v.experimentId = experimentId;
        v.version = latest.map(l -> l.version + 1).orElse(0);
        v.parentVersion = parentVersion;
        v.round = round;
        v.architecture = spec.toString();
        v.numParams = spec.numParams();
        v.sizeBytes = blob.length;
        v.sha256 = sha;
        v.weights = blob;
        v.persist();
        ModelVersion.getEntityManager().flush();
        ModelVersion.getEntityManager().refresh(v);
        return new Stored(v, true);
    }

    public List<ModelVersion> list(String experimentId) {
        Ids.require(experimentId, "experiment id");
        return ModelVersion.ofExperiment(experimentId);
    }

    public ModelVersion get(String experimentId, String version) {
        Ids.require(experimentId, "experiment id");
        Optional<ModelVersion> v;
        if ("latest".equals(version)) {
            v = ModelVersion.latest(experimentId);
        } else {
            int n;
            try {
                n = Integer.parseInt(version);
            } catch (NumberFormatException e) {
                throw new BadRequestException("version must be a number or 'latest', got '" + version + "'");
            }
            v = ModelVersion.find(experimentId, n);
        }
        return v.orElseThrow(() -> new NotFoundException("no version " + version + " of experiment " + experimentId));
    }

    @Transactional
    public ModelVersion setMetrics(String experimentId, String version, String metricsJson) {
        ModelVersion v = get(experimentId, version);
        v.metrics = metricsJson;
        return v;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored version and whether this call created it. */
    public record Stored(ModelVersion version, boolean created) {}
}
