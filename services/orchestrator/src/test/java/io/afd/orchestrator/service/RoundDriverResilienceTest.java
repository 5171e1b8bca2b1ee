package io.afd.orchestrator.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.orchestrator.config.OrchestratorConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The round driver's scheduled tick survives whatever the database or a step throws, and says so. */
class RoundDriverResilienceTest {

    /** A store whose running-experiment query does what the test says (the database away, an Error, fine). */
    static final class ScriptedStore extends RoundStore {
        final AtomicReference<Supplier<List<String>>> running = new AtomicReference<>(List::of);

        @Override
        public List<String> runningIds() {
            return running.get().get();
        }

        final java.util.Map<String, io.afd.orchestrator.Experiment> updated = new java.util.HashMap<>();

        @Override
        public io.afd.orchestrator.Experiment experiment(String id) {
            return null; // every step of every experiment fails ("unknown experiment")
        }

        @Override
        public void updateExperiment(String id, java.util.function.Consumer<io.afd.orchestrator.Experiment> change) {
            change.accept(updated.computeIfAbsent(id, k -> new io.afd.orchestrator.Experiment()));
        }
    }

    private static OrchestratorConfig config() {
        return new OrchestratorConfig() {
            @Override
            public Duration tick() {
                return Duration.ofMillis(100);
            }

            @Override
            public boolean driverEnabled() {
                return true;
            }

            @Override
            public Duration driverStaleAfter() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration enrolmentTokenTtl() {
                return Duration.ofHours(24);
            }

            @Override
            public Duration giveUpAfter() {
                return Duration.ofMinutes(10);
            }

            @Override
            public Duration waitForClients() {
                return Duration.ofMinutes(5);
            }

            @Override
            public java.util.Optional<String> edgeKafkaBootstrap() {
                return java.util.Optional.empty();
            }
        };
    }

    @Test
    void aTickThatThrowsIsRecordedNotPropagated() {
        ScriptedStore store = new ScriptedStore();
        RoundDriver driver = new RoundDriver(store, null, config(), null, null, null, null);
        store.running.set(() -> {
            throw new IllegalStateException("Unable to acquire JDBC Connection");
        });
        assertDoesNotThrow(driver::scheduledTick);
        assertDoesNotThrow(driver::scheduledTick);
        assertEquals(2, driver.status().consecutiveFailures());
        assertTrue(driver.status().lastError().contains("Unable to acquire JDBC Connection"));
        store.running.set(() -> {
            throw new AssertionError("an Error inside a step");
        });
        assertDoesNotThrow(driver::scheduledTick, "an Error would cancel the schedule for every experiment");
        assertEquals(3, driver.status().consecutiveFailures());
        store.running.set(List::of);
        driver.scheduledTick();
        assertEquals(0, driver.status().consecutiveFailures(), "the database is back: progressing again");
    }

    @Test
    void oneExperimentsFailureDoesNotStopTheOthersOrTheDriver() {
        ScriptedStore store = new ScriptedStore();
        store.running.set(() -> List.of("a", "b"));
        RoundDriver driver = new RoundDriver(store, null, config(), null, null, null, null);
        assertDoesNotThrow(driver::scheduledTick);
        assertEquals(0, driver.status().consecutiveFailures(), "a failing step is retried, not a driver failure");
    }

    @Test
    void aStepThatKeepsFailingFailsItsExperimentWithTheReason() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));
        ScriptedStore store = new ScriptedStore();
        store.running.set(() -> List.of("stuck"));
        RoundDriver driver = new RoundDriver(store, null, config(), null, null, null, null);
        driver.clock(clock(now));
        driver.scheduledTick();
        now.set(now.get().plus(Duration.ofMinutes(9)));
        driver.scheduledTick();
        assertTrue(store.updated.isEmpty(), "retried within give-up-after");
        // meanwhile the API says what is going on (GET /api/experiments/{id}: step)
        String step = driver.step("stuck");
        assertTrue(
                step.startsWith("step failing for 540 s (2 attempts)") && step.contains("unknown experiment stuck"),
                step);
        now.set(now.get().plus(Duration.ofMinutes(2)));
        driver.scheduledTick();
        io.afd.orchestrator.Experiment failed = store.updated.get("stuck");
        assertEquals(io.afd.orchestrator.Experiment.Status.FAILED, failed.status);
        assertTrue(failed.error.contains("a step failed for 660 s (3 attempts"), failed.error);
        assertTrue(failed.error.contains("unknown experiment stuck"), failed.error);
    }

    /** A store holding one running experiment that has its initial model and no client to train it. */
    static final class NoClientsStore extends RoundStore {
        final io.afd.orchestrator.Experiment x = new io.afd.orchestrator.Experiment();

        NoClientsStore() {
            x.id = "idle";
            x.configYaml = """
                    dataset: {kind: synthetic, clients: 4, maxSamplesPerClient: 50}
                    model: mlp(in=60,hidden=16,classes=10)
                    rounds: 2
                    clientsPerRound: 2
                    """;
            x.status = io.afd.orchestrator.Experiment.Status.RUNNING;
            x.modelVersion = 1;
        }

        @Override
        public List<String> runningIds() {
            return x.status == io.afd.orchestrator.Experiment.Status.RUNNING ? List.of(x.id) : List.of();
        }

        @Override
        public io.afd.orchestrator.Experiment experiment(String id) {
            return id.equals(x.id) ? x : null;
        }

        @Override
        public io.afd.orchestrator.RoundRecord round(String id, int round) {
            return null;
        }

        @Override
        public List<String> availableClientIds() {
            return List.of();
        }

        @Override
        public void updateExperiment(String id, java.util.function.Consumer<io.afd.orchestrator.Experiment> change) {
            change.accept(x);
        }
    }

    @Test
    void waitingForClientsHasADeadlineAndThenFailsTheExperimentWithTheReason() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));
        NoClientsStore store = new NoClientsStore();
        RoundDriver driver = new RoundDriver(store, new Evaluator(), config(), null, null, null, null);
        driver.clock(clock(now));
        driver.scheduledTick();
        now.set(now.get().plus(Duration.ofMinutes(4)));
        driver.scheduledTick();
        assertEquals(io.afd.orchestrator.Experiment.Status.RUNNING, store.x.status, "within wait-for-clients");
        String step = driver.step("idle");
        assertEquals("waiting for clients: 0 available, 2 needed (for 240 s; gives up after PT5M)", step);
        now.set(now.get().plus(Duration.ofMinutes(1)));
        driver.scheduledTick();
        assertEquals(io.afd.orchestrator.Experiment.Status.FAILED, store.x.status);
        assertEquals(
                "waiting for clients: 0 available, 2 needed for 300 s (afd.orchestrator.wait-for-clients PT5M)",
                store.x.error);
        assertEquals(0, driver.status().consecutiveFailures());
    }

    @Test
    void aStandbyReplicaStepsNothingAndALostLeaseFailsTheTick() {
        NoClientsStore store = new NoClientsStore();
        RoundDriver driver = new RoundDriver(store, new Evaluator(), config(), null, null, null, null);
        java.util.concurrent.atomic.AtomicInteger mode = new java.util.concurrent.atomic.AtomicInteger();
        driver.leadership = new io.afd.orchestrator.lease.Leadership() {
            @Override
            public boolean leads() {
                return switch (mode.get()) {
                    case 0 -> false;
                    case 1 -> true;
                    default -> throw new IllegalStateException("cannot reach the lease");
                };
            }

            @Override
            public java.util.Map<String, Object> data() {
                return java.util.Map.of();
            }
        };
        driver.scheduledTick();
        assertEquals(null, driver.step("idle"), "a standby does not step");
        assertEquals(0, driver.status().consecutiveFailures(), "standing by is progress");
        mode.set(1);
        driver.scheduledTick();
        assertTrue(driver.step("idle").startsWith("waiting for clients"), driver.step("idle"));
        mode.set(2);
        driver.scheduledTick();
        assertEquals(1, driver.status().consecutiveFailures(), "the lease's database away: a failed tick");
        mode.set(0);
        driver.scheduledTick();
        assertEquals(null, driver.step("idle"), "back to standby: forgets what it saw");
    }

    private static Clock clock(AtomicReference<Instant> now) {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
    }

    @Test
    void healthTurnsDownOnlyAfterTheStaleTime() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));
        Clock clock = clock(now);
        DriverStatus s = new DriverStatus(clock, Duration.ofSeconds(30));
        assertTrue(s.progressing(), "just started");
        now.set(now.get().plusSeconds(31));
        assertFalse(s.progressing(), "never completed a tick in 31 s");
        s.succeeded();
        assertTrue(s.progressing());
        s.failed(new IllegalStateException("db down"));
        now.set(now.get().plusSeconds(29));
        assertTrue(s.progressing(), "within the stale time");
        now.set(now.get().plusSeconds(2));
        assertFalse(s.progressing());
        assertEquals("IllegalStateException: db down", s.data().get("lastError"));
        assertEquals(1, s.data().get("consecutiveFailures"));
    }
}
