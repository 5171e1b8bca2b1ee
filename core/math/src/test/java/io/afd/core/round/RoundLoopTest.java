package io.afd.core.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.codec.CodecSpec;
import io.afd.core.dgc.DgcConfig;
import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.tensor.ParamSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The round loop's control flow against a scripted federation and a clock the test moves: waiting
 * for clients, collecting until all or the deadline, the quorum, failure with a reason, evaluation
 * cadence and completion. Every outcome is a typed value.
 */
class RoundLoopTest {
    private static final ModelSpec MLP = ModelSpec.mlp(4, 2, 6);

    /** A clock the test sets. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

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
            return now;
        }
    }

    /** Records the calls; updates arrive when the test says so. */
    static final class Scripted implements Federation {
        final List<Client> pool = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        int received;
        int version;

        @Override
        public List<Client> pool() {
            return pool;
        }

        @Override
        public int publishInitialModel(ParamSet initial) {
            calls.add("init");
            return version;
        }

        @Override
        public Map<String, Selection> select(int round, List<Client> participants) {
            calls.add("select " + round);
            Map<String, Selection> out = new LinkedHashMap<>();
            participants.forEach(c -> out.put(c.id(), Selection.full(MLP)));
            return out;
        }

        @Override
        public long sendTasks(RoundTask task, int baseVersion, List<ClientAssignment> assignments, Instant deadline) {
            calls.add("send " + task.round() + " x" + assignments.size());
            received = 0;
            return 100L * assignments.size();
        }

        @Override
        public Collected collect(int round) {
            return new Collected(received, 0);
        }

        @Override
        public Closed close(int round) {
            calls.add("close " + round);
            List<ClientOutcome> r = new ArrayList<>();
            for (int i = 0; i < received; i++) {
                r.add(new ClientOutcome(new ClientReport("c" + i, 10, 1.0, Double.NaN), 100, 10));
            }
            return new Closed(round + 1, r, 0);
        }

        @Override
        public void publishResults(int round, Closed closed) {
            calls.add("results " + round);
        }

        @Override
        public Evaluation evaluate(int round, int modelVersion, int batchSize) {
            calls.add("evaluate " + round + " v" + modelVersion + " b" + batchSize);
            return new Evaluation(0.5, 1.0, 100);
        }
    }

    private static RoundSettings settings(int rounds, int perRound, int evalEvery) {
        return new RoundSettings(
                1,
                MLP,
                rounds,
                perRound,
                new TrainConfig(1, 10, 0.1, DgcConfig.dense(0.5)),
                SelectionSettings.of("fedavg", 0),
                CodecSpec.FLOAT32,
                CodecSpec.FLOAT32,
                2.0,
                evalEvery,
                64);
    }

    @Test
    void waitsForClientsThenRunsRoundsEvaluatingAtItsCadence() {
        Scripted fed = new Scripted();
        TestClock clock = new TestClock();
        InMemoryJournal journal = new InMemoryJournal(Duration.ofSeconds(30), 1.0);
        RoundLoop loop = new RoundLoop(new RoundPlanner(settings(3, 2, 2)), fed, journal, clock);

        assertEquals(StepOutcome.Kind.PROGRESSED, loop.advance().kind()); // initial model
        StepOutcome w = loop.advance();
        assertEquals(StepOutcome.Kind.WAITING_FOR_CLIENTS, w.kind());
        assertTrue(w.message().contains("0 available, 2 needed"), w.message());
        fed.pool.add(new Client("c0", 0));
        fed.pool.add(new Client("c1", 1));
        fed.pool.add(new Client("c2", 2));
        for (int t = 0; t < 3; t++) {
            assertEquals(StepOutcome.Kind.PROGRESSED, loop.advance().kind(), "open " + t);
            assertEquals(StepOutcome.Kind.PROGRESSED, loop.advance().kind(), "send " + t);
            assertEquals(StepOutcome.Kind.WAITING, loop.advance().kind(), "nothing received yet");
            fed.received = 2;
            assertEquals(StepOutcome.Kind.PROGRESSED, loop.advance().kind(), "closing " + t);
            assertEquals(StepOutcome.Kind.PROGRESSED, loop.advance().kind(), "aggregated " + t);
            StepOutcome scored = loop.advance();
            assertEquals(
                    t == 2 ? StepOutcome.Kind.COMPLETED : StepOutcome.Kind.PROGRESSED,
                    scored.kind(),
                    scored.toString());
        }
        assertEquals(StepOutcome.Kind.NOT_RUNNING, loop.advance().kind());
        // evalEvery 2: rounds 0 and 2 (the last) are evaluated, round 1 is not
        assertEquals(
                List.of("evaluate 0 v1 b64", "evaluate 2 v3 b64"),
                fed.calls.stream().filter(c -> c.startsWith("evaluate")).toList());
        assertEquals(3, journal.modelVersion());
        assertEquals(1, fed.calls.stream().filter(c -> c.equals("init")).count());
    }

    @Test
    void atTheDeadlineAQuorumClosesTheRoundAndTooFewUpdatesFailItWithAReason() {
        Scripted fed = new Scripted();
        for (int k = 0; k < 4; k++) {
            fed.pool.add(new Client("c" + k, k));
        }
        TestClock clock = new TestClock();
        InMemoryJournal journal = new InMemoryJournal(Duration.ofSeconds(30), 0.5);
        RoundLoop loop = new RoundLoop(new RoundPlanner(settings(2, 4, 1)), fed, journal, clock);
        loop.run(3); // initial model, open, send
        fed.received = 2;
        assertEquals(StepOutcome.Kind.WAITING, loop.advance().kind(), "before the deadline all four are awaited");
        clock.now = clock.now.plusSeconds(31);
        StepOutcome closing = loop.advance();
        assertEquals(StepOutcome.Kind.PROGRESSED, closing.kind());
        assertTrue(closing.message().contains("2/4"), closing.message());
        loop.run(3); // aggregated, scored, round 1 opened
        loop.advance(); // round 1 tasks sent
        fed.received = 1;
        clock.now = clock.now.plusSeconds(31);
        StepOutcome failed = loop.advance();
        assertEquals(StepOutcome.Kind.FAILED, failed.kind());
        assertEquals("round 1 missed its quorum: 1 of 4 updates by the deadline (need 2)", failed.message());
        assertEquals(RoundState.FAILED, journal.round(1).state());
        assertEquals(StepOutcome.Kind.NOT_RUNNING, loop.advance().kind());
        assertNull(
                fed.calls.stream().filter(c -> c.equals("close 1")).findAny().orElse(null),
                "a failed round is not closed");
    }
}
