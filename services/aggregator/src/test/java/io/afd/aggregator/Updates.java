package io.afd.aggregator;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.fedavg.FedAvgAccumulator;
import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import io.afd.protocol.Chunker;
import io.afd.protocol.ClientUpdate;
import io.afd.protocol.MessageType;
import io.afd.protocol.SigningKey;
import io.afd.protocol.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds client updates the way an edge client does: sub-model deltas, AFDT, signed (chunked) envelopes. */
final class Updates {
    static final ModelSpec SPEC = ModelSpec.mlp(24, 6, 20, 16);
    static final String ARCH = SPEC.toString();
    /** Chunk size that splits a dense update of this model into several envelopes. */
    static final int SMALL_CHUNKS = 1024;

    static final int NO_CHUNKS = 1 << 20;

    private Updates() {}

    /** An update as sent: its blob, header and envelopes. */
    record Sent(String key, ClientUpdate header, Selection selection, byte[] blob, List<byte[]> envelopes) {
        long wireBytes() {
            return envelopes.stream().mapToLong(e -> e.length).sum();
        }

        Sent send() {
            KafkaIo.send(Topics.UPDATES, key, envelopes);
            return this;
        }
    }

    /** One record on the updates topic, as is. */
    static void send(String key, byte[] value) {
        KafkaIo.send(Topics.UPDATES, key, List.of(value));
    }

    static Selection selection(String canonical) {
        Selection s = Selection.parse(canonical);
        s.validate(SPEC);
        return s;
    }

    /** A dense delta of the selection's sub-model, small values from a seed. */
    static List<NamedTensor> dense(Selection sel, long seed) {
        ModelSpec sub = new SubModelLayout(SPEC, sel).sub();
        SplittableRandom r = new SplittableRandom(seed);
        List<NamedTensor> out = new ArrayList<>();
        for (ParamSpec p : sub.params()) {
            float[] d = new float[p.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) ((r.nextDouble() - 0.5) * 0.02);
            }
            out.add(new Tensor(p.name(), p.shape(), d));
        }
        return out;
    }

    /** A sparse delta (every 7th coordinate) of the selection's sub-model, as DGC sends. */
    static List<NamedTensor> sparse(Selection sel, long seed) {
        ModelSpec sub = new SubModelLayout(SPEC, sel).sub();
        SplittableRandom r = new SplittableRandom(seed);
        List<NamedTensor> out = new ArrayList<>();
        for (ParamSpec p : sub.params()) {
            int n = (p.size() + 6) / 7;
            int[] idx = new int[n];
            float[] val = new float[n];
            for (int k = 0; k < n; k++) {
                idx[k] = 7 * k;
                val[k] = (float) ((r.nextDouble() - 0.5) * 0.05);
            }
            out.add(new SparseTensor(p.name(), p.shape(), idx, val));
        }
        return out;
    }

    static ClientUpdate header(String exp, int round, String client, String selectionId, long modelVersion, int n) {
        return new ClientUpdate(
                exp,
                round,
                client,
                selectionId,
                modelVersion,
                n,
                0.5 + n / 1000.0,
                n % 2 == 0 ? 1.25 : null,
                1000 + n,
                4000 + n);
    }

    /** A signed update of {@code client} with its own key. */
    static Sent update(
            String exp,
            int round,
            String client,
            Selection sel,
            long baseVersion,
            List<NamedTensor> delta,
            int n,
            int chunkSize) {
        return raw(
                client,
                header(exp, round, client, sel.id(), baseVersion, n),
                sel,
                TensorCodec.encode(delta, CodecSpec.FLOAT32),
                chunkSize,
                TestKeys.of(client));
    }

    /** Any payload under any header and record key, signed now with any key. */
    static Sent raw(String key, ClientUpdate header, Selection sel, byte[] payload, int chunkSize, SigningKey signer) {
        return raw(key, header, sel, payload, chunkSize, signer, System.currentTimeMillis());
    }

    /** Any payload under any header and record key, signed with any key at any time. */
    static Sent raw(
            String key,
            ClientUpdate header,
            Selection sel,
            byte[] payload,
            int chunkSize,
            SigningKey signer,
            long issuedAtMillis) {
        List<byte[]> envs = new Chunker(chunkSize)
                .encode(
                        MessageType.CLIENT_UPDATE,
                        header,
                        payload,
                        signer,
                        java.util.UUID.randomUUID(),
                        issuedAtMillis);
        return new Sent(key, header, sel, payload, envs);
    }

    static byte[] baseBlob(long seed) {
        return TensorCodec.encode(SPEC.init(seed).list(), CodecSpec.FLOAT32);
    }

    /** What core's FedAvg makes of these updates on these base weights (the reference result). */
    static ParamSet expected(byte[] baseBlob, List<Sent> good) {
        FedAvgAccumulator acc = new FedAvgAccumulator(SPEC);
        for (Sent s : good) {
            acc.add(s.selection(), TensorCodec.decode(s.blob()), s.header().numSamples());
        }
        return acc.apply(new ParamSet(TensorCodec.decodeDense(baseBlob)));
    }
}
