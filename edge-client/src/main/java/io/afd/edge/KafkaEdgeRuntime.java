package io.afd.edge;

import io.afd.kafka.Grants;
import io.afd.kafka.KafkaConnection;
import io.afd.protocol.ClientTask;
import io.afd.protocol.Envelope;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.MessageType;
import io.afd.protocol.ProtocolException;
import io.afd.protocol.Reassembler;
import io.afd.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of one or many edge clients in this JVM. Each hosted client has its own connection, logged in as
 * itself (its SCRAM login from the enrolment), so the broker lets it read only its own task topic {@code
 * afd.tasks.<clientId>}, in its own group {@code afd.edge.<clientId>}, and write only {@code afd.updates}: a client
 * fetches its own tasks and nothing else ({@link #traffic()}).
 *
 * <p>Envelopes are verified with the services' public key, must be tasks addressed to this client, and are
 * reassembled; a task is trained, its update produced and acknowledged, and only then is the task's offset
 * committed, so a crash re-delivers instead of losing a round. Offsets stay below the first chunk of any task still
 * being reassembled, so a crash in the middle of a chunked task re-delivers all of its chunks. Bad envelopes are
 * logged and skipped; a login the broker refuses (revoked, or replaced by a newer enrolment) is logged as an error
 * and retried after 1 s, doubling up to 10 s. Each client polls on its own thread; at most {@code trainingSlots} train at once.
 */
public final class KafkaEdgeRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEdgeRuntime.class);
    /**
     * Retries after Kafka refused a client: 1 s, then doubling up to this. A login the orchestrator has just set can
     * take a moment to reach the broker (seen at 1,000 enrolments in a row), so the first retries come quickly.
     */
    private static final Duration REFUSED_RETRY = Duration.ofSeconds(10);

    private final KeyLookup serverKeys;
    private final Listener listener;
    private final Semaphore training;
    private final List<Link> links = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong tasksDone = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** Observes what the fleet does (progress displays, tests). */
    public interface Listener {
        /**
         * @param clientMillis the client's whole share of the round: decoding, training, encoding,
         *                     signing and sending its update
         */
        void onUpdateSent(EdgeClient client, EdgeClient.Outcome outcome, long clientMillis);
    }

    /**
     * What one client's consumer took from Kafka: the bytes the broker sent it ({@code bytes-consumed-total}: record
     * batches with their headers and record keys), the records, and the task bytes among them (the envelopes, what
     * the packager counts as the round's {@code bytesDown}).
     */
    public record Traffic(long fetchedBytes, long records, long taskBytes) {}

    /**
     * @param serverKeys    the services' public keys, which every task must be signed with (from enrolment:
     *                      {@link ClientIdentity#serverLookup()})
     * @param listener      progress callback, may be null
     * @param trainingSlots how many hosted clients may train at the same time (1: one after another, as ND4J
     *                      already uses every core)
     */
    public KafkaEdgeRuntime(KeyLookup serverKeys, Listener listener, int trainingSlots) {
        this.serverKeys = java.util.Objects.requireNonNull(serverKeys, "serverKeys");
        this.listener = listener;
        if (trainingSlots < 1) {
            throw new IllegalArgumentException("trainingSlots must be >= 1, got " + trainingSlots);
        }
        this.training = new Semaphore(trainingSlots, true);
    }

    /** Hosts a client, which connects to Kafka as itself. Call before {@link #run()}. */
    public synchronized void host(EdgeClient client, KafkaConnection kafka) {
        links.add(new Link(client, kafka));
    }

    public long tasksDone() {
        return tasksDone.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** Per hosted client, what its consumer fetched so far. */
    public synchronized Map<String, Traffic> traffic() {
        Map<String, Traffic> out = new LinkedHashMap<>();
        for (Link l : links) {
            out.put(l.client.id(), l.traffic());
        }
        return out;
    }

    /** Serves every hosted client's tasks until {@link #stop()}; each client on its own thread. */
    public void run() {
        List<Thread> threads = new ArrayList<>();
        synchronized (this) {
            for (Link l : links) {
                Thread t = new Thread(l::run, "edge-" + l.client.id());
                t.setDaemon(true);
                l.thread = t;
                threads.add(t);
            }
            threads.forEach(Thread::start);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                return;
            }
        }
    }

    public void stop() {
        running.set(false);
    }

    /** Stops, waits (10 s at most per client) for the clients' threads to leave their poll, closes the connections. */
    @Override
    public void close() {
        stop();
        List<Link> all;
        synchronized (this) {
            all = List.copyOf(links);
        }
        all.forEach(l -> l.consumer.wakeup());
        for (Link l : all) {
            Thread t = l.thread;
            if (t != null) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (t == null || !t.isAlive()) {
                l.consumer.close();
                l.producer.close();
            } else {
                LOG.warn("client {}: still busy after 10 s; its connections are left to the JVM's exit", l.client.id());
            }
        }
    }

    /** One client's connection: its consumer on its own task topic, its producer of updates. */
    private final class Link {
        private final EdgeClient client;
        private final String topic;
        private final KafkaConsumer<String, byte[]> consumer;
        private final KafkaProducer<String, byte[]> producer;
        private final AtomicLong records = new AtomicLong();
        private final AtomicLong taskBytes = new AtomicLong();
        private volatile Thread thread;
        private volatile Metric fetched;
        /**
         * Where each incomplete chunked task started: its first chunk's partition and offset, by {@code
         * signer/messageId}. Offsets are committed only below the earliest of them.
         */
        private final Map<String, PendingStart> pending = new HashMap<>();

        private final Reassembler reassembler = new Reassembler(
                Reassembler.Limits.defaults(),
                () -> System.nanoTime() / 1_000_000,
                ev -> pending.remove(ev.signer() + "/" + ev.messageId()));

        Link(EdgeClient client, KafkaConnection kafka) {
            this.client = client;
            this.topic = Topics.clientTasksTopic(client.id());
            Properties c = new Properties();
            c.putAll(kafka.clientProperties());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, Grants.clientGroup(client.id()));
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, "afd-edge-" + client.id());
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "16");
            c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "1800000");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(c);
            Properties p = new Properties();
            p.putAll(kafka.clientProperties());
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "afd-edge-" + client.id());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }

        void run() {
            consumer.subscribe(List.of(topic));
            int refusals = 0;
            while (running.get()) {
                try {
                    pollOnce();
                    refusals = 0;
                } catch (AuthenticationException | AuthorizationException e) {
                    Duration wait =
                            Duration.ofSeconds(Math.min(REFUSED_RETRY.toSeconds(), 1L << Math.min(refusals, 4)));
                    refusals++;
                    LOG.error(
                            "client {}: Kafka refused it ({}); a new login may not have reached the broker yet, or it"
                                    + " was revoked or replaced by a newer enrolment. Retrying in {} s",
                            client.id(),
                            e.getMessage(),
                            wait.toSeconds());
                    sleep(wait);
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    if (!running.get()) {
                        return;
                    }
                }
            }
        }

        private void pollOnce() {
            var batch = consumer.poll(Duration.ofMillis(200));
            if (fetched == null) {
                fetched = fetchedMetric();
            }
            Map<TopicPartition, Long> next = new HashMap<>();
            for (ConsumerRecord<String, byte[]> rec : batch) {
                next.put(new TopicPartition(rec.topic(), rec.partition()), rec.offset() + 1);
                records.incrementAndGet();
                taskBytes.addAndGet(Math.max(0, rec.serializedValueSize()));
                handle(rec);
                if (!running.get()) {
                    break;
                }
            }
            if (!batch.isEmpty()) {
                commitBelowPending(next);
            }
        }

        private void handle(ConsumerRecord<String, byte[]> rec) {
            String messageKey = null;
            try {
                if (!client.id().equals(rec.key())) {
                    throw new IllegalArgumentException("record key " + rec.key() + " on " + client.id() + "'s topic");
                }
                Envelope env = EnvelopeCodec.decode(rec.value(), serverKeys);
                if (env.type() != MessageType.CLIENT_TASK) {
                    throw new IllegalArgumentException("a " + env.type() + " envelope on " + rec.topic());
                }
                String addressee = env.header(ClientTask.class).clientId();
                if (!client.id().equals(addressee)) {
                    throw new IllegalArgumentException("a task for " + addressee + " on " + client.id() + "'s topic");
                }
                if (env.chunk() != null) {
                    messageKey = env.signer() + "/" + env.chunk().messageId();
                    pending.putIfAbsent(
                            messageKey,
                            new PendingStart(new TopicPartition(rec.topic(), rec.partition()), rec.offset()));
                }
                Reassembler.Result r = reassembler.offer(env);
                if (r.status() == Reassembler.Status.PENDING) {
                    return;
                }
                if (messageKey != null) {
                    pending.remove(messageKey); // complete, or a late duplicate of a finished one
                }
                if (r.status() != Reassembler.Status.COMPLETE) {
                    return;
                }
                train(r.message());
            } catch (ProtocolException | IllegalArgumentException | ArithmeticException e) {
                if (messageKey != null) {
                    pending.remove(messageKey); // the reassembler dropped the message
                }
                rejected.incrementAndGet();
                LOG.warn("client {}: task record at offset {} rejected: {}", client.id(), rec.offset(), e.getMessage());
            } catch (AuthenticationException | AuthorizationException e) {
                throw e;
            } catch (RuntimeException e) {
                // A bug or resource problem must not silently stop the client.
                rejected.incrementAndGet();
                LOG.error("client {}: task record at offset {} failed", client.id(), rec.offset(), e);
            }
        }

        private void train(Envelope full) {
            try {
                training.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
                return;
            }
            try {
                long started = System.nanoTime();
                ClientTask task = full.header(ClientTask.class);
                EdgeClient.Outcome out = client.handle(task, full.payload(), full.wireLength());
                if (out == null) {
                    LOG.info(
                            "client {}: task {}/{} skipped (already answered or past its deadline)",
                            client.id(),
                            task.experimentId(),
                            task.round());
                    return;
                }
                List<Future<?>> acks = new ArrayList<>();
                for (byte[] e : out.envelopes()) {
                    acks.add(producer.send(new ProducerRecord<>(Topics.UPDATES, client.id(), e)));
                }
                for (Future<?> f : acks) {
                    f.get();
                }
                client.committed(task); // before the offset commit: a crash now re-delivers a task it skips
                tasksDone.incrementAndGet();
                if (listener != null) {
                    listener.onUpdateSent(client, out, (System.nanoTime() - started) / 1_000_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof AuthorizationException a) {
                    throw a;
                }
                throw new IllegalStateException("cannot send update: " + e.getCause(), e.getCause());
            } finally {
                training.release();
            }
        }

        /**
         * Commits, per partition read in this poll, the offset after its last record, or the first offset of the
         * earliest task still being reassembled from that partition when there is one.
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

        Traffic traffic() {
            Metric m = fetched;
            long bytes = m == null ? 0 : (long) ((Number) m.metricValue()).doubleValue();
            return new Traffic(bytes, records.get(), taskBytes.get());
        }

        /** The consumer's {@code bytes-consumed-total} (all topics), looked up on the client's own thread. */
        private Metric fetchedMetric() {
            for (Map.Entry<org.apache.kafka.common.MetricName, ? extends Metric> e :
                    consumer.metrics().entrySet()) {
                var name = e.getKey();
                if (name.name().equals("bytes-consumed-total")
                        && name.group().equals("consumer-fetch-manager-metrics")
                        && !name.tags().containsKey("topic")) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    private record PendingStart(TopicPartition partition, long offset) {}

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
