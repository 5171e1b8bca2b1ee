package io.afd.packager.messaging;

import io.afd.packager.config.PackagerConfig;
import io.afd.protocol.Topics;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Produces task envelopes to the client's own task topic {@code afd.tasks.<clientId>} ({@link
 * Topics#clientTasksTopic}, created by the orchestrator at enrolment; only that client may read it), keyed by client
 * id, in chunk order, and waits until Kafka acknowledged every one of them (producer {@code acks=all}).
 */
@ApplicationScoped
public class TaskPublisher {
    /** The outgoing channel (see application.properties). */
    public static final String CHANNEL = "tasks";

    @Inject
    @Channel(CHANNEL)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> emitter;

    @Inject
    PackagerConfig config;

    /**
     * Sends the envelopes of one task and blocks until all are acknowledged.
     *
     * @throws ServerErrorException 503 when Kafka refuses or does not acknowledge in time
     */
    public void publish(String clientId, List<byte[]> envelopes) {
        await(clientId, send(clientId, envelopes));
    }

    /**
     * Hands the envelopes of one task to the producer without waiting: the answer completes when Kafka has
     * acknowledged all of them (see {@link #await}). Many tasks in flight at once keep the producer's batches full
     * instead of one round trip per client.
     */
    public CompletableFuture<Void> send(String clientId, List<byte[]> envelopes) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[envelopes.size()];
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.clientTasksTopic(clientId))
                .withKey(clientId)
                .build();
        try {
            for (int i = 0; i < acks.length; i++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                acks[i] = done;
                Message<byte[]> m = Message.of(envelopes.get(i))
                        .addMetadata(meta)
                        .withAck(() -> {
                            done.complete(null);
                            return CompletableFuture.completedFuture(null);
                        })
                        .withNack(t -> {
                            done.completeExceptionally(t);
                            return CompletableFuture.completedFuture(null);
                        });
                emitter.send(m);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.allOf(acks);
    }

    /**
     * Waits for a task sent with {@link #send}, at most {@code afd.packager.publish-timeout}.
     *
     * @throws ServerErrorException 503 when Kafka refused it or did not acknowledge it in time
     */
    public void await(String clientId, CompletableFuture<Void> acked) {
        try {
            acked.get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw unavailable(clientId, cause.toString());
        } catch (TimeoutException e) {
            throw unavailable(clientId, "no acknowledgement within " + config.publishTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(clientId, "interrupted");
        }
    }

    private static ServerErrorException unavailable(String clientId, String why) {
        return new ServerErrorException(
                "Kafka did not accept the task of '" + clientId + "' on " + Topics.clientTasksTopic(clientId)
                        + " (is the client enrolled?): " + why,
                Response.Status.SERVICE_UNAVAILABLE);
    }
}
