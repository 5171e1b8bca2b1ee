package io.afd.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real broker from the Kafka jars: start on free ports, round-trip a record, stop. */
class KafkaBrokerIT {

    @TempDir
    Path dir;

    @Test
    void startsProducesConsumesAndStops() throws Exception {
        long t0 = System.nanoTime();
        KafkaBroker broker = KafkaBroker.start(dir, 0, 0);
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[measure] Kafka broker start: " + startMillis + " ms");
        try {
            assertTrue(broker.isRunning());
            assertTrue(broker.port() > 0 && broker.controllerPort() > 0 && broker.port() != broker.controllerPort());
            assertEquals("127.0.0.1:" + broker.port(), broker.bootstrapServers());

            broker.createTopics(2, "afd-infra-test");
            broker.createTopics(2, "afd-infra-test"); // idempotent
            assertTrue(broker.isSecure());
            assertTrue(Files.readString(dir.resolve("server.properties"))
                    .contains("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer"));
            try (Admin admin = Admin.create(broker.adminConnection().clientProperties())) {
                var description = admin.describeTopics(List.of("afd-infra-test"))
                        .allTopicNames()
                        .get()
                        .get("afd-infra-test");
                assertEquals(2, description.partitions().size());
            }

            RecordMetadata sent;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    with(broker, Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                    new StringSerializer(),
                    new StringSerializer())) {
                sent = producer.send(new ProducerRecord<>("afd-infra-test", "client-7", "hello broker"))
                        .get();
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    with(
                            broker,
                            Map.of(
                                    ConsumerConfig.GROUP_ID_CONFIG,
                                    "afd-infra-test-" + System.nanoTime(),
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                    "earliest")),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(Set.of("afd-infra-test"));
                ConsumerRecord<String, String> received = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        received = r;
                    }
                }
                assertTrue(received != null, "no record consumed within 30 s");
                assertEquals("client-7", received.key());
                assertEquals("hello broker", received.value());
                assertEquals(sent.partition(), received.partition());
            }
        } finally {
            long s0 = System.nanoTime();
            broker.stop();
            System.out.println("[measure] Kafka broker stop: " + (System.nanoTime() - s0) / 1_000_000 + " ms");
        }
        assertFalse(broker.isRunning());
        assertFalse(ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false));
        assertTrue(Files.size(broker.logFile()) > 0, "broker log is empty");
        assertTrue(Files.readString(broker.logFile()).contains("Kafka Server started"));
        assertTrue(Files.isRegularFile(dir.resolve("server.properties")));
        assertTrue(Files.isRegularFile(dir.resolve("data/meta.properties")));
        broker.stop(); // idempotent
    }

    /** The super user's client settings plus {@code more}. */
    private static Map<String, Object> with(KafkaBroker broker, Map<String, Object> more) {
        Map<String, Object> p = new java.util.HashMap<>(broker.adminConnection().clientProperties());
        p.putAll(more);
        return p;
    }

    @Test
    void missingJarsGiveABuildHint() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> KafkaBroker.builder(dir).libsDir(dir.resolve("nowhere")).start());
        assertTrue(e.getMessage().contains("mvnw"), e.getMessage());
    }
}
