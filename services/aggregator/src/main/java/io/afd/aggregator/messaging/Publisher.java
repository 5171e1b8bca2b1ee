package io.afd.aggregator.messaging;

import io.afd.aggregator.service.TransientFailure;
import io.afd.protocol.DeadLetter;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.MessageType;
import io.afd.protocol.RoundEvent;
import io.afd.services.common.service.ServerKey;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Produces the aggregator's signed envelopes (signer {@code @server}): dead letters on {@code afd.dead-letter}
 * (key = the rejected record's key) and round events on {@code afd.rounds} (key = experiment id). Each send
 * waits for the broker's acknowledgement; a failure is a {@link TransientFailure}.
 */
@ApplicationScoped
public class Publisher {
    private static final byte[] EMPTY = new byte[0];

    private final MutinyEmitter<byte[]> deadLetters;
    private final MutinyEmitter<byte[]> rounds;
    private final ServerKey serverKey;

    public Publisher(
            @Channel("dead-letter") MutinyEmitter<byte[]> deadLetters,
            @Channel("rounds") MutinyEmitter<byte[]> rounds,
            ServerKey serverKey) {
        this.deadLetters = deadLetters;
        this.rounds = rounds;
        this.serverKey = serverKey;
    }

    /** Publishes a dead letter; {@code value} is the rejected record's value (may be empty). */
    public void deadLetter(String key, DeadLetter letter, byte[] value) {
        byte[] envelope = EnvelopeCodec.encode(
                MessageType.DEAD_LETTER, letter, value == null ? EMPTY : value, serverKey.signingKey());
        send(deadLetters, key, envelope, "dead letter");
    }

    /** Publishes a round event keyed by its experiment id. */
    public void roundEvent(RoundEvent event) {
        byte[] envelope = EnvelopeCodec.encode(MessageType.ROUND_EVENT, event, EMPTY, serverKey.signingKey());
        send(rounds, event.experimentId(), envelope, "round event");
    }

    private static void send(MutinyEmitter<byte[]> emitter, String key, byte[] value, String what) {
        Message<byte[]> m = Message.of(value);
        if (key != null) {
            m = m.addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
        }
        try {
            emitter.sendMessageAndAwait(m);
        } catch (RuntimeException e) {
            throw new TransientFailure("could not publish a " + what + ": " + e.getMessage(), e);
        }
    }
}
