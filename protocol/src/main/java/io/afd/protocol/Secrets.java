package io.afd.protocol;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * 32-byte values in text, and SHA-256. Ed25519 seeds and public keys ({@link SigningKey}, {@link VerifyKey}) and
 * enrolment tokens are 32 bytes; their text form is unpadded base64url (RFC 4648 §5): exactly 43 characters of
 * {@code [A-Za-z0-9_-]}.
 */
public final class Secrets {
    /** Bytes of a secret. */
    public static final int SECRET_BYTES = 32;

    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** A fresh secret: 32 bytes from {@link SecureRandom}, as unpadded base64url text. */
    public static String newSecret() {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return encode(b);
    }

    /** Text form of 32 secret bytes. */
    public static String encode(byte[] secret) {
        if (secret == null || secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "a secret is " + SECRET_BYTES + " bytes, got " + (secret == null ? "null" : secret.length));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * The 32 key bytes of a secret's text form.
     *
     * @throws IllegalArgumentException unless the text is 43 unpadded base64url characters encoding 32 bytes
     */
    public static byte[] decode(String text) {
        if (text == null || !TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("a secret is 43 unpadded base64url characters, got "
                    + (text == null ? "null" : text.length() + " characters"));
        }
        byte[] b = Base64.getUrlDecoder().decode(text);
        if (!encode(b).equals(text)) { // non-zero unused bits in the last character
            throw new IllegalArgumentException("secret text is not canonical base64url");
        }
        return b;
    }

    /** SHA-256 of {@code data}, as 64 lowercase hex digits. */
    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
