package io.afd.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.data.Dataset;
import io.afd.core.data.SyntheticDataset;
import io.afd.core.dgc.DgcConfig;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.TrainConfig;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.train.RuntimeCache;
import io.afd.infra.testing.SharedInfra;
import io.afd.kafka.Grants;
import io.afd.kafka.KafkaConnection;
import io.afd.protocol.Chunker;
import io.afd.protocol.ClientTask;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.MessageType;
import io.afd.protocol.SigningKey;
import io.afd.protocol.Topics;
import io.afd.protocol.TrainingConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * An edge client that crashes in the middle of a chunked task, against the real broker: the offsets it
 * committed stay below the task's first chunk, so its successor reads every chunk again and answers.
 */
class KafkaEdgeRuntimeIT {
    private static final ModelSpec SPEC = ModelSpec.mlp(60, 10, 32);
    private static final String CLIENT = "client-00000";

    @Test
    void aCrashInTheMiddleOfAChunkedTaskLosesNothing() throws Exception {
        SharedInfra infra = SharedInfra.get();
        infra.createTopics(Topics.UPDATES);
        // as the orchestrator does at enrolment: the client's own task topic, login and ACLs
        KafkaConnection asClient = infra.provisionClient(CLIENT);
        String tasks = Topics.clientTasksTopic(CLIENT);
        SigningKey server = SigningKey.generate();
        SigningKey key = SigningKey.generate();
        KeyLookup serverKeys = KeyLookup.of(EnvelopeCodec.SERVER, server.verifyKey());
        Dataset data = SyntheticDataset.generate(1, 1, 2, 3).client(0);

        Selection sel = Selection.full(SPEC);
        TrainConfig tc = new TrainConfig(1, 10, 0.05, new DgcConfig(0, 0, new double[0], 0, 100, 0.01, 0.2, false));
        ClientTask task = ClientTask.of(
                "crash-exp-" + UUID.randomUUID().toString().substring(0, 8),
                0,
                CLIENT,
                0,
                SPEC,
                sel,
                TrainingConfig.forRound(tc, 0, 1, 7L, false),
                CodecSpec.FLOAT32,
                CodecSpec.FLOAT32.withSeed(3),
                System.currentTimeMillis() + 120_000);
        byte[] payload = TensorCodec.encode(
                new SubModelLayout(SPEC, sel).extract(SPEC.init(5)).list(), CodecSpec.FLOAT32);
        List<byte[]> chunks = new Chunker(1024).encode(MessageType.CLIENT_TASK, task, payload, server);
        assertTrue(chunks.size() >= 4, "the task travels in chunks: " + chunks.size());

        Properties pp = new Properties();
        pp.putAll(infra.kafkaAdmin().clientProperties()); // writes as the packager would
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        String group = Grants.clientGroup(CLIENT);
        TopicPartition p0 = new TopicPartition(tasks, 0);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp);
                Admin admin = Admin.create(infra.kafkaAdmin().clientProperties())) {
            long start = producer.send(new ProducerRecord<>(tasks, 0, CLIENT, chunks.get(0)))
                    .get()
                    .offset();
            for (int i = 1; i < 2; i++) {
                producer.send(new ProducerRecord<>(tasks, 0, CLIENT, chunks.get(i)))
                        .get();
            }
            // a stray record under another key, after them: read and refused, but the commit must not pass the task
            producer.send(new ProducerRecord<>(tasks, 0, "client-00099", new byte[] {1, 2, 3}))
                    .get();

            // the first runtime reads two chunks and the stranger's record, commits, then dies
            KafkaEdgeRuntime first = new KafkaEdgeRuntime(serverKeys, null, 1);
            first.host(new EdgeClient(CLIENT, key, data, new RuntimeCache(2), new Chunker(1 << 19)), asClient);
            Thread t1 = new Thread(first::run);
            t1.start();
            long committed = awaitCommitted(admin, group, p0, Duration.ofSeconds(30));
            first.stop();
            t1.join(10_000);
            first.close();
            assertEquals(start, committed, "committed below the first chunk of the incomplete task");
            assertEquals(0, first.tasksDone());

            // the rest of the task arrives; a successor in the same group must answer it
            for (int i = 2; i < chunks.size(); i++) {
                producer.send(new ProducerRecord<>(tasks, 0, CLIENT, chunks.get(i)))
                        .get();
            }
            KafkaEdgeRuntime second = new KafkaEdgeRuntime(serverKeys, null, 1);
            second.host(new EdgeClient(CLIENT, key, data, new RuntimeCache(2), new Chunker(1 << 19)), asClient);
            Thread t2 = new Thread(second::run);
            t2.start();
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (second.tasksDone() == 0 && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            KafkaEdgeRuntime.Traffic traffic = second.traffic().get(CLIENT);
            second.stop();
            t2.join(10_000);
            second.close();
            assertEquals(1, second.tasksDone(), "the successor re-read every chunk and answered the task");
            // it fetched its own topic only: every chunk and the stray record, and the batch framing around them
            long chunkBytes = chunks.stream().mapToLong(c -> c.length).sum();
            assertEquals(chunks.size() + 1, traffic.records());
            assertEquals(chunkBytes + 3, traffic.taskBytes(), "every chunk and the 3-byte stray, once");
            assertTrue(
                    traffic.fetchedBytes() >= traffic.taskBytes()
                            && traffic.fetchedBytes() < traffic.taskBytes() + 200L * traffic.records(),
                    traffic.toString());
        }
    }

    /** The group's committed offset on the partition, once there is one. */
    private static long awaitCommitted(Admin admin, String group, TopicPartition tp, Duration timeout)
            throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            OffsetAndMetadata o = m.get(tp);
            if (o != null) {
                // give the runtime a few more polls to commit further, if it (wrongly) would
                Thread.sleep(1500);
                return admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .get(tp)
                        .offset();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("group " + group + " never committed on " + tp);
    }
}
