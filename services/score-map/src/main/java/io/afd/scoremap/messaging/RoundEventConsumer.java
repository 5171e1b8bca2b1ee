package io.afd.scoremap.messaging;

import io.afd.protocol.DeadLetter;
import io.afd.protocol.Envelope;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.MessageType;
import io.afd.protocol.ProtocolException;
import io.afd.protocol.RoundEvent;
import io.afd.scoremap.AppliedResults;
import io.afd.scoremap.config.ScoreMapConfig;
import io.afd.scoremap.mapping.ResultsView;
import io.afd.scoremap.service.Rejection;
import io.afd.scoremap.service.ScoreMapService;
import io.afd.services.common.service.DatabaseOutage;
import io.afd.services.common.service.ServerKey;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code afd.rounds}: each record is a {@link RoundEvent} envelope signed with the {@code @server}
 * key. An {@code AGGREGATED} event's results are applied exactly like {@code POST .../results} (whichever
 * comes first wins, the other is a no-op); other event types are ignored. A record that does not decode or
 * verify, or whose results are refused, is logged and published to {@code afd.dead-letter} with the reason;
 * the consumer never stops. While the database cannot be reached ({@link DatabaseOutage}) an event is retried,
 * never dead-lettered. Started eagerly, so a missing or invalid {@code afd.server-key} fails the start.
 */
@ApplicationScoped
@Startup
public class RoundEventConsumer {
    private static final Logger LOG = Logger.getLogger(RoundEventConsumer.class);
    /** Reason code of an unexpected failure while applying an event (new code, docs/protocol.md §8 allows it). */
    static final String INTERNAL_ERROR = "internal_error";

    private final ScoreMapService service;
    private final DeadLetterPublisher deadLetters;
    private final ServerKey key;
    private final int maxBytes;
    private final MeterRegistry metrics;

    public RoundEventConsumer(
            ScoreMapService service,
            DeadLetterPublisher deadLetters,
            ServerKey key,
            ScoreMapConfig config,
            MeterRegistry metrics) {
        this.service = service;
        this.deadLetters = deadLetters;
        this.key = key;
        this.maxBytes = config.maxEnvelopeBytes();
        this.metrics = metrics;
    }

    @Incoming("rounds")
    @Blocking
    public void consume(ConsumerRecord<byte[], byte[]> record) {
        long pause = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                handle(record);
                if (attempt > 1) {
                    LOG.infof(
                            "round event at %s-%d@%d applied after the database returned (attempt %d)",
                            record.topic(), record.partition(), record.offset(), attempt);
                }
                return;
            } catch (RuntimeException e) {
                if (!DatabaseOutage.isOutage(e)) {
                    LOG.errorf(
                            e, "round event at %s-%d@%d failed", record.topic(), record.partition(), record.offset());
                    reject(record, INTERNAL_ERROR, e.toString(), null, null);
                    return;
                }
                // a valid event is not dead-lettered because PostgreSQL is away: wait for it (each retry is
                // idempotent), so a restart or an outage of any length only delays the event
                if (attempt == 1 || attempt % 12 == 0) {
                    LOG.warnf(
                            "round event at %s-%d@%d waits for the database (attempt %d): %s",
                            record.topic(), record.partition(), record.offset(), attempt, e.getMessage());
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = Math.min(2 * pause, 5_000);
            }
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            reject(record, ProtocolException.Reason.MALFORMED.code(), "record has no value (tombstone)", null, null);
            return;
        }
        Envelope env;
        try {
            env = EnvelopeCodec.decode(record.value(), key.lookup(), maxBytes);
        } catch (ProtocolException e) {
            reject(record, e.reason().code(), e.getMessage(), null, null);
            return;
        }
        if (env.type() != MessageType.ROUND_EVENT) {
            reject(
                    record,
                    ProtocolException.Reason.UNSUPPORTED_TYPE.code(),
                    record.topic() + " carries round events (type 3), got a " + env.type(),
                    null,
                    null);
            return;
        }
        RoundEvent event = env.header(RoundEvent.class);
        if (env.chunked()) {
            reject(
                    record,
                    ProtocolException.Reason.INVALID_HEADER.code(),
                    "round events are never chunked",
                    event.experimentId(),
                    event.round());
            return;
        }
        if (event.type() != RoundEvent.Type.AGGREGATED) {
            LOG.debugf("ignoring %s event of %s round %d", event.type(), event.experimentId(), event.round());
            return;
        }
        try (var log = io.afd.services.common.logging.LogContext.of(event.experimentId(), event.round(), null)) {
            ResultsView v = service.applyResults(
                    event.experimentId(), event.round(), event.results(), AppliedResults.SOURCE_KAFKA);
            metrics.counter("afd_scoremap_round_events", "outcome", v.applied() ? "applied" : "duplicate")
                    .increment();
            LOG.infof(
                    "AGGREGATED event of %s round %d: %s",
                    event.experimentId(),
                    event.round(),
                    v.applied() ? "applied" : "already applied from " + v.source());
        } catch (Rejection r) {
            reject(record, r.reason(), r.getMessage(), event.experimentId(), event.round());
        }
    }

    private void reject(
            ConsumerRecord<byte[], byte[]> record, String reason, String detail, String experimentId, Integer round) {
        metrics.counter("afd_scoremap_round_events", "outcome", "rejected").increment();
        LOG.warnf(
                "rejected record %s-%d@%d [%s]: %s",
                record.topic(), record.partition(), record.offset(), reason, detail);
        deadLetters.publish(
                record.key(),
                record.value(),
                DeadLetter.of(
                        reason,
                        detail,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        null,
                        experimentId,
                        round,
                        System.currentTimeMillis()));
    }
}
