package io.afd.protocol.api;

import java.util.List;

/**
 * The orchestrator's answer to {@code GET /internal/clients/{id}/keys} (cluster-internal): the public keys a
 * client's updates are verified with, and the most samples they may claim. Only active keys are listed; a revoked
 * one is gone.
 *
 * @param id         the client id
 * @param numSamples the number of samples the client enrolled with (null from an orchestrator that does not say)
 * @param keys       its active Ed25519 public keys, oldest first (empty before it enrols)
 */
public record ClientKeys(String id, Integer numSamples, List<PublicKey> keys) {
    public ClientKeys {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /**
     * One public key.
     *
     * @param keyId     16 lowercase hex digits, the first 8 bytes of SHA-256 of the raw key
     * @param publicKey the 32 raw bytes as 43 unpadded base64url characters
     */
    public record PublicKey(String keyId, String publicKey) {}
}
