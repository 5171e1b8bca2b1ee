package io.afd.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;

/**
 * The model registry's metadata of one global model version (the weights are a separate download):
 * {@code GET /experiments/{exp}/versions[/{v}]}, the answer to {@code POST} and {@code PUT .../metrics}.
 *
 * @param experimentId  the experiment
 * @param version       0, 1, ... in creation order
 * @param parentVersion the version it was aggregated onto, or null
 * @param round         the round that produced it, or null (the initial model)
 * @param architecture  canonical model spec, e.g. {@code mlp(in=60,hidden=200x200,classes=10)}
 * @param numParams     parameters of the model
 * @param sizeBytes     size of the float32 AFDT weights blob
 * @param sha256        SHA-256 of that blob, 64 lowercase hex digits (also the download's ETag)
 * @param metrics       evaluation metrics as JSON object text, or null
 * @param createdAt     when it was stored
 */
public record VersionInfo(
        String experimentId,
        @JsonProperty(required = true) int version,
        Integer parentVersion,
        Integer round,
        String architecture,
        long numParams,
        long sizeBytes,
        String sha256,
        String metrics,
        OffsetDateTime createdAt) {}
