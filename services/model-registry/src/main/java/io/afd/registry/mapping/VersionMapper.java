package io.afd.registry.mapping;

import io.afd.protocol.api.VersionInfo;
import io.afd.registry.ModelVersion;

/** Entity to API view: a stored version's metadata ({@link VersionInfo}; the weights are a separate download). */
public final class VersionMapper {
    private VersionMapper() {}

    public static VersionInfo toInfo(ModelVersion v) {
        return new VersionInfo(
                v.experimentId,
                v.version,
                v.parentVersion,
                v.round,
                v.architecture,
                v.numParams,
                v.sizeBytes,
                v.sha256,
                v.metrics,
                v.createdAt);
    }
}
