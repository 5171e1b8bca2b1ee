package io.afd.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The proof of possession a client sends when it enrols its public key with a one-time enrolment token: its
 * Ed25519 signature, with the key it enrols, of the UTF-8 bytes of {@code "afd-enrol-v2\n" + clientId + "\n" +
 * enrolmentToken}, as 86 unpadded base64url characters. It shows the server that the client holds the private key
 * and binds the key to this client and this token (docs/protocol.md §3).
 */
public final class Enrolment {
    /** The first line of the signed text. */
    public static final String CONTEXT = "afd-enrol-v2";

    private static final Pattern SIGNATURE_TEXT = Pattern.compile("[A-Za-z0-9_-]{86}");

    private Enrolment() {}

    /** The bytes a client signs to enrol. */
    public static byte[] proofMessage(String clientId, String enrolmentToken) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(enrolmentToken, "enrolmentToken");
        return (CONTEXT + "\n" + clientId + "\n" + enrolmentToken).getBytes(StandardCharsets.UTF_8);
    }

    /** The proof text of a key for a client and token. */
    public static String prove(SigningKey key, String clientId, String enrolmentToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(proofMessage(clientId, enrolmentToken)));
    }

    /** Whether {@code proof} is {@code key}'s proof for this client and token (false for malformed text). */
    public static boolean verify(VerifyKey key, String clientId, String enrolmentToken, String proof) {
        if (proof == null || !SIGNATURE_TEXT.matcher(proof).matches()) {
            return false;
        }
        byte[] sig = Base64.getUrlDecoder().decode(proof);
        byte[] msg = proofMessage(clientId, enrolmentToken);
        return key.verify(msg, 0, msg.length, sig);
    }
}
