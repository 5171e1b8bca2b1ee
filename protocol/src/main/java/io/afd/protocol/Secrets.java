package io.afd.protocol;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-client secrets and the HMAC-SHA256 / SHA-256 primitives of the protocol.
 *
 * <p>A secret is 32 random bytes. Its text form (what registration hands out and services store) is
 * unpadded base64url (RFC 4648 §5): exactly 43 characters of {@code [A-Za-z0-9_-]}. The HMAC key is
 * the 32 decoded bytes, not the text.
 */
public final class Secrets {
    /** Bytes of a secret. */
    public static final int SECRET_BYTES = 32;
    /** Bytes of an HMAC-SHA256 tag. */
    public static final int MAC_BYTES = 32;

    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });

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

    /** HMAC-SHA256 of {@code data[off, off+len)} keyed by {@code key}. */
    public static byte[] hmacSha256(byte[] key, byte[] data, int off, int len) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("HMAC key must not be empty");
        }
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(data, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** HMAC-SHA256 of all of {@code data}. */
    public static byte[] hmacSha256(byte[] key, byte[] data) {
        return hmacSha256(key, data, 0, data.length);
    }

    /**
     * Whether {@code tag} equals the HMAC-SHA256 of {@code data[off, off+len)}; the comparison takes the
     * same time wherever the tags differ ({@link MessageDigest#isEqual}).
     */
    public static boolean verifyHmacSha256(byte[] key, byte[] data, int off, int len, byte[] tag) {
        return MessageDigest.isEqual(hmacSha256(key, data, off, len), tag);
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
