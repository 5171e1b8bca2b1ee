package io.afd.core.train;

import io.afd.core.codec.TensorCodec;
import io.afd.core.round.LocalTask;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.ParamSet;

/**
 * One client's round with no transport: decode the received sub-model blob, train it on local data
 * with DGC ({@link LocalTrainer}), encode the update with the uplink codec. The edge client runs it
 * on a task received from Kafka; the simulator runs it on the blob it just encoded, so both produce
 * the same update bytes for the same inputs.
 */
public final class ClientStep {
    private final LocalTrainer trainer;

    public ClientStep(RuntimeCache runtimes) {
        this.trainer = new LocalTrainer(runtimes);
    }

    /**
     * What the step produced.
     *
     * @param local      the training result (update, losses, counts)
     * @param uplinkBlob the encoded update (AFDT)
     * @param trainNanos time spent training
     */
    public record Result(LocalResult local, byte[] uplinkBlob, long trainNanos) {}

    /**
     * @param layout   maps the sub-model to global coordinates
     * @param payload  the received sub-model blob (AFDT, dense)
     * @param features local features, sample-major
     * @param labels   local labels
     * @param task     the round's settings for this client
     * @param state    this client's DGC state in global coordinates (updated)
     * @throws IllegalArgumentException when the payload does not match the layout's sub-model
     */
    public Result run(
            SubModelLayout layout,
            byte[] payload,
            float[] features,
            int[] labels,
            LocalTask task,
            ClientOptimizerState state) {
        ParamSet received = new ParamSet(TensorCodec.decodeDense(payload));
        layout.sub().validate(received);
        long t0 = System.nanoTime();
        LocalResult r = trainer.train(
                layout,
                received,
                features,
                labels,
                task.train(),
                state,
                task.round(),
                task.clientsInRound(),
                task.seed(),
                task.computeInitialLoss());
        long nanos = System.nanoTime() - t0;
        return new Result(r, TensorCodec.encode(r.update(), task.uplink()), nanos);
    }
}
