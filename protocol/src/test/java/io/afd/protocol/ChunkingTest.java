package io.afd.protocol;

import static io.afd.protocol.Fixtures.CLIENT_KEY;
import static io.afd.protocol.Fixtures.LOOKUP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import io.afd.protocol.ProtocolException.Reason;
import io.afd.protocol.Reassembler.Eviction;
import io.afd.protocol.Reassembler.Limits;
import io.afd.protocol.Reassembler.Result;
import io.afd.protocol.Reassembler.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChunkingTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final List<Eviction> evictions = new ArrayList<>();

    private Reassembler reassembler(Limits limits) {
        return new Reassembler(limits, now::get, evictions::add);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<Envelope> decodeAll(List<byte[]> wires) {
        List<Envelope> out = new ArrayList<>();
        for (byte[] w : wires) {
            out.add(EnvelopeCodec.decode(w, LOOKUP));
        }
        return out;
    }

    private static ProtocolException rejects(Reassembler r, Envelope e, Reason reason) {
        ProtocolException ex = assertThrows(ProtocolException.class, () -> r.offer(e));
        assertEquals(reason, ex.reason(), ex.getMessage());
        return ex;
    }

    @Test
    void smallPayloadIsOneUnchunkedEnvelope() {
        Chunker chunker = new Chunker();
        List<byte[]> wires = chunker.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(1000, 1), CLIENT_KEY);
        assertEquals(1, wires.size());
        Envelope e = EnvelopeCodec.decode(wires.get(0), LOOKUP);
        assertNull(e.chunk());
        Result r = new Reassembler().offer(e);
        assertEquals(Status.COMPLETE, r.status());
        assertSame(e, r.message());
        assertEquals(1, chunker.envelopeCount(Chunker.DEFAULT_CHUNK_SIZE));
        assertEquals(2, chunker.envelopeCount(Chunker.DEFAULT_CHUNK_SIZE + 1));
    }

    @Test
    void multiMegabytePayloadReassemblesInShuffledOrderWithDuplicates() {
        byte[] payload = random(4 * 1024 * 1024 + 123, 7);
        int chunkSize = 256 * 1024;
        List<byte[]> wires =
                new Chunker(chunkSize).encode(MessageType.CLIENT_TASK, Fixtures.task(), payload, Fixtures.SERVER_KEY);
        assertEquals(17, wires.size());
        long wireTotal = wires.stream().mapToLong(w -> w.length).sum();
        List<Envelope> chunks = decodeAll(wires);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i).chunk();
            assertEquals(i, c.index());
            assertEquals(17, c.count());
            assertEquals(payload.length, c.totalLength());
            assertEquals(Secrets.sha256Hex(payload), c.sha256());
            assertEquals(Fixtures.task(), chunks.get(i).header());
        }
        List<Envelope> stream = new ArrayList<>(chunks);
        stream.addAll(chunks.subList(3, 9)); // duplicates, some delivered after completion
        Collections.shuffle(stream, new Random(42));
        Reassembler r = reassembler(Limits.defaults());
        Envelope whole = null;
        int complete = 0;
        int duplicates = 0;
        for (Envelope e : stream) {
            Result res = r.offer(e);
            switch (res.status()) {
                case COMPLETE -> {
                    complete++;
                    whole = res.message();
                }
                case DUPLICATE -> duplicates++;
                case PENDING -> assertNull(res.message());
                default -> throw new AssertionError(res);
            }
            assertTrue(r.bytesInFlight() <= payload.length);
        }
        assertEquals(1, complete);
        assertEquals(6, duplicates);
        assertArrayEquals(payload, whole.payload());
        assertNull(whole.chunk());
        assertEquals(Fixtures.task(), whole.header());
        assertEquals(MessageType.CLIENT_TASK, whole.type());
        assertEquals(wireTotal, whole.wireLength(), "wire bytes count each distinct chunk once");
        assertEquals(0, r.bytesInFlight());
        assertEquals(0, r.messagesInFlight());
        assertEquals(Status.DUPLICATE, r.offer(chunks.get(0)).status(), "redelivery after completion");
        assertTrue(evictions.isEmpty());
    }

    @Test
    void missingChunkStaysIncompleteThenIsEvictedWithAReason() {
        byte[] payload = random(10_000, 3);
        List<Envelope> chunks =
                decodeAll(new Chunker(1024).encode(MessageType.CLIENT_UPDATE, Fixtures.update(), payload, CLIENT_KEY));
        assertEquals(10, chunks.size());
        Reassembler r = reassembler(Limits.defaults().withMaxAgeMillis(60_000));
        for (int i = 0; i < chunks.size(); i++) {
            if (i != 4) {
                assertEquals(Status.PENDING, r.offer(chunks.get(i)).status());
            }
        }
        assertEquals(1, r.messagesInFlight());
        assertEquals(payload.length - 1024, r.bytesInFlight());
        now.addAndGet(60_000);
        assertEquals(0, r.evictExpired(), "not yet older than the max age");
        now.addAndGet(1);
        assertEquals(1, r.evictExpired());
        assertEquals(1, evictions.size());
        Eviction ev = evictions.get(0);
        assertEquals(Reason.REASSEMBLY_TIMEOUT, ev.reason());
        assertEquals(9, ev.receivedChunks());
        assertEquals(10, ev.count());
        assertEquals(Fixtures.CLIENT, ev.signer());
        assertEquals(Fixtures.update(), ev.header());
        assertTrue(ev.detail().contains("missing chunks [4]"), ev.detail());
        DeadLetter dl = ev.toDeadLetter(123);
        assertEquals("reassembly_timeout", dl.reason());
        assertEquals(Topics.UPDATES, dl.originalTopic());
        assertEquals(Fixtures.CLIENT, dl.clientId());
        assertEquals(3, dl.round());
        assertEquals(0, r.messagesInFlight());
        assertEquals(0, r.bytesInFlight());
        assertEquals(Status.DISCARDED, r.offer(chunks.get(4)).status(), "the late chunk is ignored");
    }

    @Test
    void expiryIsAlsoCheckedOnOffer() {
        List<Envelope> a = decodeAll(
                new Chunker(1024).encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(3000, 1), CLIENT_KEY));
        List<Envelope> b = decodeAll(
                new Chunker(1024).encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(3000, 2), CLIENT_KEY));
        Reassembler r = reassembler(Limits.defaults().withMaxAgeMillis(100));
        r.offer(a.get(0));
        now.addAndGet(101);
        assertEquals(Status.PENDING, r.offer(b.get(0)).status());
        assertEquals(1, evictions.size());
        assertEquals(a.get(0).chunk().messageId(), evictions.get(0).messageId());
        assertEquals(1, r.messagesInFlight());
    }

    @Test
    void wrongChecksumIsRejected() {
        byte[] payload = random(2500, 5);
        String wrong = Secrets.sha256Hex(random(2500, 6));
        String id = UUID.randomUUID().toString();
        Reassembler r = reassembler(Limits.defaults());
        ProtocolException ex = null;
        for (int i = 0; i < 3; i++) {
            Chunk c = new Chunk(id, i, 3, 1024, payload.length, wrong);
            byte[] part =
                    java.util.Arrays.copyOfRange(payload, (int) c.offset(), (int) c.offset() + c.expectedLength());
            Envelope e = EnvelopeCodec.decode(
                    EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), c, part, CLIENT_KEY), LOOKUP);
            if (i < 2) {
                assertEquals(Status.PENDING, r.offer(e).status());
            } else {
                ex = rejects(r, e, Reason.CHECKSUM_MISMATCH);
                assertEquals(Status.DISCARDED, r.offer(e).status());
            }
        }
        assertTrue(ex.getMessage().contains(wrong), ex.getMessage());
        assertEquals(0, r.bytesInFlight());
        assertEquals(0, r.messagesInFlight());
    }

    @Test
    void inconsistentChunksAreRejected() {
        byte[] payload = random(3000, 8);
        UUID id = UUID.randomUUID();
        Chunker chunker = new Chunker(1024);
        List<Envelope> good = decodeAll(chunker.encode(
                MessageType.CLIENT_UPDATE, Fixtures.update(), payload, CLIENT_KEY, id, Fixtures.ISSUED_AT));
        // same message id, different header
        List<Envelope> otherHeader = decodeAll(chunker.encode(
                MessageType.CLIENT_UPDATE,
                Fixtures.updateWithInitialLoss(),
                payload,
                CLIENT_KEY,
                id,
                Fixtures.ISSUED_AT));
        // same message id, different payload (so different sha256)
        List<Envelope> otherPayload = decodeAll(chunker.encode(
                MessageType.CLIENT_UPDATE, Fixtures.update(), random(3000, 9), CLIENT_KEY, id, Fixtures.ISSUED_AT));
        // same message id and metadata, different bytes for index 1
        byte[] tampered = payload.clone();
        tampered[1500] ^= 1;
        String sha = Secrets.sha256Hex(payload);
        Chunk c1 = new Chunk(id.toString(), 1, 3, 1024, 3000, sha);
        Envelope differentBytes = EnvelopeCodec.decode(
                EnvelopeCodec.encode(
                        MessageType.CLIENT_UPDATE,
                        Fixtures.update(),
                        c1,
                        java.util.Arrays.copyOfRange(tampered, 1024, 2048),
                        CLIENT_KEY),
                LOOKUP);
        // same message, chunk 1 signed by another of the client's keys (rotated mid-message)
        KeyLookup twoKeys =
                KeyLookup.of(Fixtures.CLIENT, List.of(CLIENT_KEY.verifyKey(), Fixtures.OTHER_KEY.verifyKey()));
        Envelope otherKey = EnvelopeCodec.decode(
                chunker.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), payload, Fixtures.OTHER_KEY, id, 0)
                        .get(1),
                twoKeys);

        for (Envelope bad : List.of(otherHeader.get(1), otherPayload.get(1), differentBytes, otherKey)) {
            Reassembler r = reassembler(Limits.defaults());
            r.offer(good.get(0));
            r.offer(good.get(1));
            rejects(r, bad, Reason.CHUNK_INCONSISTENT);
            assertEquals(0, r.bytesInFlight(), "the whole message is dropped");
            assertEquals(Status.DISCARDED, r.offer(good.get(2)).status());
        }
    }

    @Test
    void clientsCannotInterfereThroughMessageIds() {
        UUID id = UUID.randomUUID();
        byte[] mine = random(3000, 10);
        byte[] theirs = random(3000, 11);
        ClientUpdate u = Fixtures.update();
        ClientUpdate other = new ClientUpdate(
                u.experimentId(), u.round(), "client-00012", u.selectionId(), u.modelVersion(), 9, 1.0, null, 1, 1);
        KeyLookup both = LOOKUP.orElse(KeyLookup.of("client-00012", Fixtures.OTHER_KEY.verifyKey()));
        Chunker chunker = new Chunker(1024);
        List<Envelope> a = new ArrayList<>();
        for (byte[] w : chunker.encode(MessageType.CLIENT_UPDATE, u, mine, CLIENT_KEY, id, Fixtures.ISSUED_AT)) {
            a.add(EnvelopeCodec.decode(w, both));
        }
        List<Envelope> b = new ArrayList<>();
        for (byte[] w :
                chunker.encode(MessageType.CLIENT_UPDATE, other, theirs, Fixtures.OTHER_KEY, id, Fixtures.ISSUED_AT)) {
            b.add(EnvelopeCodec.decode(w, both));
        }
        Reassembler r = reassembler(Limits.defaults());
        Envelope doneA = null;
        Envelope doneB = null;
        for (int i = 0; i < 3; i++) {
            Result ra = r.offer(a.get(i));
            Result rb = r.offer(b.get(i));
            doneA = ra.status() == Status.COMPLETE ? ra.message() : doneA;
            doneB = rb.status() == Status.COMPLETE ? rb.message() : doneB;
        }
        assertArrayEquals(mine, doneA.payload());
        assertArrayEquals(theirs, doneB.payload());
    }

    @Test
    void inFlightByteCapIsEnforced() {
        int cs = 1024;
        Reassembler r = reassembler(Limits.defaults().withMaxBytesInFlight(3L * cs));
        List<Envelope> a = decodeAll(
                new Chunker(cs).encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(3 * cs, 12), CLIENT_KEY));
        List<Envelope> b = decodeAll(
                new Chunker(cs).encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(3 * cs, 13), CLIENT_KEY));
        assertEquals(Status.PENDING, r.offer(a.get(0)).status());
        assertEquals(Status.PENDING, r.offer(a.get(1)).status());
        assertEquals(Status.PENDING, r.offer(b.get(0)).status());
        assertEquals(3L * cs, r.bytesInFlight());
        ProtocolException ex = rejects(r, b.get(1), Reason.REASSEMBLY_FULL);
        assertTrue(ex.getMessage().contains("in-flight cap"), ex.getMessage());
        assertEquals(2L * cs, r.bytesInFlight(), "the rejected message's chunks are released");
        assertEquals(Status.DISCARDED, r.offer(b.get(2)).status());
        Result done = r.offer(a.get(2));
        assertEquals(Status.COMPLETE, done.status());
        assertEquals(0, r.bytesInFlight());
    }

    @Test
    void messageCountChunkCountAndPayloadCaps() {
        int cs = 1024;
        Reassembler r = reassembler(Limits.defaults()
                .withMaxMessagesInFlight(2)
                .withMaxChunkCount(4)
                .withMaxPayloadBytes(4 * cs));
        Chunker chunker = new Chunker(cs);
        for (int i = 0; i < 2; i++) {
            List<Envelope> m = decodeAll(
                    chunker.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(2 * cs, 20 + i), CLIENT_KEY));
            assertEquals(Status.PENDING, r.offer(m.get(0)).status());
        }
        List<Envelope> third =
                decodeAll(chunker.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(2 * cs, 30), CLIENT_KEY));
        rejects(r, third.get(0), Reason.REASSEMBLY_FULL);
        List<Envelope> tooMany =
                decodeAll(chunker.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(5 * cs, 31), CLIENT_KEY));
        rejects(r, tooMany.get(0), Reason.TOO_LARGE);
        Reassembler big = reassembler(Limits.defaults().withMaxPayloadBytes(4 * cs));
        List<Envelope> tooLong = decodeAll(new Chunker(4 * cs)
                .encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(4 * cs + 1, 32), CLIENT_KEY));
        rejects(big, tooLong.get(1), Reason.TOO_LARGE);
        assertEquals(Status.DISCARDED, big.offer(tooLong.get(0)).status());
    }

    @Test
    void memoryStaysBoundedUnderARandomStreamOfIncompleteMessages() {
        int cs = 1024;
        long cap = 24L * cs;
        Limits limits = Limits.defaults()
                .withMaxBytesInFlight(cap)
                .withMaxMessagesInFlight(6)
                .withMaxAgeMillis(50);
        Reassembler r = reassembler(limits);
        Random rnd = new Random(99);
        Chunker chunker = new Chunker(cs);
        int completed = 0;
        int rejected = 0;
        for (int m = 0; m < 40; m++) {
            byte[] payload = random(cs * (1 + rnd.nextInt(8)) + rnd.nextInt(cs), m);
            List<Envelope> chunks =
                    decodeAll(chunker.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), payload, CLIENT_KEY));
            boolean dropOne = rnd.nextInt(3) == 0;
            Collections.shuffle(chunks, rnd);
            for (int i = dropOne ? 1 : 0; i < chunks.size(); i++) {
                now.addAndGet(rnd.nextInt(3));
                try {
                    Result res = r.offer(chunks.get(i));
                    if (res.status() == Status.COMPLETE) {
                        completed++;
                        assertArrayEquals(payload, res.message().payload());
                    }
                } catch (ProtocolException e) {
                    assertEquals(Reason.REASSEMBLY_FULL, e.reason(), e.getMessage());
                    rejected++;
                }
                assertTrue(r.bytesInFlight() <= cap, "bytes in flight " + r.bytesInFlight());
                assertTrue(r.messagesInFlight() <= 6);
            }
        }
        now.addAndGet(1000);
        r.evictExpired();
        assertEquals(0, r.bytesInFlight());
        assertEquals(0, r.messagesInFlight());
        assertTrue(completed >= 10, "completed " + completed);
        assertTrue(rejected > 0, "the caps were hit");
        assertTrue(!evictions.isEmpty(), "incomplete messages were evicted");
        assertTrue(completed + rejected + evictions.size() <= 40);
    }

    @Test
    void defaultChunksOfACnnTaskFitInAKafkaRecord() {
        ModelSpec cnn = ModelSpec.leafCnn(62);
        ClientTask t = ClientTask.of(
                "exp-1",
                0,
                "client-00001",
                0,
                cnn,
                Selection.full(cnn),
                Fixtures.train(),
                io.afd.core.codec.CodecSpec.FLOAT32,
                io.afd.core.codec.CodecSpec.FLOAT32,
                1);
        Chunk c = new Chunk(
                UUID.randomUUID().toString(),
                0,
                2,
                Chunker.DEFAULT_CHUNK_SIZE,
                Chunker.DEFAULT_CHUNK_SIZE + 1,
                "0".repeat(64));
        byte[] wire = EnvelopeCodec.encode(
                MessageType.CLIENT_TASK, t, c, new byte[Chunker.DEFAULT_CHUNK_SIZE], Fixtures.SERVER_KEY);
        assertTrue(wire.length < EnvelopeCodec.DEFAULT_MAX_BYTES - 64 * 1024, "envelope of " + wire.length);
    }

    @Test
    void chunkMetadataIsValidated() {
        String id = UUID.randomUUID().toString();
        String sha = "a".repeat(64);
        assertThrows(IllegalArgumentException.class, () -> new Chunk(id, 0, 3, 1024, 2048, sha)); // count != ceil
        assertThrows(IllegalArgumentException.class, () -> new Chunk(id, 2, 2, 1024, 2048, sha)); // index >= count
        assertThrows(IllegalArgumentException.class, () -> new Chunk(id, 0, 2, 512, 1000, sha)); // size < min
        assertThrows(IllegalArgumentException.class, () -> new Chunk(id.toUpperCase(), 0, 2, 1024, 2048, sha));
        assertThrows(IllegalArgumentException.class, () -> new Chunk(id, 0, 2, 1024, 2048, "A".repeat(64)));
        assertEquals(976, new Chunk(id, 2, 3, 1024, 3024, sha).expectedLength());
        assertThrows(IllegalArgumentException.class, () -> new Chunker(100));
    }

    private static Envelope from(String sender, Envelope e) {
        return new Envelope(
                e.type(), e.header(), e.chunk(), e.payload(), sender, e.keyId(), e.issuedAtMillis(), e.wireLength());
    }

    private static List<Envelope> message(long seed, int bytes) {
        return decodeAll(new Chunker(1024)
                .encode(MessageType.CLIENT_UPDATE, Fixtures.update(), random(bytes, seed), CLIENT_KEY));
    }

    @Test
    void oneSenderCannotTakeTheSlotsOrBytesTheOthersNeed() {
        Reassembler r =
                reassembler(Limits.defaults().withMaxPayloadBytes(1 << 20).withPerSender(2, 1 << 20));
        assertEquals(
                Status.PENDING,
                r.offer(from("client-a", message(10, 4096).get(0))).status());
        List<Envelope> done = message(11, 4096);
        assertEquals(Status.PENDING, r.offer(from("client-a", done.get(0))).status());
        ProtocolException slots = rejects(r, from("client-a", message(12, 4096).get(0)), Reason.REASSEMBLY_FULL);
        assertTrue(slots.getMessage().contains("cap per sender 2"), slots.getMessage());
        assertEquals(
                Status.PENDING,
                r.offer(from("client-b", message(13, 4096).get(0))).status(),
                "others still get in");
        // a finished message frees its sender's slot
        for (int i = 1; i < done.size(); i++) {
            r.offer(from("client-a", done.get(i)));
        }
        assertEquals(
                Status.PENDING,
                r.offer(from("client-a", message(14, 4096).get(0))).status());

        Reassembler b = reassembler(Limits.defaults().withMaxPayloadBytes(8192).withPerSender(4, 8192));
        List<Envelope> first = message(20, 8192);
        for (int i = 0; i < 7; i++) {
            assertEquals(Status.PENDING, b.offer(from("client-a", first.get(i))).status());
        }
        List<Envelope> second = message(21, 8192);
        assertEquals(Status.PENDING, b.offer(from("client-a", second.get(0))).status()); // 8192 buffered: at the cap
        ProtocolException bytes = rejects(b, from("client-a", second.get(1)), Reason.REASSEMBLY_FULL);
        assertTrue(bytes.getMessage().contains("8192 bytes per sender"), bytes.getMessage());
        assertEquals(
                Status.PENDING,
                b.offer(from("client-b", message(22, 8192).get(0))).status());
        assertEquals(7 * 1024 + 1024, b.bytesInFlight(), "the refused message's chunks are dropped; the rest stay");
    }

    @Test
    void perSenderQuotasMustFitTheGlobalOnes() {
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withPerSender(0, 1 << 28));
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withPerSender(4, 1024));
        Limits l = Limits.defaults().withMaxPayloadBytes(1 << 20).withMaxMessagesInFlight(2);
        assertEquals(2, l.maxMessagesPerSender());
        assertTrue(l.maxBytesPerSender() >= l.maxPayloadBytes());
    }
}
