package io.afd.scoremap;

import static io.afd.scoremap.Fixtures.aggregated;
import static io.afd.scoremap.Fixtures.body;
import static io.afd.scoremap.Fixtures.clients;
import static io.afd.scoremap.Fixtures.experiment;
import static io.afd.scoremap.Fixtures.ids;
import static io.afd.scoremap.Fixtures.local;
import static io.afd.scoremap.Fixtures.reports;
import static io.afd.scoremap.Fixtures.request;
import static io.afd.scoremap.Fixtures.results;
import static io.afd.scoremap.Fixtures.select;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.afd.infra.testing.SharedInfra;
import io.afd.protocol.DeadLetter;
import io.afd.protocol.Envelope;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.MessageType;
import io.afd.protocol.RoundEvent;
import io.afd.protocol.RoundEvent.ClientResult;
import io.afd.protocol.SigningKey;
import io.afd.protocol.Topics;
import io.afd.services.testing.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The afd.rounds consumer against the real broker: events are applied once, bad ones are dead-lettered. */
@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "score-map"))
@QuarkusTestResource(TopicsTestResource.class)
// as this service's callers; the security tests choose their tokens themselves
@org.junit.jupiter.api.extension.ExtendWith(io.afd.services.testing.TestTokens.AsPeers.class)
class RoundEventConsumerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<byte[], byte[]> deadLetters;
    private static final List<ConsumerRecord<byte[], byte[]>> seenDeadLetters = new ArrayList<>();

    @BeforeAll
    static void kafka() {
        // the broker's super user: the test writes round events as the aggregator would and reads dead letters
        Map<String, Object> admin = SharedInfra.get().kafkaAdmin().clientProperties();
        Properties p = new Properties();
        p.putAll(admin);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.putAll(admin);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "score-map-test-dlq-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        deadLetters = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters.subscribe(List.of(Topics.DEAD_LETTER));
    }

    @AfterAll
    static void close() {
        producer.close();
        deadLetters.close();
    }

    private static void send(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ROUNDS, key, value)).get();
    }

    private static byte[] signed(RoundEvent event, SigningKey key) {
        return EnvelopeCodec.encode(MessageType.ROUND_EVENT, event, new byte[0], key);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out after " + TIMEOUT + " waiting for " + what);
    }

    /** The dead letter keyed {@code key}, decoded and verified with the server key. */
    private static Envelope awaitDeadLetter(String key) throws InterruptedException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            for (ConsumerRecord<byte[], byte[]> r : seenDeadLetters) {
                if (r.key() != null && java.util.Arrays.equals(r.key(), k)) {
                    return EnvelopeCodec.decode(
                            r.value(), KeyLookup.of(EnvelopeCodec.SERVER, Fixtures.SERVER_KEY.verifyKey()));
                }
            }
            deadLetters.poll(Duration.ofMillis(200)).forEach(seenDeadLetters::add);
        }
        fail("no dead letter keyed " + key + " within " + TIMEOUT);
        return null;
    }

    private static boolean applied(String exp, int round) {
        return given().get("/experiments/" + exp + "/rounds/" + round + "/results")
                        .statusCode()
                == 200;
    }

    @Test
    void aggregatedEventIsAppliedOnceLikeRest() throws Exception {
        String exp = experiment("kafka");
        long seed = 21;
        List<String> cs = clients(4, 8, 15);
        LocalPolicy sim = local("afd-multi", 0.5, seed);
        assertEquals(ids(sim.configureRound(0, cs)), ids(select(exp, 0, request("afd-multi", 0.5, seed, cs))));
        List<ClientResult> res = results(cs, 0);
        sim.onRoundResults(0, reports(res));

        // other event types are ignored; the AGGREGATED one is applied
        send(
                exp,
                signed(
                        new RoundEvent(exp, 0, RoundEvent.Type.CLOSING, 0, List.of(), 0, 1L, null),
                        Fixtures.SERVER_KEY));
        send(exp, signed(aggregated(exp, 0, res), Fixtures.SERVER_KEY));
        await("the AGGREGATED event of " + exp, () -> applied(exp, 0));
        given().get("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(200)
                .body("source", equalTo("kafka"))
                .body("updates.size()", equalTo(3));
        // the REST call that follows is a no-op
        given().contentType("application/json")
                .body(body(res))
                .post("/experiments/" + exp + "/rounds/0/results")
                .then()
                .statusCode(200)
                .body("applied", equalTo(false))
                .body("source", equalTo("kafka"));
        // and the maps are the simulator's: the next round selects the same
        assertEquals(ids(sim.configureRound(1, cs)), ids(select(exp, 1, request("afd-multi", 0.5, seed, cs))));

        // REST first, then the event: the event is the no-op
        List<ClientResult> res1 = results(cs, 1);
        given().contentType("application/json")
                .body(body(res1))
                .post("/experiments/" + exp + "/rounds/1/results")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true));
        String before = given().get("/experiments/" + exp + "/scoremaps")
                .then()
                .extract()
                .asString();
        send(exp, signed(aggregated(exp, 1, results(cs, 2)), Fixtures.SERVER_KEY));
        // a marker after it, same record key so same partition: once the marker is dead-lettered (its
        // experiment is unknown), the duplicate before it was handled too
        String marker = experiment("marker");
        send(exp, signed(aggregated(marker, 0, res), Fixtures.SERVER_KEY));
        DeadLetter unknown = awaitDeadLetter(exp).header(DeadLetter.class);
        assertEquals("unknown_experiment", unknown.reason());
        assertEquals(marker, unknown.experimentId());
        assertEquals(
                before,
                given().get("/experiments/" + exp + "/scoremaps")
                        .then()
                        .extract()
                        .asString());
        given().get("/experiments/" + exp + "/rounds/1/results").then().body("source", equalTo("rest"));
    }

    @Test
    void badEventsGoToTheDeadLetterTopicAndTheConsumerGoesOn() throws Exception {
        String exp = experiment("dlq");
        List<String> cs = clients(1, 2);
        select(exp, 0, request("afd-single", 0.5, 8, cs));

        // signed with another key
        String forged = experiment("forged");
        byte[] forgedValue = signed(aggregated(exp, 0, results(cs, 0)), SigningKey.generate());
        send(forged, forgedValue);
        Envelope env = awaitDeadLetter(forged);
        DeadLetter dl = env.header(DeadLetter.class);
        assertEquals("unknown_key", dl.reason(), "another key's id is not the server's");
        assertEquals(Topics.ROUNDS, dl.originalTopic());
        assertTrue(dl.originalOffset() != null && dl.originalPartition() != null);
        assertNull(dl.experimentId(), "nothing unverified is trusted");
        assertArrayEquals(forgedValue, env.payload(), "the rejected value travels verbatim");

        // not an envelope at all
        String garbage = experiment("garbage");
        send(garbage, "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(
                "malformed", awaitDeadLetter(garbage).header(DeadLetter.class).reason());

        // well signed, but for a client that had no selection
        String stranger = experiment("stranger");
        List<ClientResult> withStranger = new ArrayList<>(results(cs, 0));
        withStranger.add(new ClientResult("client-00777", 5, 1.0, null, 1, 1));
        send(stranger, signed(aggregated(exp, 0, withStranger), Fixtures.SERVER_KEY));
        DeadLetter notSelected = awaitDeadLetter(stranger).header(DeadLetter.class);
        assertEquals("not_selected", notSelected.reason());
        assertEquals(exp, notSelected.experimentId());
        assertEquals(0, notSelected.round());
        assertTrue(notSelected.detail().contains("client-00777"), notSelected.detail());

        // nothing of that was applied; a good event still is
        given().get("/experiments/" + exp + "/rounds/0/results").then().statusCode(404);
        send(exp, signed(aggregated(exp, 0, results(cs, 0)), Fixtures.SERVER_KEY));
        await("the good event of " + exp, () -> applied(exp, 0));
        given().get("/experiments/" + exp + "/scoremaps/global")
                .then()
                .statusCode(200)
                .body("observations", equalTo(1));
    }

    @Test
    void consumerReadsTheProtocolTopic() {
        Map<String, String> expected = Map.of(
                "mp.messaging.incoming.rounds.topic",
                Topics.ROUNDS,
                "mp.messaging.outgoing.dead-letter.topic",
                Topics.DEAD_LETTER);
        expected.forEach((k, v) -> assertEquals(
                v, org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue(k, String.class), k));
    }
}
