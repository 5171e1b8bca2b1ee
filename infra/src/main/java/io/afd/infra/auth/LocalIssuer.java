package io.afd.infra.auth;

import io.afd.infra.InfraState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The token issuer of local runs and tests: an RS256 signing key kept in a directory, its public
 * half published as a JWKS file, and signed JWT bearer tokens for the operator roles (ADR 0013).
 *
 * <p>The services verify tokens exactly as they verify a production OIDC provider's: against a JWKS
 * ({@code mp.jwt.verify.publickey.location}, a file here, the provider's {@code jwks_uri} there), an
 * issuer and an audience. Whoever can read the key file can mint any token: it is created owner-only
 * ({@code 0600}) and belongs to the operator of the local suite, like the database password.
 *
 * <pre>{@code
 * LocalIssuer issuer = LocalIssuer.open(Path.of(".afd/auth"));
 * String token = issuer.mint("alice", List.of("operator"), Duration.ofHours(8));
 * }</pre>
 */
public final class LocalIssuer {
    /** The issuer ({@code iss}) of locally minted tokens. */
    public static final String DEFAULT_ISSUER = "urn:afd:local-issuer";
    /** The audience ({@code aud}) the suite's services expect. */
    public static final String DEFAULT_AUDIENCE = "afd-api";

    static final String KEY_FILE = "signing-key.pk8";
    static final String JWKS_FILE = "jwks.json";

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final String audience;
    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String kid;
    private final Path jwks;

    private LocalIssuer(String issuer, String audience, KeyPair keys, Path jwks) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.privateKey = (RSAPrivateCrtKey) keys.getPrivate();
        this.publicKey = (RSAPublicKey) keys.getPublic();
        this.kid = keyId(publicKey);
        this.jwks = jwks;
    }

    /**
     * The issuer whose key lives in {@code dir}: loads {@code dir/signing-key.pk8}, or creates a new
     * 2048-bit RSA key there (owner-only), and (re)writes {@code dir/jwks.json}.
     */
    public static LocalIssuer open(Path dir) {
        return open(dir, DEFAULT_ISSUER, DEFAULT_AUDIENCE);
    }

    /** As {@link #open(Path)}, with another issuer name and audience (tests: a foreign issuer). */
    public static LocalIssuer open(Path dir, String issuer, String audience) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the key file's own permissions are all there is
                }
            }
            Path keyFile = dir.resolve(KEY_FILE);
            KeyPair keys = Files.exists(keyFile) ? load(keyFile) : create(keyFile);
            LocalIssuer li = new LocalIssuer(issuer, audience, keys, dir.resolve(JWKS_FILE));
            li.writeJwks();
            return li;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local token issuer in " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad signing key in " + dir + ": " + e.getMessage(), e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    /** The key id ({@code kid}) of the signing key: the first 16 characters of its SHA-256 thumbprint. */
    public String keyId() {
        return kid;
    }

    /** The JWKS file with the public key, for {@code mp.jwt.verify.publickey.location}. */
    public Path jwksFile() {
        return jwks;
    }

    /**
     * The verification settings of a service that accepts this issuer's tokens (the same keys the
     * services read from {@code AFD_OIDC_JWKS}, {@code AFD_OIDC_ISSUER}, {@code AFD_OIDC_AUDIENCE}).
     */
    public Map<String, String> verifierEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AFD_OIDC_JWKS", jwks.toUri().toString());
        env.put("AFD_OIDC_ISSUER", issuer);
        env.put("AFD_OIDC_AUDIENCE", audience);
        return env;
    }

    /** The same settings as Quarkus configuration properties (for a test resource). */
    public Map<String, String> quarkusProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mp.jwt.verify.publickey.location", jwks.toUri().toString());
        p.put("mp.jwt.verify.issuer", issuer);
        p.put("mp.jwt.verify.audiences", audience);
        return p;
    }

    /** A token for {@code subject} with {@code roles}, valid from now for {@code ttl}. */
    public String mint(String subject, Collection<String> roles, Duration ttl) {
        Instant now = Instant.now();
        return mint(subject, roles, now, now.plus(ttl), audience);
    }

    /**
     * A token with explicit times and audience (tests: expired tokens, other audiences).
     *
     * @param subject   {@code sub} and {@code upn}: who the caller is
     * @param roles     {@code groups}: the roles the services authorise
     * @param issuedAt  {@code iat}
     * @param expiresAt {@code exp}
     * @param aud       {@code aud}
     */
    public String mint(String subject, Collection<String> roles, Instant issuedAt, Instant expiresAt, String aud) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a token needs a subject");
        }
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("a token must expire after it is issued");
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":" + quote(kid) + "}";
        StringBuilder groups = new StringBuilder("[");
        for (String r : roles) {
            groups.append(groups.length() > 1 ? "," : "").append(quote(r));
        }
        groups.append(']');
        String claims = "{\"iss\":" + quote(issuer) + ",\"sub\":" + quote(subject) + ",\"upn\":" + quote(subject)
                + ",\"aud\":" + quote(aud) + ",\"iat\":" + issuedAt.getEpochSecond() + ",\"exp\":"
                + expiresAt.getEpochSecond() + ",\"jti\":"
                + quote(UUID.randomUUID().toString()) + ",\"groups\":"
                + groups + "}";
        String signingInput = b64(header) + "." + b64(claims);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ keys and files

    private void writeJwks() throws IOException {
        String set = "{\n  \"keys\": [\n    {\"kty\": \"RSA\", \"use\": \"sig\", \"alg\": \"RS256\", \"kid\": "
                + quote(kid) + ",\n     \"n\": " + quote(unsigned(publicKey.getModulus())) + ",\n     \"e\": "
                + quote(unsigned(publicKey.getPublicExponent())) + "}\n  ]\n}\n";
        Path tmp = jwks.resolveSibling(JWKS_FILE + ".tmp");
        Files.writeString(tmp, set);
        Files.move(tmp, jwks, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static KeyPair create(Path keyFile) throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path tmp = keyFile.resolveSibling(KEY_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, pem);
        Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE);
        return kp;
    }

    private static KeyPair load(Path keyFile) throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyFile);
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        KeyFactory kf = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey)
                kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        RSAPublicKey pub =
                (RSAPublicKey) kf.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
        return new KeyPair(pub, priv);
    }

    private static String keyId(RSAPublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return B64URL.encodeToString(d).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        return B64URL.encodeToString(b);
    }

    /** A JSON string literal (afd-infra has no JSON library: it stays off its dependents' classpaths). */
    static String quote(String s) {
        return '"' + InfraState.escape(s) + '"';
    }

    private static String b64(String s) {
        return B64URL.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The roles the suite's services know, from least to most privileged. */
    public static final List<String> ROLES = List.of("viewer", "operator", "admin");
}
