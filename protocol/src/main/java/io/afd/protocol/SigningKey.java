package io.afd.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Objects;

/**
 * An Ed25519 private key (RFC 8032) that signs envelopes, with its {@link VerifyKey public half}. Its text form
 * is the 32-byte seed (the RFC's private key) as unpadded base64url, 43 characters ({@link Secrets#encode}), the
 * same bytes Python's {@code Ed25519PrivateKey.from_private_bytes} takes. Only the JDK's own provider is used.
 */
public final class SigningKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Signature> SIGNER = ThreadLocal.withInitial(SigningKey::newSignature);

    private final byte[] seed;
    private final PrivateKey key;
    private final VerifyKey verifyKey;

    private SigningKey(byte[] seed) {
        this.seed = seed.clone();
        try {
            this.key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, this.seed));
            // The JDK derives the public key only while generating a pair; a generator fed the seed as its
            // randomness makes exactly this seed's pair (it draws the 32 private-key bytes and nothing else).
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new FixedBytes(this.seed));
            KeyPair pair = g.generateKeyPair();
            this.verifyKey = VerifyKey.of(pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
        }
    }

    /** A fresh key from {@link SecureRandom}. */
    public static SigningKey generate() {
        byte[] s = new byte[Secrets.SECRET_BYTES];
        RANDOM.nextBytes(s);
        return fromSeed(s);
    }

    /** The key of a 32-byte seed. */
    public static SigningKey fromSeed(byte[] seed) {
        Objects.requireNonNull(seed, "seed");
        if (seed.length != Secrets.SECRET_BYTES) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
        }
        return new SigningKey(seed);
    }

    /**
     * The key of a seed's text form.
     *
     * @throws IllegalArgumentException unless the text is 43 unpadded base64url characters
     */
    public static SigningKey parse(String seedText) {
        return new SigningKey(Secrets.decode(seedText));
    }

    /** The seed as 43 base64url characters: keep it secret. */
    public String seedText() {
        return Secrets.encode(seed);
    }

    public VerifyKey verifyKey() {
        return verifyKey;
    }

    /** {@link VerifyKey#keyId()} of the public half. */
    public String keyId() {
        return verifyKey.keyId();
    }

    /** The 64-byte Ed25519 signature of {@code data[off, off+len)} (deterministic, RFC 8032 §5.1.6). */
    public byte[] sign(byte[] data, int off, int len) {
        try {
            Signature s = SIGNER.get();
            s.initSign(key);
            s.update(data, off, len);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public byte[] sign(byte[] data) {
        return sign(data, 0, data.length);
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId() + "]"; // never the seed
    }

    static Signature newSignature() {
        try {
            return Signature.getInstance("Ed25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
        }
    }

    /** Hands out the seed as "randomness", once. */
    private static final class FixedBytes extends SecureRandom {
        private final byte[] bytes;
        private boolean used;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void nextBytes(byte[] out) {
            if (used || out.length != bytes.length) {
                throw new IllegalStateException("the Ed25519 generator asked for unexpected randomness");
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
            used = true;
        }
    }
}
