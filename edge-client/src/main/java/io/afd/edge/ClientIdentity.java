package io.afd.edge;

import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.Ids;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.SigningKey;
import io.afd.protocol.VerifyKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an edge client keeps between runs: its id, its own Ed25519 key (which never leaves the device), the services'
 * public keys its tasks are signed with, and its Kafka access from the enrolment (its SCRAM login, which reads only
 * its own task topic). On disk, in a key directory shared by any number of clients: {@code <clientId>.key} holds the
 * seed (43 base64url characters, owner-only), {@code <clientId>.kafka} the Kafka settings and password
 * (owner-only, replaced at every enrolment) and {@code server-keys} one line {@code <keyId> <publicKey>} per
 * services' key.
 */
public record ClientIdentity(String clientId, SigningKey key, List<VerifyKey> serverKeys, KafkaConnection kafka) {
    private static final String SERVER_KEYS = "server-keys";

    public ClientIdentity {
        Ids.require(clientId, "client id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kafka, "kafka");
        serverKeys = List.copyOf(serverKeys);
        if (serverKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one server key is needed to verify tasks");
        }
    }

    /** The lookup tasks are verified with. */
    public KeyLookup serverLookup() {
        return KeyLookup.of(EnvelopeCodec.SERVER, serverKeys);
    }

    /**
     * Enrols a fresh key for {@code clientId} with its one-time token, and keeps it in {@code dir}.
     *
     * @throws IllegalStateException when the orchestrator refuses (the token is wrong, used or expired)
     */
    public static ClientIdentity enrol(OrchestratorApi orchestrator, String clientId, String token, Path dir) {
        SigningKey key = SigningKey.generate();
        OrchestratorApi.Enrolled e = orchestrator.enrol(clientId, token, key);
        ClientIdentity id = new ClientIdentity(clientId, key, e.serverKeys(), e.kafka());
        id.save(dir);
        return id;
    }

    /** Whether {@code dir} holds a key for this client. */
    public static boolean exists(Path dir, String clientId) {
        return Files.isRegularFile(keyFile(dir, clientId))
                && Files.isRegularFile(kafkaFile(dir, clientId))
                && Files.isRegularFile(dir.resolve(SERVER_KEYS));
    }

    /**
     * The identity kept in {@code dir}.
     *
     * @throws IllegalStateException when a file is missing or invalid, naming it
     */
    public static ClientIdentity load(Path dir, String clientId) {
        Path kf = keyFile(dir, clientId);
        Path sf = dir.resolve(SERVER_KEYS);
        try {
            SigningKey key = SigningKey.parse(
                    Files.readString(kf, StandardCharsets.US_ASCII).trim());
            List<VerifyKey> server = new ArrayList<>();
            for (String line : Files.readAllLines(sf, StandardCharsets.US_ASCII)) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split("\\s+");
                VerifyKey k = VerifyKey.parse(parts[parts.length - 1]);
                if (parts.length == 2 && !parts[0].equals(k.keyId())) {
                    throw new IllegalArgumentException("key id " + parts[0] + " is not its key's (" + k.keyId() + ")");
                }
                server.add(k);
            }
            return new ClientIdentity(clientId, key, server, readKafka(kafkaFile(dir, clientId)));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the identity of " + clientId + " from " + dir + ": " + e
                            + " (enrol first: EdgeClientMain enrol --orchestrator URL --id ID --token TOKEN)",
                    e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException(
                    "invalid identity of " + clientId + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the key (owner-only, refusing to overwrite another key) and the server keys. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Path kf = keyFile(dir, clientId);
            if (Files.exists(kf)) {
                String old = Files.readString(kf, StandardCharsets.US_ASCII).trim();
                if (!old.equals(key.seedText())) {
                    throw new FileAlreadyExistsException(kf + " holds another key of " + clientId);
                }
            } else {
                Path tmp = Files.createTempFile(dir, clientId, ".tmp");
                restrict(tmp);
                Files.writeString(tmp, key.seedText() + "\n", StandardCharsets.US_ASCII);
                Files.move(tmp, kf, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            writeKafka(dir, kafkaFile(dir, clientId));
            StringBuilder sb = new StringBuilder("# the services' Ed25519 public keys: key id, key\n");
            for (VerifyKey k : serverKeys) {
                sb.append(k.keyId()).append(' ').append(k.text()).append('\n');
            }
            Files.writeString(dir.resolve(SERVER_KEYS), sb.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the identity of " + clientId + " in " + dir, e);
        }
    }

    private static Path kafkaFile(Path dir, String clientId) {
        Ids.require(clientId, "client id");
        return dir.resolve(clientId + ".kafka");
    }

    private void writeKafka(Path dir, Path file) throws IOException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        p.setProperty("security.protocol", kafka.securityProtocol());
        if (kafka.login() != null) {
            p.setProperty("sasl.mechanism", kafka.login().mechanism());
            p.setProperty("username", kafka.login().username());
            p.setProperty("password", kafka.login().password());
        }
        Path tmp = Files.createTempFile(dir, clientId, ".tmp");
        restrict(tmp);
        try (var w = Files.newBufferedWriter(tmp, StandardCharsets.ISO_8859_1)) {
            p.store(w, "Kafka access of " + clientId + " from its enrolment: keep it private");
        }
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static KafkaConnection readKafka(Path file) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        }
        String password = p.getProperty("password");
        KafkaLogin login = password == null
                ? null
                : new KafkaLogin(p.getProperty("username"), password, p.getProperty("sasl.mechanism"));
        return new KafkaConnection(
                p.getProperty("bootstrap.servers"), p.getProperty("security.protocol"), login, java.util.Map.of());
    }

    /** The same identity reaching Kafka at another address (an external listener, a port forward). */
    public ClientIdentity withBootstrap(String bootstrapServers) {
        return new ClientIdentity(
                clientId,
                key,
                serverKeys,
                new KafkaConnection(bootstrapServers, kafka.securityProtocol(), kafka.login(), kafka.extra()));
    }

    private static Path keyFile(Path dir, String clientId) {
        Ids.require(clientId, "client id");
        return dir.resolve(clientId + ".key");
    }

    private static void restrict(Path p) throws IOException {
        try {
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
            Files.setPosixFilePermissions(p, owner);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: rely on the directory's permissions
        }
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + clientId + ", key " + key.keyId() + "]";
    }
}
