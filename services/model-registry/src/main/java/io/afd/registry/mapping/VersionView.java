package io.afd.registry.mapping;

import io.afd.registry.ModelVersion;
import java.time.OffsetDateTime;

/** API view of a model version (metadata only; weights are a separate download). */
public record VersionView(String experimentId, int version, Integer parentVersion, Integer round,
                          String architecture, long numParams, long sizeBytes, String sha256, String metrics,
                          OffsetDateTime createdAt) {

    public static VersionView of(ModelVersion v) {
        return new VersionView(v.experimentId, v.version, v.parentVersion, v.round, v.architecture, v.numParams,
                v.sizeBytes, v.sha256, v.metrics, v.createdAt);
    }
}
