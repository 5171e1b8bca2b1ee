package io.afd.protocol.api;

/**
 * The orchestrator's answer to {@code GET /internal/clients/{id}/secret} (cluster-internal): the secret a client's
 * tasks are signed and its updates verified with.
 *
 * @param id         the client id
 * @param secret     43 unpadded base64url characters ({@code io.afd.protocol.Secrets})
 * @param numSamples the number of samples the client enrolled with: its updates may claim at most this many
 *                   (null from an orchestrator that does not say)
 */
public record ClientSecret(String id, String secret, Integer numSamples) {}
