package io.afd.packager.service;

import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.tensor.ParamSet;
import io.afd.packager.config.PackagerConfig;
import io.afd.services.common.client.RegistryClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Global model weights from the registry ({@code GET /experiments/{exp}/versions/{v}/weights}, a
 * float32 AFDT blob), decoded and kept in a small LRU cache per (experiment, version): versions are
 * immutable, and every task of a round is cut from the same one.
 */
@ApplicationScoped
public class WeightsService {
    private static final Logger LOG = Logger.getLogger(WeightsService.class);

    private final RegistryClient registry;
    private final Map<String, ParamSet> cache;

    public WeightsService(@RestClient RegistryClient registry, PackagerConfig config) {
        this.registry = registry;
        int max = Math.max(0, config.weightsCacheSize());
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ParamSet> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * The weights of {@code version}, checked against {@code spec}. The returned set is shared: read it,
     * never modify it.
     *
     * @throws ClientErrorException 409 when the version does not exist or does not fit {@code spec}
     * @throws ServerErrorException 502 when the registry cannot be asked or serves an invalid blob
     */
    public ParamSet weights(String experimentId, int version, ModelSpec spec) {
        String key = experimentId + "@" + version;
        ParamSet p;
        synchronized (cache) {
            p = cache.get(key);
        }
        if (p == null) {
            p = fetch(experimentId, version);
            synchronized (cache) {
                cache.put(key, p);
            }
        }
        try {
            spec.validate(p);
        } catch (IllegalArgumentException e) {
            throw new ClientErrorException(
                    "model version " + version + " of experiment '" + experimentId + "' does not fit architecture "
                            + spec + ": " + e.getMessage(),
                    Response.Status.CONFLICT);
        }
        return p;
    }

    private ParamSet fetch(String experimentId, int version) {
        byte[] blob;
        try {
            blob = registry.weights(experimentId, Integer.toString(version));
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
            if (status == 404) {
                throw new ClientErrorException(
                        "model version " + version + " of experiment '" + experimentId
                                + "' does not exist in the registry",
                        Response.Status.CONFLICT);
            }
            throw new ServerErrorException(
                    "the registry answered HTTP " + status + " for the weights of version " + version
                            + " of experiment '" + experimentId + "'",
                    Response.Status.BAD_GATEWAY);
        } catch (ProcessingException e) {
            throw new ServerErrorException(
                    "cannot reach the registry for the weights of version " + version + " of experiment '"
                            + experimentId + "': " + e.getMessage(),
                    Response.Status.BAD_GATEWAY);
        }
        if (blob == null || blob.length == 0) {
            throw new ServerErrorException(
                    "the registry served empty weights for version " + version + " of experiment '" + experimentId
                            + "'",
                    Response.Status.BAD_GATEWAY);
        }
        try {
            ParamSet p = new ParamSet(TensorCodec.decodeDense(blob));
            LOG.debugf("fetched version %d of %s: %d tensors, %d bytes", version, experimentId, p.size(), blob.length);
            return p;
        } catch (RuntimeException e) {
            throw new ServerErrorException(
                    "the registry served an invalid weights blob for version " + version + " of experiment '"
                            + experimentId + "': " + e.getMessage(),
                    Response.Status.BAD_GATEWAY);
        }
    }
}
