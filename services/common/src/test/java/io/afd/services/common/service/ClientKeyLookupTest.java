package io.afd.services.common.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.protocol.SigningKey;
import io.afd.protocol.VerifyKey;
import io.afd.protocol.api.ClientKeys;
import io.afd.services.common.client.OrchestratorClient;
import io.afd.services.common.config.ClientKeysConfig;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shared client-key lookup: static first, then the orchestrator, with its caches and revocation. */
class ClientKeyLookupTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Duration TTL = Duration.ofSeconds(30);

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    /** What the stand-in orchestrator knows: a list of keys, or a RuntimeException to throw. */
    private final Map<String, Object> orchestrator = new HashMap<>();

    private final List<String> asked = new ArrayList<>();

    private record Config(
            Map<String, String> staticKeys, boolean orchestratorLookup, Duration cacheTtl, Duration unknownTtl)
            implements ClientKeysConfig {}

    private ClientKeyLookup lookup(Map<String, String> fixed, boolean lookup, Duration ttl, Duration unknownTtl) {
        OrchestratorClient client = id -> {
            asked.add(id);
            Object v = orchestrator.get(id);
            if (v == null) {
                throw new NotFoundException("no client " + id);
            }
            if (v instanceof RuntimeException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<ClientKeys.PublicKey> keys = (List<ClientKeys.PublicKey>) v;
            return new ClientKeys(id, 40 + id.length(), keys);
        };
        return new ClientKeyLookup(new Config(fixed, lookup, ttl, unknownTtl), client, now::get);
    }

    private static VerifyKey key(int n) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) n);
        return SigningKey.fromSeed(b).verifyKey();
    }

    private static List<ClientKeys.PublicKey> listed(VerifyKey... keys) {
        List<ClientKeys.PublicKey> out = new ArrayList<>();
        for (VerifyKey k : keys) {
            out.add(new ClientKeys.PublicKey(k.keyId(), k.text()));
        }
        return out;
    }

    @Test
    void theEnrolledSampleCountComesWithTheFetchedKeys() {
        orchestrator.put("abc", listed(key(3)));
        ClientKeyLookup s = lookup(Map.of("fixed", key(1).text()), true, TTL, Duration.ZERO);
        assertTrue(s.enrolledSamples("abc").isEmpty(), "unknown until the keys are fetched");
        assertEquals(key(3), s.find("abc", key(3).keyId()));
        assertEquals(43, s.enrolledSamples("abc").getAsInt());
        s.find("fixed", key(1).keyId());
        assertTrue(s.enrolledSamples("fixed").isEmpty(), "a static key carries no count");
    }

    @Test
    void staticKeysComeFirstAndNeedNoOrchestrator() {
        orchestrator.put("a", listed(key(2)));
        ClientKeyLookup s = lookup(Map.of("a", key(1).text()), true, TTL, Duration.ZERO);
        assertEquals(key(1), s.find("a", key(1).keyId()));
        assertNull(s.find("a", key(2).keyId()), "a static client has exactly its static key");
        assertTrue(s.knows("a"));
        assertEquals(List.of(), asked);
        ClientKeyLookup off = lookup(Map.of(), false, TTL, Duration.ZERO);
        assertNull(off.find("a", key(2).keyId()), "lookup off: only static ones");
        assertFalse(off.knows("a"));
        assertEquals(List.of(), asked);
    }

    @Test
    void anInvalidStaticKeyFailsAtConstruction() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> lookup(Map.of("a", "short"), true, TTL, Duration.ZERO));
        assertTrue(e.getMessage().contains("afd.client-keys.static.a"), e.getMessage());
    }

    @Test
    void answersAreCachedForTheTtlAndForgottenOnRevocation() {
        orchestrator.put("b", listed(key(3)));
        ClientKeyLookup s = lookup(Map.of(), true, Duration.ofMinutes(10), Duration.ZERO);
        assertEquals(key(3), s.find("b", key(3).keyId()));
        now.addAndGet(599 * SECOND);
        s.find("b", key(3).keyId());
        assertEquals(List.of("b"), asked);
        now.addAndGet(2 * SECOND);
        orchestrator.put("b", listed(key(4)));
        assertNull(s.find("b", key(3).keyId()), "read again after the ttl: key 3 is gone");
        assertEquals(List.of("b", "b"), asked);
        // revoked while cached: forget drops the answer at once
        orchestrator.put("b", listed());
        assertEquals(key(4), s.find("b", key(4).keyId()));
        s.forget("b");
        assertNull(s.find("b", key(4).keyId()));
        assertTrue(s.knows("b"), "a client whose keys are all revoked is still known");
    }

    @Test
    void aKeyEnrolledSinceIsFoundByAskingAgainAtMostOnceASecond() {
        orchestrator.put("r", listed(key(5)));
        ClientKeyLookup s = lookup(Map.of(), true, TTL, Duration.ZERO);
        s.find("r", key(5).keyId());
        orchestrator.put("r", listed(key(5), key(6)));
        assertNull(s.find("r", key(6).keyId()), "within a second the cached answer stands");
        assertNull(s.find("r", key(6).keyId()));
        assertEquals(List.of("r"), asked);
        now.addAndGet(2 * SECOND);
        assertEquals(key(6), s.find("r", key(6).keyId()), "rotation: the new key is fetched");
        assertEquals(key(5), s.find("r", key(5).keyId()), "the old one stays until it is revoked");
        assertEquals(List.of("r", "r"), asked);
    }

    @Test
    void unknownClientsAreRememberedForTheUnknownTtl() {
        ClientKeyLookup s = lookup(Map.of(), true, TTL, Duration.ofSeconds(30));
        assertFalse(s.knows("c"));
        now.addAndGet(29 * SECOND);
        orchestrator.put("c", listed(key(5)));
        assertNull(s.find("c", key(5).keyId()), "still remembered as unknown");
        assertEquals(List.of("c"), asked);
        now.addAndGet(2 * SECOND);
        assertEquals(key(5), s.find("c", key(5).keyId()));
        assertEquals(List.of("c", "c"), asked);
    }

    @Test
    void withoutAnUnknownTtlEveryLookupAsksAgain() {
        ClientKeyLookup s = lookup(Map.of(), true, TTL, Duration.ZERO);
        assertNull(s.find("d", key(1).keyId()));
        assertNull(s.find("d", key(1).keyId()));
        assertEquals(List.of("d", "d"), asked);
    }

    @Test
    void orchestratorFailuresAreUnavailableNotUnknown() {
        ClientKeyLookup s = lookup(Map.of(), true, TTL, Duration.ofSeconds(30));
        String kid = key(6).keyId();
        orchestrator.put("e", new ProcessingException("connection refused"));
        ClientKeyLookup.Unavailable down = assertThrows(ClientKeyLookup.Unavailable.class, () -> s.find("e", kid));
        assertEquals(502, down.getResponse().getStatus());
        assertTrue(down.getMessage().contains("connection refused"), down.getMessage());
        orchestrator.put("e", new ServerErrorException(Response.Status.INTERNAL_SERVER_ERROR));
        assertTrue(assertThrows(ClientKeyLookup.Unavailable.class, () -> s.find("e", kid))
                .getMessage()
                .contains("HTTP 500"));
        orchestrator.put("e", List.of(new ClientKeys.PublicKey(kid, "not a key")));
        assertTrue(assertThrows(ClientKeyLookup.Unavailable.class, () -> s.find("e", kid))
                .getMessage()
                .contains("invalid"));
        orchestrator.put("e", List.of(new ClientKeys.PublicKey("0000000000000000", key(6).text())));
        assertTrue(assertThrows(ClientKeyLookup.Unavailable.class, () -> s.find("e", kid))
                .getMessage()
                .contains("not the key's"));
        orchestrator.put("e", listed(key(6)));
        assertEquals(key(6), s.find("e", kid), "failures are not remembered");
    }
}
