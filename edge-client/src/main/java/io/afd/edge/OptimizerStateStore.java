package io.afd.edge;

import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.train.ClientOptimizerState;
import io.afd.protocol.Ids;
import io.afd.protocol.Secrets;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Where an edge client keeps, between runs, what it must not forget: per experiment and model, the DGC momentum
 * and residual ({@link ClientOptimizerState}) and the rounds it has answered. Written after an update is
 * acknowledged and before the task's offset is committed, so a client restarted at any point sends what it would
 * have sent: a task answered before the crash is skipped, one not yet answered is trained from the state before it.
 *
 * <p>One file per (client, experiment, model), {@code <dir>/<clientId>/<experimentId>.<8 hex of SHA-256 of the
 * model>.state}, replaced atomically (written to a temporary file, forced to disk, renamed). Layout (big-endian):
 * magic {@code AFDS}, version 1, the model spec as UTF, the answered rounds (count, then each), a flag (1 when the
 * tensors follow: stateful DGC only), then per parameter of the model in spec order its name (UTF), element count,
 * momentum and residual floats; last the CRC32 of everything before. A file that fails its checks is refused with
 * the reason (never silently replaced by zeros).
 */
final class OptimizerStateStore {
    private static final int MAGIC = 0x41464453; // "AFDS"
    private static final int VERSION = 1;

    /** What is kept for one experiment and model. */
    record Saved(Set<Integer> answeredRounds, ClientOptimizerState state) {}

    private final Path dir;

    OptimizerStateStore(Path dir) {
        this.dir = dir;
    }

    Path file(String clientId, String experimentId, ModelSpec spec) {
        Ids.require(clientId, "client id");
        Ids.require(experimentId, "experiment id");
        String h = Secrets.sha256Hex(spec.toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 8);
        return dir.resolve(clientId).resolve(experimentId + "." + h + ".state");
    }

    /** The saved state, if any; {@code state} is null when it was saved without tensors. */
    Optional<Saved> load(String clientId, String experimentId, ModelSpec spec) {
        Path f = file(clientId, experimentId, spec);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        CRC32 crc = new CRC32();
        try (DataInputStream in = new DataInputStream(
                new CheckedInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16), crc))) {
            if (in.readInt() != MAGIC || in.readUnsignedByte() != VERSION) {
                throw new IOException("not an optimizer state file (magic or version)");
            }
            String saved = in.readUTF();
            if (!saved.equals(spec.toString())) {
                throw new IOException("saved for model " + saved + ", not " + spec);
            }
            int n = in.readInt();
            Set<Integer> rounds = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                rounds.add(in.readInt());
            }
            ClientOptimizerState state = null;
            if (in.readUnsignedByte() == 1) {
                state = new ClientOptimizerState(spec);
                for (ParamSpec p : spec.params()) {
                    String name = in.readUTF();
                    int size = in.readInt();
                    if (!name.equals(p.name()) || size != p.size()) {
                        throw new IOException("tensor " + name + "[" + size + "] where " + p.name() + "[" + p.size()
                                + "] was expected");
                    }
                    readFloats(in, state.momentum(name));
                    readFloats(in, state.residual(name));
                }
            }
            long expected = crc.getValue();
            long stored = in.readInt() & 0xffffffffL;
            if (stored != expected) {
                throw new IOException("checksum mismatch");
            }
            return Optional.of(new Saved(rounds, state));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot use the optimizer state in " + f + " (" + e.getMessage() + "); move it away to start"
                            + " this experiment's DGC state afresh",
                    e);
        }
    }

    /** Replaces the saved state atomically; {@code state} null saves the answered rounds only. */
    void save(
            String clientId,
            String experimentId,
            ModelSpec spec,
            Set<Integer> answeredRounds,
            ClientOptimizerState state) {
        Path f = file(clientId, experimentId, spec);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), experimentId, ".tmp");
            CRC32 crc = new CRC32();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
                            new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16), crc))) {
                out.writeInt(MAGIC);
                out.writeByte(VERSION);
                out.writeUTF(spec.toString());
                out.writeInt(answeredRounds.size());
                for (int r : answeredRounds) {
                    out.writeInt(r);
                }
                out.writeByte(state == null ? 0 : 1);
                if (state != null) {
                    for (ParamSpec p : spec.params()) {
                        out.writeUTF(p.name());
                        out.writeInt(p.size());
                        writeFloats(out, state.momentum(p.name()));
                        writeFloats(out, state.residual(p.name()));
                    }
                }
                out.flush();
                new DataOutputStream(java.nio.channels.Channels.newOutputStream(ch)).writeInt((int) crc.getValue());
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the optimizer state of " + clientId + " in " + f, e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        byte[] buf = new byte[Math.min(a.length, 16_384) * 4];
        for (int i = 0; i < a.length; ) {
            int n = Math.min(a.length - i, buf.length / 4);
            for (int j = 0; j < n; j++) {
                int bits = Float.floatToRawIntBits(a[i + j]);
                buf[4 * j] = (byte) (bits >>> 24);
                buf[4 * j + 1] = (byte) (bits >>> 16);
                buf[4 * j + 2] = (byte) (bits >>> 8);
                buf[4 * j + 3] = (byte) bits;
            }
            out.write(buf, 0, 4 * n);
            i += n;
        }
    }

    private static void readFloats(DataInputStream in, float[] a) throws IOException {
        byte[] buf = new byte[Math.min(a.length, 16_384) * 4];
        for (int i = 0; i < a.length; ) {
            int n = Math.min(a.length - i, buf.length / 4);
            in.readFully(buf, 0, 4 * n);
            for (int j = 0; j < n; j++) {
                int bits = ((buf[4 * j] & 0xff) << 24)
                        | ((buf[4 * j + 1] & 0xff) << 16)
                        | ((buf[4 * j + 2] & 0xff) << 8)
                        | (buf[4 * j + 3] & 0xff);
                a[i + j] = Float.intBitsToFloat(bits);
            }
            i += n;
        }
    }
}
