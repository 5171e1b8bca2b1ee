package io.afd.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.afd.kafka.Grants;
import io.afd.kafka.KafkaAccess;
import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.afd.kafka.ServiceAccount;
import io.afd.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACLs of {@link Grants}, enforced by a real broker (SASL/SCRAM, {@code StandardAuthorizer}): each edge client
 * reads only its own tasks in its own group and writes only updates; nobody unauthenticated gets in; a removed login
 * is refused; the orchestrator's grants are enough to give a client its access, and no more than that is needed.
 */
class KafkaAclIT {
    @TempDir
    static Path dir;

    static KafkaBroker broker;
    static KafkaConnection client1;
    static KafkaConnection client2;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start(dir, 0, 0);
        broker.createTopics(3, Topics.UPDATES, Topics.ROUNDS, Topics.DEAD_LETTER);
        KafkaConnection orchestrator;
        try (KafkaAccess admin = broker.access()) {
            orchestrator = broker.connection(admin.provisionService(ServiceAccount.ORCHESTRATOR));
        }
        // the orchestrator, not the super user, gives clients their access (as at enrolment)
        try (KafkaAccess access = KafkaAccess.open(orchestrator)) {
            client1 = broker.connection(access.provisionClient("client-1"));
            client2 = broker.connection(access.provisionClient("client-2"));
        }
        KafkaConnection packager;
        try (KafkaAccess admin = broker.access()) {
            packager = broker.connection(admin.provisionService(ServiceAccount.PACKAGER));
        }
        try (KafkaProducer<String, String> p = producer(packager)) {
            p.send(new ProducerRecord<>(Topics.clientTasksTopic("client-1"), "client-1", "task for 1"));
            p.send(new ProducerRecord<>(Topics.clientTasksTopic("client-2"), "client-2", "task for 2"));
            p.flush();
        }
    }

    @AfterAll
    static void stop() {
        broker.stop();
    }

    @Test
    void aClientReadsItsOwnTasksInItsOwnGroup() {
        try (KafkaConsumer<String, String> c = consumer(client1, Grants.clientGroup("client-1"))) {
            c.subscribe(List.of(Topics.clientTasksTopic("client-1")));
            List<String> got = pollValues(c, 1);
            assertEquals(List.of("task for 1"), got);
            c.commitSync();
        }
    }

    @Test
    void aClientCannotReadAnotherClientsTasks() {
        try (KafkaConsumer<String, String> c = consumer(client1, Grants.clientGroup("client-1"))) {
            c.subscribe(List.of(Topics.clientTasksTopic("client-2")));
            assertThrows(TopicAuthorizationException.class, () -> pollValues(c, 1));
        }
        // nor by assigning the partition directly, without a group
        try (KafkaConsumer<String, String> c = consumer(client1, null)) {
            c.assign(List.of(new org.apache.kafka.common.TopicPartition(Topics.clientTasksTopic("client-2"), 0)));
            c.seekToBeginning(c.assignment());
            assertThrows(TopicAuthorizationException.class, () -> pollValues(c, 1));
        }
    }

    @Test
    void aClientCannotJoinTheAggregatorsGroupOrAnotherClientsGroupOrReadUpdates() {
        for (String group : List.of(Grants.AGGREGATOR_GROUP, Grants.clientGroup("client-2"))) {
            try (KafkaConsumer<String, String> c = consumer(client1, group)) {
                c.subscribe(List.of(Topics.clientTasksTopic("client-1")));
                assertThrows(GroupAuthorizationException.class, () -> pollValues(c, 1), group);
            }
        }
        try (KafkaConsumer<String, String> c = consumer(client1, Grants.clientGroup("client-1"))) {
            c.subscribe(List.of(Topics.UPDATES));
            assertThrows(TopicAuthorizationException.class, () -> pollValues(c, 1));
        }
    }

    @Test
    void aClientWritesUpdatesButNotRoundEventsTasksOrDeadLetters() throws Exception {
        try (KafkaProducer<String, String> p = producer(client1)) {
            p.send(new ProducerRecord<>(Topics.UPDATES, "client-1", "an update"))
                    .get(30, TimeUnit.SECONDS);
            for (String topic : List.of(Topics.ROUNDS, Topics.DEAD_LETTER, Topics.clientTasksTopic("client-2"))) {
                ExecutionException e = assertThrows(
                        ExecutionException.class,
                        () -> p.send(new ProducerRecord<>(topic, "client-1", "forged"))
                                .get(30, TimeUnit.SECONDS),
                        topic);
                assertInstanceOf(TopicAuthorizationException.class, e.getCause(), topic);
            }
        }
    }

    @Test
    void aClientCannotManageTopicsLoginsOrAcls() {
        try (Admin a = Admin.create(client1.clientProperties())) {
            ExecutionException create = assertThrows(
                    ExecutionException.class,
                    () -> a.createTopics(List.of(new NewTopic("afd.tasks.client-9", 1, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, create.getCause());
            ExecutionException acls = assertThrows(
                    ExecutionException.class,
                    () -> a.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
            assertInstanceOf(ClusterAuthorizationException.class, acls.getCause());
        }
        try (KafkaAccess asClient = KafkaAccess.open(client1)) {
            var e = assertThrows(
                    KafkaAccess.KafkaAccessException.class,
                    () -> asClient.setPassword(KafkaLogin.scram("client-2", "stolen-password")));
            assertInstanceOf(ClusterAuthorizationException.class, e.getCause());
        }
    }

    @Test
    void unauthenticatedAndWrongPasswordConnectionsAreRefused() {
        // PLAINTEXT against the SASL listener: the broker never answers a request
        Map<String, Object> plain = new HashMap<>(
                KafkaConnection.insecure(broker.bootstrapServers()).clientProperties());
        plain.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        plain.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
        try (Admin a = Admin.create(plain)) {
            assertThrows(Exception.class, () -> a.listTopics().names().get(10, TimeUnit.SECONDS));
        }
        KafkaConnection wrong = broker.connection(KafkaLogin.scram("client-1", "not-its-password"));
        assertRefused(wrong);
        assertRefused(broker.connection(KafkaLogin.scram("nobody-7", "whatever")));
    }

    @Test
    void aRemovedLoginIsRefused() {
        KafkaConnection c3;
        try (KafkaAccess admin = broker.access()) {
            c3 = broker.connection(admin.provisionClient("client-3"));
        }
        try (KafkaConsumer<String, String> c = consumer(c3, Grants.clientGroup("client-3"))) {
            // logs in and sees its (empty) task topic
            assertEquals(
                    1,
                    c.partitionsFor(Topics.clientTasksTopic("client-3"), Duration.ofSeconds(20))
                            .size());
        }
        try (KafkaAccess admin = broker.access()) {
            admin.removeLogin("client-3");
            admin.removeLogin("client-3"); // idempotent
        }
        assertRefused(c3);
    }

    private static void assertRefused(KafkaConnection c) {
        try (KafkaConsumer<String, String> consumer = consumer(c, null)) {
            Exception e =
                    assertThrows(Exception.class, () -> consumer.partitionsFor(Topics.UPDATES, Duration.ofSeconds(20)));
            assertInstanceOf(SaslAuthenticationException.class, e, e.toString());
        }
    }

    private static List<String> pollValues(KafkaConsumer<String, String> c, int n) {
        List<String> got = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (got.size() < n && System.nanoTime() < end) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
                got.add(r.value());
            }
        }
        return got;
    }

    private static KafkaConsumer<String, String> consumer(KafkaConnection c, String group) {
        Map<String, Object> p = new HashMap<>(c.clientProperties());
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private static KafkaProducer<String, String> producer(KafkaConnection c) {
        Map<String, Object> p = new HashMap<>(c.clientProperties());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
