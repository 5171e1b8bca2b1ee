package io.afd.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.protocol.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client's identity survives on disk: its key owner-only, the server keys beside it. */
class ClientIdentityTest {

    @TempDir
    Path dir;

    @Test
    void savedAndLoadedUnchangedWithTheKeyOwnerOnly() throws Exception {
        SigningKey key = SigningKey.generate();
        SigningKey server = SigningKey.generate();
        new ClientIdentity("client-00005", key, List.of(server.verifyKey())).save(dir);
        assertTrue(ClientIdentity.exists(dir, "client-00005"));
        assertFalse(ClientIdentity.exists(dir, "client-00006"));
        ClientIdentity back = ClientIdentity.load(dir, "client-00005");
        assertEquals(key.keyId(), back.key().keyId());
        assertEquals(key.seedText(), back.key().seedText());
        assertEquals(List.of(server.verifyKey()), back.serverKeys());
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client-00005.key"))));
        assertFalse(back.toString().contains(key.seedText()), "never the seed");
        // saving the same identity again is fine; another key for the same id is refused
        back.save(dir);
        ClientIdentity other = new ClientIdentity("client-00005", SigningKey.generate(), back.serverKeys());
        assertThrows(java.io.UncheckedIOException.class, () -> other.save(dir));
    }

    @Test
    void missingOrCorruptFilesSayWhichAndWhy() throws Exception {
        IllegalStateException missing =
                assertThrows(IllegalStateException.class, () -> ClientIdentity.load(dir, "client-00001"));
        assertTrue(missing.getMessage().contains("enrol"), missing.getMessage());
        SigningKey server = SigningKey.generate();
        new ClientIdentity("client-00001", SigningKey.generate(), List.of(server.verifyKey())).save(dir);
        Files.writeString(
                dir.resolve("server-keys"),
                "0000000000000000 " + server.verifyKey().text() + "\n");
        IllegalStateException bad =
                assertThrows(IllegalStateException.class, () -> ClientIdentity.load(dir, "client-00001"));
        assertTrue(bad.getMessage().contains("is not its key's"), bad.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClientIdentity("client-00001", SigningKey.generate(), List.of()));
    }
}
