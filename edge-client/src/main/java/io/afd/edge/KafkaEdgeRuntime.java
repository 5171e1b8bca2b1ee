package io.afd.edge;

import io.afd.protocol.ClientTask;
import io.afd.protocol.Envelope;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.MessageType;
import io.afd.protocol.ProtocolException;
import io.afd.protocol.Reassembler;
import io.afd.protocol.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of one or many edge clients in this JVM: one consumer on {@code afd.tasks}
 * dispatching by record key to the hosted clients (records for other clients are skipped), one
 * producer on {@code afd.updates}. Envelopes are verified with the services' public key, must be tasks
 * addressed to the client their record key names, and are reassembled; a task is trained, its update produced and acknowledged, and only then is the
 * task's offset committed, so a crash re-delivers instead of losing a round. Offsets stay below the
 * first chunk of any task still being reassembled, so a crash in the middle of a chunked task
 * re-delivers all of its chunks. Bad envelopes are
 * logged and skipped.
 */
public final class KafkaEdgeRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEdgeRuntime.class);

    private final Map<String, EdgeClient> clients = new HashMap<>();
    private final KeyLookup serverKeys;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    /**
     * Where each incomplete chunked task started: its first chunk's partition and offset, by
     * {@code signer/messageId}. Offsets are committed only below the earliest of them, so a crash in the
     * middle of a task re-delivers all its chunks instead of losing the ones already read.
     */
    private final Map<String, PendingStart> pending = new HashMap<>();

    private record PendingStart(TopicPartition partition, long offset) {}

    private final Reassembler reassembler = new Reassembler(
            Reassembler.Limits.defaults(),
            () -> System.nanoTime() / 1_000_000,
            ev -> pending.remove(ev.signer() + "/" + ev.messageId()));
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong tasksDone = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Listener listener;

    /** Observes what the fleet does (progress displays, tests). */
    public interface Listener {
        /**
         * @param clientMillis the client's whole share of the round: decoding, training, encoding,
         *                     signing and sending its update
         */
        void onUpdateSent(EdgeClient client, EdgeClient.Outcome outcome, long clientMillis);
    }

    /**
     * @param serverKeys the services' public keys, which every task must be signed with (from enrolment:
     *                   {@link ClientIdentity#serverLookup()})
     */
    public KafkaEdgeRuntime(String bootstrapServers, String groupId, KeyLookup serverKeys, Listener listener) {
        this.serverKeys = java.util.Objects.requireNonNull(serverKeys, "serverKeys");
        this.listener = listener;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "16");
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "1800000");
        // notice a tasks topic created after subscribing within seconds, not the 5-minute default
        c.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    public synchronized void host(EdgeClient client) {
        clients.put(client.id(), client);
    }

    public long tasksDone() {
        return tasksDone.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** Consumes and serves tasks until {@link #stop()}. */
    public void run() {
        consumer.subscribe(List.of(Topics.TASKS));
        while (running.get()) {
            var records = consumer.poll(Duration.ofMillis(200));
            Map<TopicPartition, Long> next = new HashMap<>();
            for (ConsumerRecord<String, byte[]> rec : records) {
                next.put(new TopicPartition(rec.topic(), rec.partition()), rec.offset() + 1);
                EdgeClient client = clients.get(rec.key());
                if (client == null) {
                    continue; // a task for a client hosted elsewhere
                }
                String messageKey = null;
                try {
                    Envelope env = EnvelopeCodec.decode(rec.value(), serverKeys);
                    if (env.type() != MessageType.CLIENT_TASK) {
                        throw new IllegalArgumentException("a " + env.type() + " envelope on " + rec.topic());
                    }
                    String addressee = env.header(ClientTask.class).clientId();
                    if (!rec.key().equals(addressee)) {
                        throw new IllegalArgumentException("record key " + rec.key() + " but a task for " + addressee);
                    }
                    if (env.chunk() != null) {
                        messageKey = env.signer() + "/" + env.chunk().messageId();
                        pending.putIfAbsent(
                                messageKey,
                                new PendingStart(new TopicPartition(rec.topic(), rec.partition()), rec.offset()));
                    }
                    Reassembler.Result r = reassembler.offer(env);
                    if (r.status() == Reassembler.Status.PENDING) {
                        continue;
                    }
                    if (messageKey != null) {
                        pending.remove(messageKey); // complete, or a late duplicate of a finished one
                    }
                    if (r.status() != Reassembler.Status.COMPLETE) {
                        continue;
                    }
                    long started = System.nanoTime();
                    Envelope full = r.message();
                    ClientTask task = full.header(ClientTask.class);
                    EdgeClient.Outcome out = client.handle(task, full.payload(), full.wireLength());
                    if (out == null) {
                        LOG.info(
                                "client {}: task {}/{} skipped (already answered or past its deadline)",
                                client.id(),
                                task.experimentId(),
                                task.round());
                        continue;
                    }
                    List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
                    for (byte[] e : out.envelopes()) {
                        acks.add(producer.send(new ProducerRecord<>(Topics.UPDATES, client.id(), e)));
                    }
                    for (java.util.concurrent.Future<?> f : acks) {
                        f.get();
                    }
                    tasksDone.incrementAndGet();
                    if (listener != null) {
                        listener.onUpdateSent(client, out, (System.nanoTime() - started) / 1_000_000);
                    }
                } catch (ProtocolException | IllegalArgumentException | ArithmeticException e) {
                    if (messageKey != null) {
                        pending.remove(messageKey); // the reassembler dropped the message
                    }
                    rejected.incrementAndGet();
                    LOG.warn(
                            "client {}: task record at offset {} rejected: {}",
                            rec.key(),
                            rec.offset(),
                            e.getMessage());
                } catch (RuntimeException e) {
                    // A bug or resource problem must not silently stop every hosted client.
                    rejected.incrementAndGet();
                    LOG.error("client {}: task record at offset {} failed", rec.key(), rec.offset(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("cannot send update: " + e.getCause(), e.getCause());
                }
            }
            if (!records.isEmpty()) {
                commitBelowPending(next);
            }
        }
    }

    /**
     * Commits, per partition read in this poll, the offset after its last record, or the first offset
     * of the earliest task still being reassembled from that partition when there is one.
     */
    private void commitBelowPending(Map<TopicPartition, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
            long at = e.getValue();
            for (PendingStart p : pending.values()) {
                if (p.partition().equals(e.getKey())) {
                    at = Math.min(at, p.offset());
                }
            }
            commit.put(e.getKey(), new OffsetAndMetadata(at));
        }
        consumer.commitSync(commit);
    }

    public void stop() {
        running.set(false);
    }

    @Override
    public void close() {
        stop();
        consumer.close();
        producer.close();
    }
}
