package io.afd.aggregator;

import io.afd.protocol.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Deterministic test keys: the Ed25519 key whose seed is the SHA-256 of a label. */
public final class TestKeys {
    /** The services' key (afd.server-key) in tests. */
    public static final SigningKey SERVER = of("@server");

    private TestKeys() {}

    public static SigningKey of(String label) {
        try {
            return SigningKey.fromSeed(MessageDigest.getInstance("SHA-256")
                    .digest(("afd-test-key:" + label).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key of a label's key, in text. */
    public static String publicText(String label) {
        return of(label).verifyKey().text();
    }
}
