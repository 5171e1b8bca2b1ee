package io.afd.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.afd.protocol.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client's identity survives on disk: its key and Kafka login owner-only, the server keys beside it. */
class ClientIdentityTest {
    private static final KafkaConnection KAFKA =
            KafkaConnection.scram("127.0.0.1:9092", KafkaLogin.scram("client-00005", "kafka-secret-5"));

    @TempDir
    Path dir;

    @Test
    void savedAndLoadedUnchangedWithTheKeyOwnerOnly() throws Exception {
        SigningKey key = SigningKey.generate();
        SigningKey server = SigningKey.generate();
        new ClientIdentity("client-00005", key, List.of(server.verifyKey()), KAFKA).save(dir);
        assertTrue(ClientIdentity.exists(dir, "client-00005"));
        assertFalse(ClientIdentity.exists(dir, "client-00006"));
        ClientIdentity back = ClientIdentity.load(dir, "client-00005");
        assertEquals(key.keyId(), back.key().keyId());
        assertEquals(key.seedText(), back.key().seedText());
        assertEquals(List.of(server.verifyKey()), back.serverKeys());
        assertEquals(KAFKA, back.kafka());
        for (String f : List.of("client-00005.key", "client-00005.kafka")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))));
        }
        assertEquals(
                "10.0.0.1:9094", back.withBootstrap("10.0.0.1:9094").kafka().bootstrapServers());
        assertFalse(back.toString().contains("kafka-secret-5"), "never the password");
        assertFalse(back.toString().contains(key.seedText()), "never the seed");
        // saving the same identity again is fine; another key for the same id is refused
        back.save(dir);
        ClientIdentity other = new ClientIdentity("client-00005", SigningKey.generate(), back.serverKeys(), KAFKA);
        assertThrows(java.io.UncheckedIOException.class, () -> other.save(dir));
    }

    @Test
    void missingOrCorruptFilesSayWhichAndWhy() throws Exception {
        IllegalStateException missing =
                assertThrows(IllegalStateException.class, () -> ClientIdentity.load(dir, "client-00001"));
        assertTrue(missing.getMessage().contains("enrol"), missing.getMessage());
        SigningKey server = SigningKey.generate();
        new ClientIdentity("client-00001", SigningKey.generate(), List.of(server.verifyKey()), KAFKA).save(dir);
        Files.writeString(
                dir.resolve("server-keys"),
                "0000000000000000 " + server.verifyKey().text() + "\n");
        IllegalStateException bad =
                assertThrows(IllegalStateException.class, () -> ClientIdentity.load(dir, "client-00001"));
        assertTrue(bad.getMessage().contains("is not its key's"), bad.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClientIdentity("client-00001", SigningKey.generate(), List.of(), KAFKA));
    }
}
