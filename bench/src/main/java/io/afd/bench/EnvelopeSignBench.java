package io.afd.bench;

import io.afd.protocol.SigningKey;
import io.afd.protocol.VerifyKey;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What signing and verifying one envelope costs (ADR 0015), for a DGC update that fits one record (40 KB) and a
 * full 512 KiB chunk of a task: protocol version 2's Ed25519 of the envelope's SHA-256 ({@code ed25519-sha256}),
 * pure Ed25519 of the whole envelope ({@code ed25519-pure}, the alternative rejected), and version 1's HMAC-SHA256
 * ({@code hmac-sha256}, which needs a secret the server shares).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class EnvelopeSignBench {

    @Param({"40000", "524288"})
    public int bytes;

    @Param({"ed25519-sha256", "ed25519-pure", "hmac-sha256"})
    public String scheme;

    private byte[] envelope;
    private SigningKey key;
    private VerifyKey verifyKey;
    private byte[] signature;
    private Mac mac;
    private byte[] tag;

    @Setup
    public void setup() throws Exception {
        envelope = new byte[bytes];
        new SplittableRandom(Fixtures.SEED).nextBytes(envelope);
        key = SigningKey.fromSeed(java.util.Arrays.copyOf(envelope, 32));
        verifyKey = key.verifyKey();
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(java.util.Arrays.copyOf(envelope, 32), "HmacSHA256"));
        signature = sign();
        tag = signature;
    }

    @Benchmark
    public byte[] sign() throws Exception {
        return switch (scheme) {
            case "ed25519-sha256" ->
                key.sign(MessageDigest.getInstance("SHA-256").digest(envelope));
            case "ed25519-pure" -> key.sign(envelope);
            default -> mac.doFinal(envelope);
        };
    }

    @Benchmark
    public boolean verify() throws Exception {
        return switch (scheme) {
            case "ed25519-sha256" -> {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(envelope);
                yield verifyKey.verify(d, 0, d.length, signature);
            }
            case "ed25519-pure" -> verifyKey.verify(envelope, 0, envelope.length, signature);
            default -> MessageDigest.isEqual(mac.doFinal(envelope), tag);
        };
    }
}
