package io.afd.scoremap.messaging;

import io.afd.protocol.DeadLetter;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.MessageType;
import io.afd.services.common.service.ServerKey;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes {@link DeadLetter} envelopes (signed with the {@code @server} key) on {@code afd.dead-letter},
 * keyed with the rejected record's key bytes unchanged; the payload is the rejected record's value, or
 * empty when the envelope would exceed the 1 MiB record cap.
 */
@ApplicationScoped
public class DeadLetterPublisher {
    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final Emitter<byte[]> emitter;
    private final ServerKey key;

    public DeadLetterPublisher(@Channel("dead-letter") Emitter<byte[]> emitter, ServerKey key) {
        this.emitter = emitter;
        this.key = key;
    }

    /**
     * Sends a dead letter; failures are logged, never thrown.
     *
     * @param recordKey the rejected record's key bytes (may be null)
     * @param value     the rejected record's value (may be null)
     */
    public void publish(byte[] recordKey, byte[] value, DeadLetter letter) {
        try {
            byte[] payload = value == null ? new byte[0] : value;
            byte[] envelope = EnvelopeCodec.encode(MessageType.DEAD_LETTER, letter, payload, key.signingKey());
            if (envelope.length > EnvelopeCodec.DEFAULT_MAX_BYTES) {
                envelope = EnvelopeCodec.encode(MessageType.DEAD_LETTER, letter, new byte[0], key.signingKey());
            }
            OutgoingKafkaRecordMetadata<byte[]> meta = OutgoingKafkaRecordMetadata.<byte[]>builder()
                    .withKey(recordKey)
                    .build();
            emitter.send(Message.of(envelope).addMetadata(meta).withNack(e -> {
                LOG.errorf(e, "could not publish dead letter %s: %s", letter.reason(), letter.detail());
                return CompletableFuture.completedFuture(null);
            }));
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not publish dead letter %s: %s", letter.reason(), letter.detail());
        }
    }
}
