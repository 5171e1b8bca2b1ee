package io.afd.infra.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalIssuerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void tokensVerifyAgainstThePublishedJwksAndCarryTheClaims() throws Exception {
        LocalIssuer issuer = LocalIssuer.open(dir);
        String token = issuer.mint("alice", List.of("operator"), Duration.ofMinutes(5));
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("RS256", header.path("alg").asText());
        assertEquals(issuer.keyId(), header.path("kid").asText());
        assertEquals(LocalIssuer.DEFAULT_ISSUER, claims.path("iss").asText());
        assertEquals(LocalIssuer.DEFAULT_AUDIENCE, claims.path("aud").asText());
        assertEquals("alice", claims.path("sub").asText());
        assertEquals("operator", claims.path("groups").get(0).asText());
        assertEquals(300, claims.path("exp").asLong() - claims.path("iat").asLong());

        JsonNode jwk = JSON.readTree(issuer.jwksFile().toFile()).path("keys").get(0);
        assertEquals(issuer.keyId(), jwk.path("kid").asText());
        PublicKey pub = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(
                        new BigInteger(
                                1, Base64.getUrlDecoder().decode(jwk.path("n").asText())),
                        new BigInteger(
                                1, Base64.getUrlDecoder().decode(jwk.path("e").asText()))));
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(pub);
        v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(v.verify(Base64.getUrlDecoder().decode(parts[2])), "signature verifies with the JWKS key");
        v.initVerify(pub);
        v.update((parts[0] + "." + parts[1] + "x").getBytes(StandardCharsets.US_ASCII));
        assertFalse(v.verify(Base64.getUrlDecoder().decode(parts[2])), "a changed payload does not");
    }

    @Test
    void claimsAreValidJsonWhateverTheSubjectHolds() throws Exception {
        String odd = "o'brien \"the\" \\admin\\\n\u0001é";
        String token = LocalIssuer.open(dir).mint(odd, List.of("viewer", "op\"erator"), Duration.ofMinutes(1));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals(odd, claims.path("sub").asText());
        assertEquals("op\"erator", claims.path("groups").get(1).asText());
    }

    @Test
    void theKeyIsKeptOwnerOnlyAndReusedAcrossOpens() throws Exception {
        String kid = LocalIssuer.open(dir).keyId();
        assertEquals(kid, LocalIssuer.open(dir).keyId(), "reopening keeps the key, so issued tokens stay valid");
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(LocalIssuer.KEY_FILE))));
        assertNotEquals(kid, LocalIssuer.open(dir.resolve("other")).keyId(), "another directory, another key");
    }

    @Test
    void refusesTokensThatCannotBeValid() {
        LocalIssuer issuer = LocalIssuer.open(dir);
        assertThrows(IllegalArgumentException.class, () -> issuer.mint(" ", List.of("admin"), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> issuer.mint("a", List.of("admin"), Duration.ZERO));
    }

    @Test
    void tokenCommandPrintsATokenAndRefusesUnknownRoles() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = TokenCommand.run(
                List.of("--role", "viewer", "--subject", "bob", "--ttl", "30m", "--dir", dir.toString()),
                new PrintStream(out, true),
                new PrintStream(err, true));
        assertEquals(0, rc, err.toString());
        assertEquals(3, out.toString().trim().split("\\.").length);
        int bad = TokenCommand.run(
                List.of("--role", "root", "--dir", dir.toString()),
                new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true));
        assertEquals(2, bad);
        assertTrue(err.toString().contains("unknown role 'root'"), err.toString());
        assertEquals(Duration.ofDays(2), TokenCommand.parseTtl("2d"));
        assertThrows(IllegalArgumentException.class, () -> TokenCommand.parseTtl("31d"));
        assertThrows(IllegalArgumentException.class, () -> TokenCommand.parseTtl("soon"));
    }
}
