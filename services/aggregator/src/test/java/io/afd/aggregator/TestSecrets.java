package io.afd.aggregator;

import io.afd.protocol.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Deterministic test secrets: SHA-256 of a label. */
public final class TestSecrets {
    /** The services' key (afd.server-secret) in tests. */
    public static final byte[] SERVER = of("@server");

    private TestSecrets() {}

    public static byte[] of(String label) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("afd-test-secret:" + label).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(String label) {
        return Secrets.encode(of(label));
    }
}
