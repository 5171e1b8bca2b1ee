package io.afd.packager.service;

import io.afd.core.codec.CodecSpec;
import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.ParamSet;
import io.afd.packager.PublishedTask;
import io.afd.packager.config.PackagerConfig;
import io.afd.packager.messaging.TaskPublisher;
import io.afd.protocol.Ids;
import io.afd.protocol.SigningKey;
import io.afd.protocol.TrainingConfig;
import io.afd.protocol.api.TaskRequest;
import io.afd.protocol.api.TaskResult;
import io.afd.services.common.service.ServerKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Builds a round's tasks and publishes them (docs/services.md step 4): validate the request, skip the
 * clients whose task is already recorded, fetch the global weights, and per remaining client extract
 * the sub-model, encode, sign, chunk, publish and record.
 *
 * <p><b>Idempotency.</b> A row is recorded per (experiment, round, client) only after Kafka acknowledged
 * every envelope of that client's task. A repeated request publishes the tasks of the participants
 * that have no row yet (none when the first call succeeded) and answers the stored byte counts for the
 * others. A repeat that asks for a different model version, selection or index for a recorded client
 * is a conflict (409). Requests for the same round are serialized inside one packager; should two
 * packager replicas race, a client may get its task twice (each with its own message id): clients run a
 * task once per (experimentId, round), and the unique row keeps one byte count.
 */
@ApplicationScoped
@Startup // an invalid afd.packager.chunk-bytes or afd.server-key fails the start, not the first request
public class PackagerService {
    private static final Logger LOG = Logger.getLogger(PackagerService.class);
    private static final long MAX_SAFE = (1L << 53) - 1;

    private final WeightsService weights;
    private final SigningKey serverKey;
    private final TaskPublisher publisher;
    private final TaskStore store;
    private final TaskBuilder builder;
    private final ReentrantLock[] locks = new ReentrantLock[64];
    private final Counter tasksCounter;
    private final Counter envelopesCounter;
    private final Counter bytesCounter;

    public PackagerService(
            WeightsService weights,
            ServerKey serverKey,
            TaskPublisher publisher,
            TaskStore store,
            PackagerConfig config,
            MeterRegistry meters) {
        this.weights = weights;
        this.serverKey = serverKey.signingKey();
        this.publisher = publisher;
        this.store = store;
        this.builder = new TaskBuilder(config.chunkBytes());
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
        this.tasksCounter = meters.counter("afd.packager.tasks.published");
        this.envelopesCounter = meters.counter("afd.packager.envelopes.published");
        this.bytesCounter = meters.counter("afd.packager.bytes.published");
    }

    /** A validated participant. */
    record Participant(String clientId, int index, Selection selection) {}

    /** A validated request. */
    record Plan(TaskBuilder.Round round, List<Participant> participants) {}

    static void checkRound(int round) {
        if (round < 0) {
            throw new BadRequestException("round must be >= 0, got " + round);
        }
    }

    /** Publishes the tasks of a round (see the class doc for repeats). */
    public TaskResult publish(String experimentId, int round, TaskRequest request) {
        Plan plan = validate(experimentId, round, request);
        ReentrantLock lock = locks[Math.floorMod((experimentId + "/" + round).hashCode(), locks.length)];
        lock.lock();
        try {
            return publishLocked(plan);
        } finally {
            lock.unlock();
        }
    }

    private TaskResult publishLocked(Plan plan) {
        TaskBuilder.Round r = plan.round();
        try (var log = io.afd.services.common.logging.LogContext.of(r.experimentId(), r.round(), null)) {
            return publishLogged(plan, r);
        }
    }

    private TaskResult publishLogged(Plan plan, TaskBuilder.Round r) {
        Map<String, PublishedTask> stored = new HashMap<>();
        for (PublishedTask t : store.ofRound(r.experimentId(), r.round())) {
            stored.put(t.clientId, t);
        }
        List<Participant> missing = new ArrayList<>();
        for (Participant p : plan.participants()) {
            PublishedTask t = stored.get(p.clientId());
            if (t == null) {
                missing.add(p);
            } else {
                checkSame(r, p, t);
            }
        }
        if (!missing.isEmpty()) {
            ParamSet global = weights.weights(r.experimentId(), r.modelVersion(), r.spec());
            Map<String, SubModelLayout> layouts = new HashMap<>();
            // Tasks are sent without waiting for each acknowledgement (one round trip per client made 1,000 clients
            // take minutes); a task is recorded once Kafka acknowledged it, as before. At most MAX_IN_FLIGHT tasks
            // or MAX_IN_FLIGHT_BYTES of envelopes wait at once, so large sub-models do not pile up in memory.
            java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();
            long inFlightBytes = 0;
            try {
                for (Participant p : missing) {
                    SubModelLayout layout = layouts.computeIfAbsent(
                            p.selection().id(), id -> new SubModelLayout(r.spec(), p.selection()));
                    InFlight f = send(r, p, layout, global);
                    inFlight.add(f);
                    inFlightBytes += f.built().bytes();
                    while (inFlight.size() > MAX_IN_FLIGHT || inFlightBytes > MAX_IN_FLIGHT_BYTES) {
                        InFlight done = inFlight.poll();
                        inFlightBytes -= done.built().bytes();
                        stored.put(done.participant().clientId(), finish(r, done));
                    }
                }
                while (!inFlight.isEmpty()) {
                    InFlight done = inFlight.poll();
                    stored.put(done.participant().clientId(), finish(r, done));
                }
            } catch (RuntimeException e) {
                // record what Kafka did take, so that the caller's retry sends only the rest again
                for (InFlight f : inFlight) {
                    try {
                        finish(r, f);
                    } catch (RuntimeException ignored) {
                        // this one is sent again on the retry
                    }
                }
                throw e;
            }
            LOG.infof(
                    "published %d task(s) of round %d of %s (%d already published, %d distinct sub-models)",
                    missing.size(),
                    r.round(),
                    r.experimentId(),
                    plan.participants().size() - missing.size(),
                    layouts.size());
        }
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (Participant p : plan.participants()) {
            bytes.put(p.clientId(), stored.get(p.clientId()).bytes);
        }
        return new TaskResult(bytes);
    }

    /** Tasks sent and not yet acknowledged, at most this many ... */
    static final int MAX_IN_FLIGHT = 256;

    /** ... and at most this many envelope bytes. */
    static final long MAX_IN_FLIGHT_BYTES = 64L << 20;

    /** A task handed to Kafka, waiting for its acknowledgement. */
    private record InFlight(Participant participant, TaskBuilder.Built built, CompletableFuture<Void> acked) {}

    private InFlight send(TaskBuilder.Round r, Participant p, SubModelLayout layout, ParamSet global) {
        TaskBuilder.Built b;
        try {
            b = builder.build(r, p.clientId(), p.index(), layout, global, serverKey);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(
                    "participants." + p.clientId() + ": cannot build its task: " + e.getMessage());
        }
        return new InFlight(p, b, publisher.send(p.clientId(), b.envelopes()));
    }

    /** Waits for a sent task's acknowledgement and records it. */
    private PublishedTask finish(TaskBuilder.Round r, InFlight f) {
        Participant p = f.participant();
        TaskBuilder.Built b = f.built();
        publisher.await(p.clientId(), f.acked());
        tasksCounter.increment();
        envelopesCounter.increment(b.chunks());
        bytesCounter.increment(b.bytes());
        try {
            return store.record(
                    r.experimentId(),
                    r.round(),
                    p.clientId(),
                    p.index(),
                    r.modelVersion(),
                    p.selection().id(),
                    b.bytes(),
                    b.chunks(),
                    b.messageId());
        } catch (PersistenceException e) {
            // another packager recorded this client meanwhile: keep its row
            for (PublishedTask t : store.ofRound(r.experimentId(), r.round())) {
                if (t.clientId.equals(p.clientId())) {
                    return t;
                }
            }
            throw e;
        }
    }

    private static void checkSame(TaskBuilder.Round r, Participant p, PublishedTask t) {
        String what = null;
        if (t.modelVersion != r.modelVersion()) {
            what = "model version " + t.modelVersion + ", not " + r.modelVersion();
        } else if (!t.selectionId.equals(p.selection().id())) {
            what = "selection " + t.selectionId + ", not " + p.selection().id();
        } else if (t.clientIndex != p.index()) {
            what = "index " + t.clientIndex + ", not " + p.index();
        }
        if (what != null) {
            throw new ClientErrorException(
                    "round " + r.round() + " of experiment '" + r.experimentId() + "' already published the task of '"
                            + p.clientId() + "' with " + what,
                    Response.Status.CONFLICT);
        }
    }

    /** The stored tasks of a round. */
    public List<PublishedTask> published(String experimentId, int round) {
        Ids.require(experimentId, "experiment id");
        checkRound(round);
        List<PublishedTask> rows = store.ofRound(experimentId, round);
        if (rows.isEmpty()) {
            throw new NotFoundException(
                    "no task of round " + round + " of experiment '" + experimentId + "' has been published");
        }
        return rows;
    }

    // ------------------------------------------------------------------ validation

    static Plan validate(String experimentId, int round, TaskRequest q) {
        Ids.require(experimentId, "experiment id");
        checkRound(round);
        if (q == null) {
            throw new BadRequestException("a TaskRequest body is required");
        }
        ModelSpec spec = parse("architecture", q.architecture(), ModelSpec::parse);
        if (q.modelVersion() < 0) {
            throw new BadRequestException("modelVersion must be >= 0, got " + q.modelVersion());
        }
        TrainingConfig train = q.train();
        if (train == null) {
            throw new BadRequestException("train is required");
        }
        CodecSpec down = parse("downlink", q.downlink(), CodecSpec::parse);
        CodecSpec up = parse("uplink", q.uplink(), CodecSpec::parse);
        boolean initialLoss = train.computeInitialLoss();
        if (q.deadlineEpochMs() < 0 || q.deadlineEpochMs() > MAX_SAFE) {
            throw new BadRequestException("deadlineEpochMs must be in [0, 2^53 - 1], got " + q.deadlineEpochMs());
        }
        if (q.participants() == null || q.participants().isEmpty()) {
            throw new BadRequestException("participants must name at least one client");
        }
        if (q.participants().size() > TrainingConfig.MAX_CLIENTS_IN_ROUND) {
            throw new BadRequestException("participants: at most " + TrainingConfig.MAX_CLIENTS_IN_ROUND
                    + " clients per round, got " + q.participants().size());
        }
        List<Participant> ps = new ArrayList<>();
        Map<Integer, String> byIndex = new HashMap<>();
        Map<String, Selection> parsed = new HashMap<>();
        for (Map.Entry<String, TaskRequest.Participant> e : q.participants().entrySet()) {
            String id = e.getKey();
            Ids.require(id, "participants: client id");
            TaskRequest.Participant p = e.getValue();
            String field = "participants." + id;
            if (p == null) {
                throw new BadRequestException(field + " must be {\"index\": k, \"selection\": \"...\"}");
            }
            if (p.index() < 0) {
                throw new BadRequestException(field + ".index must be >= 0, got " + p.index());
            }
            String other = byIndex.putIfAbsent(p.index(), id);
            if (other != null) {
                throw new BadRequestException(field + ".index " + p.index() + " is also the index of '" + other
                        + "' (indices seed each client's codecs and training)");
            }
            if (p.selection() == null) {
                throw new BadRequestException(field + ".selection is required");
            }
            Selection sel = parsed.get(p.selection());
            if (sel == null) {
                try {
                    sel = Selection.parse(p.selection());
                    sel.validate(spec);
                } catch (RuntimeException ex) {
                    throw new BadRequestException(field + ".selection does not fit " + spec + ": " + ex.getMessage());
                }
                parsed.put(p.selection(), sel);
            }
            ps.add(new Participant(id, p.index(), sel));
        }
        TaskBuilder.Round r = new TaskBuilder.Round(
                experimentId,
                round,
                q.modelVersion(),
                spec,
                train,
                down,
                up,
                q.seed(),
                initialLoss,
                q.deadlineEpochMs());
        return new Plan(r, ps);
    }

    private static <T> T parse(String field, String text, java.util.function.Function<String, T> parser) {
        if (text == null || text.isBlank()) {
            throw new BadRequestException(field + " is required");
        }
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            throw new BadRequestException(field + ": " + e.getMessage());
        }
    }
}
