package io.afd.aggregator.service;

import io.afd.aggregator.Rejection;
import io.afd.aggregator.config.AggregatorConfig;
import io.afd.aggregator.messaging.Publisher;
import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.fedavg.UpdateRejectedException;
import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.protocol.ClientTask;
import io.afd.protocol.ClientUpdate;
import io.afd.protocol.DeadLetter;
import io.afd.protocol.Envelope;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.Ids;
import io.afd.protocol.MessageType;
import io.afd.protocol.ProtocolException;
import io.afd.protocol.Reassembler;
import io.afd.protocol.Secrets;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The update pipeline, one Kafka record at a time (docs/services.md step 6, docs/protocol.md §3, §5, §8).
 *
 * <ol>
 * <li>Decode and verify the envelope with the client's public key ({@code malformed}, {@code unknown_client},
 *     {@code unknown_key}, {@code bad_signature}, {@code invalid_header}, ... from the protocol); it must be a
 *     {@code CLIENT_UPDATE} ({@code unsupported_type}), carried under its client's id as the record key
 *     ({@code wrong_record_key}), signed recently ({@code expired}: more than
 *     {@code afd.aggregator.max-update-age} ago, or more than {@code afd.aggregator.max-clock-skew} ahead).</li>
 * <li>Reassemble chunks (bounded memory; {@code too_large}, {@code chunk_inconsistent},
 *     {@code checksum_mismatch}, {@code reassembly_full}; messages incomplete after the maximum age are
 *     evicted as {@code reassembly_timeout}). The records of an incomplete message are acknowledged only
 *     when the message is finished, so their Kafka offsets are not committed before.</li>
 * <li>For a whole update: {@code unknown_round}, {@code stale_round} (round not open), {@code deadline_passed}
 *     (arrived, or signed, after the round's deadline), {@code not_selected},
 *     {@code wrong_selection} (selection id differs from the participant's), {@code wrong_model_version}
 *     (not the round's base version), {@code duplicate}, {@code too_large}
 *     ({@code afd.aggregator.max-update-bytes}), {@code codec_error} (not a valid AFDT blob), then core's
 *     FedAvg checks ({@code wrong_shape}, {@code non_finite}, {@code out_of_range}, ...).</li>
 * <li>Accepted: stored in one transaction (unique per round and client, and per Kafka record: a
 *     redelivered record is recognised and skipped). Rejected: a dead letter on {@code afd.dead-letter} and a
 *     row in {@code rejection} (once per record).</li>
 * </ol>
 * A record is acknowledged only after its outcome is written. Failures of the database, Kafka or the
 * orchestrator are retried ({@link TransientFailure}); after the last attempt the exception propagates and
 * the record is not acknowledged.
 */
@ApplicationScoped
public class Intake {
    private static final Logger LOG = Logger.getLogger(Intake.class);

    /** Reason codes of the aggregator's own checks (the protocol's and core's come with their exceptions). */
    public static final String UNKNOWN_ROUND = "unknown_round";

    public static final String UNSUPPORTED_TYPE = ProtocolException.Reason.UNSUPPORTED_TYPE.code();
    public static final String WRONG_SELECTION = "wrong_selection";
    public static final String TOO_LARGE = ProtocolException.Reason.TOO_LARGE.code();
    /** The reason of an update whose tensors are not its sub-model's (the accumulator's code). */
    public static final String WRONG_SHAPE = "wrong_shape";
    /** The reason of an update claiming more samples than its client enrolled with (the accumulator's code). */
    public static final String BAD_SAMPLE_COUNT = "bad_sample_count";

    public static final String INTERNAL_ERROR = "internal_error";
    /** The reason of an update whose Kafka record key is not the client id it is signed for. */
    public static final String WRONG_RECORD_KEY = "wrong_record_key";
    /** The reason of an update signed too long ago, or in the future. */
    public static final String EXPIRED = "expired";

    /** One consumed Kafka record and how to acknowledge it. */
    public record InRecord(String topic, int partition, long offset, String key, byte[] value, Runnable ack) {}

    private final AggregatorConfig config;
    private final IntakeStatus status;
    private final EnvelopeKeys keys;
    private final UpdateStore store;
    private final Validators validators;
    private final Publisher publisher;
    private final MeterRegistry metrics;
    private final Map<String, List<Runnable>> held = new HashMap<>();
    private final ScheduledExecutorService evictor;
    private volatile Reassembler reassembler;

    public Intake(
            AggregatorConfig config,
            EnvelopeKeys keys,
            UpdateStore store,
            Validators validators,
            Publisher publisher,
            MeterRegistry metrics,
            IntakeStatus status) {
        this.status = status;
        this.config = config;
        this.keys = keys;
        this.store = store;
        this.validators = validators;
        this.publisher = publisher;
        this.metrics = metrics;
        this.reassembler = newReassembler();
        // what the reassembly holds, and whether intake is paused by a failing dependency
        io.micrometer.core.instrument.Gauge.builder(
                        "afd.aggregator.reassembly.messages", this, i -> i.reassembler.messagesInFlight())
                .description("chunked updates being reassembled")
                .register(metrics);
        io.micrometer.core.instrument.Gauge.builder(
                        "afd.aggregator.reassembly.bytes", this, i -> i.reassembler.bytesInFlight())
                .baseUnit("bytes")
                .register(metrics);
        io.micrometer.core.instrument.Gauge.builder(
                        "afd.aggregator.intake.paused", status, s -> s.pause() == null ? 0 : 1)
                .description("1 while intake waits for a failing dependency (readiness updates-intake DOWN)")
                .register(metrics);
        long every = Math.max(100, config.reassembly().evictionInterval().toMillis());
        this.evictor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "afd-aggregator-reassembly-evictor");
            t.setDaemon(true);
            return t;
        });
        evictor.scheduleWithFixedDelay(this::evictExpired, every, every, TimeUnit.MILLISECONDS);
    }

    private Reassembler newReassembler() {
        AggregatorConfig.Reassembly r = config.reassembly();
        long inFlight = r.maxBytesInFlight();
        int payloadCap = (int) Math.min(config.maxUpdateBytes(), inFlight);
        Reassembler.Limits limits = Reassembler.Limits.defaults()
                .withMaxBytesInFlight(inFlight)
                .withMaxMessagesInFlight(r.maxMessagesInFlight())
                .withMaxAgeMillis(r.maxAge().toMillis())
                .withMaxChunkCount(r.maxChunkCount())
                .withMaxPayloadBytes(payloadCap);
        long perClientBytes = r.maxBytesPerClient() > 0 ? r.maxBytesPerClient() : Math.min(inFlight, 2L * payloadCap);
        limits = limits.withPerSender(Math.min(r.maxMessagesPerClient(), r.maxMessagesInFlight()), perClientBytes);
        return new Reassembler(limits, () -> System.nanoTime() / 1_000_000, this::onEviction);
    }

    @PreDestroy
    void stop() {
        evictor.shutdownNow();
    }

    /**
     * Drops all in-memory state (partial chunked messages, validators) as a restart would; records held for
     * incomplete messages are not acknowledged. For tests of restart equivalence.
     */
    public void resetInMemoryState() {
        synchronized (held) {
            held.clear();
        }
        reassembler = newReassembler();
        validators.clear();
    }

    /** Processes one record; acknowledges it (and the records of a message it completes) once handled. */
    public void process(InRecord rec) {
        Envelope env = retrying("decoding", () -> decode(rec));
        if (env == null) {
            rec.ack().run();
            return;
        }
        String messageKey = env.chunked() ? env.signer() + "/" + env.chunk().messageId() : null;
        Reassembler.Result result;
        try {
            result = reassembler.offer(env);
        } catch (ProtocolException e) {
            ClientUpdate u = env.header(ClientUpdate.class);
            retrying(
                    "recording a rejection",
                    () -> reject(
                            e.reason().code(),
                            e.getMessage(),
                            rec,
                            env.wireLength(),
                            u.clientId(),
                            u.experimentId(),
                            u.round()));
            ackHeld(messageKey);
            rec.ack().run();
            return;
        }
        switch (result.status()) {
            case PENDING -> hold(messageKey, rec.ack());
            case DUPLICATE, DISCARDED -> rec.ack().run();
            case COMPLETE -> {
                retrying("handling an update", () -> handleSafely(result.message(), rec));
                ackHeld(messageKey);
                rec.ack().run();
            }
            default -> throw new IllegalStateException("unexpected reassembly status " + result.status());
        }
    }

    /** Checks the reassembler for messages past their maximum age (also done on every record). */
    public void evictExpired() {
        try {
            reassembler.evictExpired();
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not record a reassembly timeout; its records stay unacknowledged");
        }
    }

    /** The verified update envelope, or null when the record was rejected (and recorded). */
    private Envelope decode(InRecord rec) {
        String keyHint = Ids.matches(rec.key()) ? rec.key() : null;
        Envelope env;
        try {
            env = EnvelopeCodec.decode(rec.value(), keys, config.maxEnvelopeBytes());
        } catch (ProtocolException e) {
            reject(e.reason().code(), e.getMessage(), rec, rec.value().length, keyHint, null, null);
            return null;
        }
        if (env.type() != MessageType.CLIENT_UPDATE) {
            String client = env.header() instanceof ClientTask t ? t.clientId() : keyHint;
            reject(
                    UNSUPPORTED_TYPE,
                    "expected a CLIENT_UPDATE envelope (type 2) on " + rec.topic() + ", got " + env.type() + " (type "
                            + env.type().code() + ")",
                    rec,
                    rec.value().length,
                    client,
                    null,
                    null);
            return null;
        }
        ClientUpdate u = env.header(ClientUpdate.class);
        if (!u.clientId().equals(rec.key())) {
            reject(
                    WRONG_RECORD_KEY,
                    "the update is signed by client " + u.clientId() + " but its record key is "
                            + (rec.key() == null ? "null" : "'" + rec.key() + "'")
                            + "; a client's updates go under its own id",
                    rec,
                    rec.value().length,
                    u.clientId(),
                    u.experimentId(),
                    u.round());
            return null;
        }
        long now = System.currentTimeMillis();
        long age = now - env.issuedAtMillis();
        if (age > config.maxUpdateAge().toMillis()
                || -age > config.maxClockSkew().toMillis()) {
            reject(
                    EXPIRED,
                    "the update was signed at " + java.time.Instant.ofEpochMilli(env.issuedAtMillis()) + ", "
                            + (age > 0
                                    ? age + " ms ago (at most "
                                            + config.maxUpdateAge().toMillis() + " ms)"
                                    : -age + " ms ahead of this server's clock (at most "
                                            + config.maxClockSkew().toMillis() + " ms)"),
                    rec,
                    rec.value().length,
                    u.clientId(),
                    u.experimentId(),
                    u.round());
            return null;
        }
        return env;
    }

    /** {@link #handle}, where an unexpected error (a bug, not the input's fault) rejects instead of stalling. */
    private Void handleSafely(Envelope msg, InRecord rec) {
        ClientUpdate header = msg.header(ClientUpdate.class);
        try (var log = io.afd.services.common.logging.LogContext.of(
                header.experimentId(), header.round(), header.clientId())) {
            return handle(msg, rec);
        } catch (TransientFailure e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected error handling %s-%d@%d", rec.topic(), rec.partition(), rec.offset());
            ClientUpdate u = msg.header(ClientUpdate.class);
            return reject(
                    INTERNAL_ERROR,
                    "unexpected " + e,
                    rec,
                    msg.wireLength(),
                    u.clientId(),
                    u.experimentId(),
                    u.round());
        }
    }

    /** A whole, verified update: validate, then store or reject. */
    private Void handle(Envelope msg, InRecord rec) {
        ClientUpdate u = msg.header(ClientUpdate.class);
        byte[] payload = msg.payload();
        long wire = msg.wireLength();
        if (store.acceptedRecordExists(rec.topic(), rec.partition(), rec.offset())) {
            LOG.debugf("record %s-%d@%d was already accepted (redelivery)", rec.topic(), rec.partition(), rec.offset());
            return null;
        }
        String exp = u.experimentId();
        int round = u.round();
        String client = u.clientId();
        UpdateStore.RoundSnapshot r = store.snapshot(exp, round, client);
        if (r == null) {
            return reject(
                    UNKNOWN_ROUND,
                    "round " + round + " of experiment " + exp + " was never opened",
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        if (r.state() != io.afd.aggregator.Round.State.OPEN) {
            return reject(
                    DeadLetter.STALE_ROUND,
                    "round " + round + " of experiment " + exp + " is " + r.state() + "; it no longer accepts updates",
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        long now = System.currentTimeMillis();
        if (r.deadlineMs() > 0 && (now > r.deadlineMs() || msg.issuedAtMillis() > r.deadlineMs())) {
            return reject(
                    DeadLetter.DEADLINE_PASSED,
                    "round " + round + " of experiment " + exp + " closed for updates at "
                            + java.time.Instant.ofEpochMilli(r.deadlineMs()) + "; this update was signed at "
                            + java.time.Instant.ofEpochMilli(msg.issuedAtMillis()) + " and arrived at "
                            + java.time.Instant.ofEpochMilli(now),
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        if (r.selection() == null) {
            return reject(
                    DeadLetter.NOT_SELECTED,
                    "client " + client + " is not a participant of round " + round + " of experiment " + exp,
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        if (!r.selectionId().equals(u.selectionId())) {
            return reject(
                    WRONG_SELECTION,
                    "update names selection " + u.selectionId() + " but client " + client + " was assigned selection "
                            + r.selectionId() + " in round " + round,
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        if (u.modelVersion() != r.baseVersion()) {
            return reject(
                    DeadLetter.WRONG_MODEL_VERSION,
                    "update trained from model version " + u.modelVersion() + " but round " + round
                            + " aggregates onto version " + r.baseVersion(),
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        if (store.acceptedExists(exp, round, client)) {
            return reject(
                    DeadLetter.DUPLICATE,
                    "an update of client " + client + " for round " + round + " of experiment " + exp
                            + " was already accepted",
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        if (payload.length > config.maxUpdateBytes()) {
            return reject(
                    TOO_LARGE,
                    "update payload of " + payload.length + " bytes exceeds the cap of " + config.maxUpdateBytes()
                            + " bytes",
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        java.util.OptionalInt enrolled = keys.enrolledSamples(client);
        if (enrolled.isPresent() && u.numSamples() > enrolled.getAsInt()) {
            return reject(
                    BAD_SAMPLE_COUNT,
                    "numSamples " + u.numSamples() + " exceeds the " + enrolled.getAsInt() + " samples client " + client
                            + " enrolled with (an update is weighted by its sample count)",
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        // Names and shapes against the client's sub-model, from the headers alone, before any payload is
        // expanded (a 1-bit tensor grows 32-fold in decoding): a wrongly shaped update costs nothing to refuse.
        String mismatch;
        try {
            List<TensorCodec.TensorHeader> headers = TensorCodec.headers(payload, config.maxTensorElements());
            mismatch = encodingMismatch(r.uplink(), headers);
            if (mismatch != null) {
                return reject(DeadLetter.CODEC_ERROR, mismatch, rec, wire, client, exp, round);
            }
            mismatch = subModelMismatch(r.architecture(), r.selection(), headers);
        } catch (IllegalArgumentException e) {
            return reject(
                    DeadLetter.CODEC_ERROR,
                    "payload is not a valid AFDT blob: " + e.getMessage(),
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        if (mismatch != null) {
            return reject(WRONG_SHAPE, mismatch, rec, wire, client, exp, round);
        }
        List<NamedTensor> tensors;
        try {
            tensors = TensorCodec.decode(payload, config.maxTensorElements());
        } catch (IllegalArgumentException e) {
            return reject(
                    DeadLetter.CODEC_ERROR,
                    "payload is not a valid AFDT blob: " + e.getMessage(),
                    rec,
                    wire,
                    client,
                    exp,
                    round);
        }
        try {
            ModelSpec model = ModelSpec.parse(r.architecture());
            validators.check(exp, round, model, Selection.parse(r.selection()), tensors, u.numSamples());
        } catch (UpdateRejectedException e) {
            return reject(e.reason(), e.getMessage(), rec, wire, client, exp, round);
        }
        UpdateStore.InsertOutcome outcome = store.insertAccepted(new UpdateStore.Accepted(
                exp,
                round,
                client,
                u.selectionId(),
                u.modelVersion(),
                u.numSamples(),
                u.trainLoss(),
                u.initialLoss(),
                u.trainMillis(),
                u.bytesReceived(),
                wire,
                Secrets.sha256Hex(payload),
                payload,
                rec.topic(),
                rec.partition(),
                rec.offset()));
        switch (outcome) {
            case ACCEPTED -> {
                metrics.counter("afd.aggregator.updates.accepted").increment();
                metrics.counter("afd.aggregator.bytes.in", "codec", r.uplink() == null ? "any" : r.uplink())
                        .increment(wire);
                LOG.infof(
                        "accepted update of %s for %s round %d (n=%d, %d bytes)",
                        client, exp, round, u.numSamples(), wire);
                return null;
            }
            case UNKNOWN_ROUND -> {
                return reject(
                        UNKNOWN_ROUND,
                        "round " + round + " of experiment " + exp + " disappeared",
                        rec,
                        wire,
                        client,
                        exp,
                        round);
            }
            case STALE_ROUND -> {
                validators.forget(exp, round);
                return reject(
                        DeadLetter.STALE_ROUND,
                        "round " + round + " of experiment " + exp + " was closed while the update was checked",
                        rec,
                        wire,
                        client,
                        exp,
                        round);
            }
            default -> {
                return reject(
                        DeadLetter.DUPLICATE,
                        "an update of client " + client + " for round " + round + " of experiment " + exp
                                + " was already accepted",
                        rec,
                        wire,
                        client,
                        exp,
                        round);
            }
        }
    }

    /** Records a rejection of one record: dead letter first, then the row (so a crash in between repeats both). */
    private Void reject(
            String reason,
            String detail,
            InRecord rec,
            long wireBytes,
            String clientId,
            String experimentId,
            Integer round) {
        if (store.rejectionRecordExists(rec.topic(), rec.partition(), rec.offset())) {
            LOG.debugf("record %s-%d@%d was already rejected (redelivery)", rec.topic(), rec.partition(), rec.offset());
            return null;
        }
        DeadLetter letter = DeadLetter.of(
                reason,
                detail,
                rec.topic(),
                rec.partition(),
                rec.offset(),
                validId(clientId),
                validId(experimentId),
                round,
                System.currentTimeMillis());
        byte[] value = rec.value().length <= config.deadLetterMaxPayloadBytes() ? rec.value() : new byte[0];
        publisher.deadLetter(rec.key(), letter, value);
        store.insertRejection(row(letter, rec.key(), wireBytes));
        metrics.counter("afd.aggregator.updates.rejected", "reason", reason).increment();
        LOG.infof("rejected %s-%d@%d [%s]: %s", rec.topic(), rec.partition(), rec.offset(), reason, letter.detail());
        return null;
    }

    /** A chunked update that did not complete in time: no single record, so no partition or offset. */
    private void onEviction(Reassembler.Eviction ev) {
        String messageKey = ev.signer() + "/" + ev.messageId();
        DeadLetter letter = ev.toDeadLetter(System.currentTimeMillis());
        retrying("recording a reassembly timeout", () -> {
            publisher.deadLetter(ev.signer(), letter, new byte[0]);
            store.insertRejection(row(letter, ev.signer(), null));
            return null;
        });
        metrics.counter("afd.aggregator.updates.rejected", "reason", letter.reason())
                .increment();
        LOG.infof("rejected [%s]: %s", letter.reason(), letter.detail());
        ackHeld(messageKey);
    }

    private static Rejection row(DeadLetter letter, String key, Long wireBytes) {
        Rejection r = new Rejection();
        r.reason = letter.reason();
        r.detail = letter.detail();
        r.kafkaTopic = letter.originalTopic();
        r.kafkaPartition = letter.originalPartition();
        r.kafkaOffset = letter.originalOffset();
        r.clientId = letter.clientId();
        r.experimentId = letter.experimentId();
        r.round = letter.round();
        r.recordKey = key;
        r.wireBytes = wireBytes;
        return r;
    }

    private static String validId(String id) {
        return Ids.matches(id) ? id : null;
    }

    private void hold(String messageKey, Runnable ack) {
        synchronized (held) {
            held.computeIfAbsent(messageKey, k -> new ArrayList<>()).add(ack);
        }
    }

    private void ackHeld(String messageKey) {
        if (messageKey == null) {
            return;
        }
        List<Runnable> acks;
        synchronized (held) {
            acks = held.remove(messageKey);
        }
        if (acks != null) {
            acks.forEach(Runnable::run);
        }
    }

    private <T> T retrying(String what, Supplier<T> work) {
        long pause = Math.max(1, config.retryBackoff().toMillis());
        long maxPause = Math.max(pause, config.retryBackoffMax().toMillis());
        int limit = config.retryAttempts();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = work.get();
                status.succeeded();
                return result;
            } catch (TransientFailure e) {
                if (limit > 0 && attempt >= limit) {
                    LOG.errorf(e, "%s failed %d times; giving up on this record (not acknowledged)", what, attempt);
                    throw e;
                }
                if (status.failed(what, e) || attempt % 12 == 0) {
                    LOG.warnf(
                            "intake paused: %s failed (attempt %d%s), retrying every %d ms at most: %s",
                            what, attempt, limit > 0 ? " of " + limit : "", maxPause, e.getMessage());
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, maxPause);
            }
        }
    }

    /**
     * Why an update's tensors use an encoding the round's uplink codec does not produce (its dense and its
     * sparse encoding); null when they do or the round names no codec.
     */
    static String encodingMismatch(String uplink, List<TensorCodec.TensorHeader> headers) {
        if (uplink == null) {
            return null;
        }
        CodecSpec spec = CodecSpec.parse(uplink);
        for (TensorCodec.TensorHeader h : headers) {
            if (!h.encoding().equals(spec.dense()) && !h.encoding().equals(spec.sparse())) {
                return "tensor " + h.name() + " is encoded as " + h.encoding().configName()
                        + "; the round's uplink codec " + uplink + " produces "
                        + spec.dense().configName() + " and " + spec.sparse().configName();
            }
        }
        return null;
    }

    /**
     * Why an update's tensors, as their headers declare them, are not the client's sub-model (an unknown
     * or repeated tensor, another shape); null when they are, or when the selection itself is invalid
     * (the validators then reject it as {@code wrong_selection}).
     */
    static String subModelMismatch(String architecture, String selection, List<TensorCodec.TensorHeader> headers) {
        ModelSpec sub;
        try {
            sub = new SubModelLayout(ModelSpec.parse(architecture), Selection.parse(selection)).sub();
        } catch (IllegalArgumentException e) {
            return null;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TensorCodec.TensorHeader h : headers) {
            if (!seen.add(h.name())) {
                return "duplicate tensor " + h.name();
            }
            int[] expect;
            try {
                expect = sub.param(h.name()).shape();
            } catch (IllegalArgumentException e) {
                return "tensor " + h.name() + " is not a parameter of the sub-model " + sub;
            }
            if (!java.util.Arrays.equals(expect, h.shape())) {
                return "tensor " + h.name() + " declares shape " + java.util.Arrays.toString(h.shape())
                        + ", the client's sub-model has " + java.util.Arrays.toString(expect);
            }
        }
        return null;
    }
}
