package io.afd.services.common.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.protocol.Secrets;
import io.afd.protocol.api.ClientSecret;
import io.afd.services.common.client.OrchestratorClient;
import io.afd.services.common.config.SecretsConfig;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shared client-secret lookup: static first, then the orchestrator, with its two caches. */
class ClientSecretsTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    /** What the stand-in orchestrator knows; a RuntimeException value is thrown instead of answered. */
    private final Map<String, Object> orchestrator = new HashMap<>();

    private final List<String> asked = new ArrayList<>();

    private record Config(
            Map<String, String> staticSecrets,
            boolean orchestratorLookup,
            Optional<Duration> cacheTtl,
            Duration unknownTtl)
            implements SecretsConfig {}

    private ClientSecrets secrets(Map<String, String> fixed, boolean lookup, Duration ttl, Duration unknownTtl) {
        OrchestratorClient client = id -> {
            asked.add(id);
            Object v = orchestrator.get(id);
            if (v == null) {
                throw new NotFoundException("no client " + id);
            }
            if (v instanceof RuntimeException e) {
                throw e;
            }
            return new ClientSecret(id, (String) v, 40 + id.length());
        };
        return new ClientSecrets(new Config(fixed, lookup, Optional.ofNullable(ttl), unknownTtl), client, now::get);
    }

    private static String secret(int n) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) n);
        return Secrets.encode(b);
    }

    @Test
    void theEnrolledSampleCountComesWithTheFetchedSecret() {
        orchestrator.put("abc", secret(3));
        ClientSecrets s = secrets(Map.of("fixed", secret(1)), true, null, Duration.ZERO);
        assertTrue(s.enrolledSamples("abc").isEmpty(), "unknown until the secret is fetched");
        s.secretFor("abc");
        assertEquals(43, s.enrolledSamples("abc").getAsInt());
        s.secretFor("fixed");
        assertTrue(s.enrolledSamples("fixed").isEmpty(), "a static secret carries no count");
    }

    @Test
    void staticSecretsComeFirstAndNeedNoOrchestrator() {
        orchestrator.put("a", secret(2));
        ClientSecrets s = secrets(Map.of("a", secret(1)), true, null, Duration.ZERO);
        assertArrayEquals(Secrets.decode(secret(1)), s.secretFor("a"));
        assertEquals(List.of(), asked);
        assertNull(secrets(Map.of(), false, null, Duration.ZERO).secretFor("a"), "lookup off: only static ones");
        assertEquals(List.of(), asked);
    }

    @Test
    void anInvalidStaticSecretFailsAtConstruction() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> secrets(Map.of("a", "short"), true, null, Duration.ZERO));
        assertTrue(e.getMessage().contains("afd.secrets.static.a"), e.getMessage());
    }

    @Test
    void answersAreCachedForTheTtl() {
        orchestrator.put("b", secret(3));
        ClientSecrets s = secrets(Map.of(), true, Duration.ofMinutes(10), Duration.ZERO);
        assertArrayEquals(Secrets.decode(secret(3)), s.secretFor("b"));
        now.addAndGet(599 * SECOND);
        s.secretFor("b");
        assertEquals(List.of("b"), asked);
        now.addAndGet(2 * SECOND);
        orchestrator.put("b", secret(4));
        assertArrayEquals(Secrets.decode(secret(4)), s.secretFor("b"), "read again after the ttl");
        assertEquals(List.of("b", "b"), asked);
    }

    @Test
    void withoutATtlAnswersAreKeptUntilRestart() {
        orchestrator.put("b", secret(3));
        ClientSecrets s = secrets(Map.of(), true, null, Duration.ZERO);
        s.secretFor("b");
        now.addAndGet(86_400 * SECOND);
        orchestrator.put("b", new ProcessingException("orchestrator down"));
        assertArrayEquals(Secrets.decode(secret(3)), s.secretFor("b"));
        assertEquals(List.of("b"), asked);
    }

    @Test
    void unknownClientsAreRememberedForTheUnknownTtl() {
        ClientSecrets s = secrets(Map.of(), true, null, Duration.ofSeconds(30));
        assertNull(s.secretFor("c"));
        now.addAndGet(29 * SECOND);
        orchestrator.put("c", secret(5));
        assertNull(s.secretFor("c"), "still remembered as unknown");
        assertEquals(List.of("c"), asked);
        now.addAndGet(2 * SECOND);
        assertArrayEquals(Secrets.decode(secret(5)), s.secretFor("c"));
        assertEquals(List.of("c", "c"), asked);
    }

    @Test
    void withoutAnUnknownTtlEveryLookupAsksAgain() {
        ClientSecrets s = secrets(Map.of(), true, Duration.ofMinutes(10), Duration.ZERO);
        assertNull(s.secretFor("d"));
        assertNull(s.secretFor("d"));
        assertEquals(List.of("d", "d"), asked);
    }

    @Test
    void orchestratorFailuresAreUnavailableNotUnknown() {
        ClientSecrets s = secrets(Map.of(), true, null, Duration.ofSeconds(30));
        orchestrator.put("e", new ProcessingException("connection refused"));
        ClientSecrets.Unavailable down = assertThrows(ClientSecrets.Unavailable.class, () -> s.secretFor("e"));
        assertEquals(502, down.getResponse().getStatus());
        assertTrue(down.getMessage().contains("connection refused"), down.getMessage());
        orchestrator.put("e", new ServerErrorException(Response.Status.INTERNAL_SERVER_ERROR));
        assertTrue(assertThrows(ClientSecrets.Unavailable.class, () -> s.secretFor("e"))
                .getMessage()
                .contains("HTTP 500"));
        orchestrator.put("e", "not a secret");
        assertTrue(assertThrows(ClientSecrets.Unavailable.class, () -> s.secretFor("e"))
                .getMessage()
                .contains("invalid"));
        orchestrator.put("e", secret(6));
        assertArrayEquals(Secrets.decode(secret(6)), s.secretFor("e"), "failures are not remembered");
    }
}
