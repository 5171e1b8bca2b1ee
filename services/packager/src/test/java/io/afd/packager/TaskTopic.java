package io.afd.packager;

import io.afd.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the task topics {@code afd.tasks.<clientId>} of the given clients as the broker's super user (unique group
 * id, from the beginning). One consumer serves all reads of a test class.
 */
final class TaskTopic implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private List<TopicPartition> partitions;

    private final List<String> topics;

    TaskTopic(Map<String, Object> connection, List<String> clientIds) {
        this.topics = clientIds.stream().map(Topics::clientTasksTopic).toList();
        Properties p = new Properties();
        p.putAll(connection);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "packager-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 << 20);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Every record on the topic up to its current end offsets. Called after the packager answered, which
     * it does only once Kafka acknowledged every envelope, so this sees all of them.
     */
    List<ConsumerRecord<String, byte[]>> readAll() {
        if (partitions == null) {
            partitions = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
            consumer.assign(partitions);
        }
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(20));
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read the task topics up to " + end + " within 30 s");
            }
            consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
