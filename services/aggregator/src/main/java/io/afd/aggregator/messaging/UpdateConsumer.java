package io.afd.aggregator.messaging;

import io.afd.aggregator.service.Intake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code afd.updates} (channel {@code updates}), one record at a time in order, and hands each to
 * {@link Intake}. Acknowledgement is manual: a record is acknowledged after its outcome (accepted update or
 * rejection) is written, and the records of a chunked update only once the whole update is handled; with
 * the throttled commit strategy Kafka offsets are committed only up to the oldest unacknowledged record
 * (at-least-once; the database's unique constraints make redeliveries harmless). While the database, Kafka or
 * the orchestrator are unavailable the record is retried, intake pauses and readiness {@code updates-intake} is
 * DOWN; it resumes when they return. Only with a retry limit ({@code afd.aggregator.retry-attempts} &gt; 0) is a
 * record nacked after the last attempt, which stops the channel so the service is restarted.
 */
@ApplicationScoped
public class UpdateConsumer {
    private static final Logger LOG = Logger.getLogger(UpdateConsumer.class);

    private final Intake intake;

    public UpdateConsumer(Intake intake) {
        this.intake = intake;
    }

    @Incoming("updates")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        Object key = meta.getKey();
        byte[] value = message.getPayload() == null ? new byte[0] : message.getPayload();
        Intake.InRecord rec = new Intake.InRecord(
                meta.getTopic(),
                meta.getPartition(),
                meta.getOffset(),
                key == null ? null : key.toString(),
                value,
                message::ack);
        try {
            intake.process(rec);
        } catch (RuntimeException e) {
            LOG.errorf(
                    e,
                    "record %s-%d@%d could not be processed; nacking it",
                    meta.getTopic(),
                    meta.getPartition(),
                    meta.getOffset());
            message.nack(e);
        }
        return CompletableFuture.completedFuture(null);
    }
}
