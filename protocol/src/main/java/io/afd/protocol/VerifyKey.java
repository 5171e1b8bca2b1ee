package io.afd.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An Ed25519 public key: the 32 bytes of RFC 8032 §5.1.5, in text as 43 unpadded base64url characters. Its
 * {@link #keyId() key id} is the first 8 bytes of SHA-256 of those 32 bytes, 16 lowercase hex digits in text;
 * envelopes carry the 8 bytes so that a receiver finds the key without trying each.
 */
public final class VerifyKey {
    /** Bytes of a raw Ed25519 public key. */
    public static final int BYTES = 32;
    /** Bytes of an envelope's key id. */
    public static final int KEY_ID_BYTES = 8;

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { algorithm 1.3.101.112, BIT STRING }. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private static final ThreadLocal<Signature> VERIFIER = ThreadLocal.withInitial(SigningKey::newSignature);

    private final byte[] raw;
    private final PublicKey key;
    private final String keyId;

    private VerifyKey(byte[] raw, PublicKey key) {
        this.raw = raw;
        this.key = key;
        this.keyId = keyIdOf(raw);
    }

    /**
     * The key of its 32 raw bytes.
     *
     * @throws IllegalArgumentException unless they are 32 bytes encoding a point the JDK accepts
     */
    public static VerifyKey of(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != BYTES) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + raw.length);
        }
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + BYTES);
        System.arraycopy(raw, 0, der, SPKI_PREFIX.length, BYTES);
        try {
            return new VerifyKey(
                    raw.clone(), KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The key of a JDK Ed25519 public key. */
    public static VerifyKey of(PublicKey key) {
        byte[] der = key.getEncoded();
        if (!"Ed25519".equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())
                || der.length != SPKI_PREFIX.length + BYTES
                || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return new VerifyKey(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length), key);
    }

    /**
     * The key of its text form.
     *
     * @throws IllegalArgumentException unless the text is 43 unpadded base64url characters of a valid key
     */
    public static VerifyKey parse(String text) {
        return of(Secrets.decode(text));
    }

    /** The 16-hex-digit key id of 32 raw public-key bytes. */
    public static String keyIdOf(byte[] raw) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(d, 0, KEY_ID_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The 32 raw bytes (a copy). */
    public byte[] raw() {
        return raw.clone();
    }

    /** The 43-character text form. */
    public String text() {
        return Secrets.encode(raw);
    }

    /** 16 lowercase hex digits. */
    public String keyId() {
        return keyId;
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code data[off, off+len)}. */
    public boolean verify(byte[] data, int off, int len, byte[] signature) {
        try {
            Signature s = VERIFIER.get();
            s.initVerify(key);
            s.update(data, off, len);
            return s.verify(signature);
        } catch (SignatureException e) {
            return false; // a signature that does not even decode
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 verification failed", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyKey k && Arrays.equals(raw, k.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "VerifyKey[" + keyId + "]";
    }
}
