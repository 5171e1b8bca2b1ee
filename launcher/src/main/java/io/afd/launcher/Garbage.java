package io.afd.launcher;

import io.afd.core.round.Client;
import io.afd.kafka.KafkaConnection;
import io.afd.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Garbage for the fault matrix: on every topic of the suite (updates, round events, dead letters and each client's
 * task topic) records a consumer must refuse without harm: random bytes, an empty value, a null value, a key that
 * names a real client in front of random bytes, text that looks like JSON, and the envelope's first bytes cut short.
 * Written as the broker's super user, so no ACL stops them: they reach every consumer.
 */
final class Garbage {
    private Garbage() {}

    /** The values of the records sent to each topic. */
    static List<byte[]> values(Random random) {
        List<byte[]> v = new ArrayList<>();
        byte[] noise = new byte[512];
        random.nextBytes(noise);
        v.add(noise);
        v.add(new byte[0]);
        v.add(null);
        v.add("{\"experimentId\":\"x\",\"round\":1}".getBytes(StandardCharsets.UTF_8));
        byte[] cut = new byte[3];
        System.arraycopy(noise, 0, cut, 0, 3);
        v.add(cut);
        return v;
    }

    /** Sends the garbage to every topic and waits until the broker has it. */
    static void everywhere(KafkaConnection admin, int clients) throws InterruptedException, ExecutionException {
        List<String> topics = new ArrayList<>(List.of(Topics.UPDATES, Topics.ROUNDS, Topics.DEAD_LETTER));
        for (int k = 0; k < clients; k++) {
            topics.add(Topics.CLIENT_TASKS_PREFIX + Client.idOf(k));
        }
        Map<String, Object> props = new java.util.HashMap<>(admin.clientProperties());
        props.put("acks", "all");
        Random random = new Random(42);
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (String topic : topics) {
                for (byte[] value : values(random)) {
                    sent.add(p.send(new ProducerRecord<>(topic, null, value)));
                    sent.add(p.send(
                            new ProducerRecord<>(topic, Client.idOf(0).getBytes(StandardCharsets.UTF_8), value)));
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
    }
}
