package io.afd.core.round;

import io.afd.core.dgc.DgcConfig;
import io.afd.core.scoremap.Sampling;
import io.afd.core.submodel.Selection;
import io.afd.core.tensor.ParamSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plans rounds, with no transport and no storage: who takes part, what each participant's task is,
 * the initial model and the policy. The in-process simulator and the distributed suite call the
 * same methods, so the same config and seed plan the same rounds.
 */
public final class RoundPlanner {
    private final RoundSettings settings;

    public RoundPlanner(RoundSettings settings) {
        this.settings = settings;
    }

    public RoundSettings settings() {
        return settings;
    }

    /** The initial global model, seeded {@link SeedStream#MODEL_INIT}. */
    public ParamSet initialModel() {
        return settings.model().init(SeedStream.MODEL_INIT.derive(settings.seed()));
    }

    /** A fresh instance of the experiment's policy, seeded {@link SeedStream#POLICY}. */
    public SelectionPolicy policy() {
        return Policies.create(settings.model(), settings.selection(), SeedStream.POLICY.derive(settings.seed()));
    }

    /** How many clients round participants need: {@code clientsPerRound}. */
    public int clientsNeeded() {
        return settings.clientsPerRound();
    }

    /**
     * The participants of a round: {@code clientsPerRound} of the pool, uniformly without
     * replacement ({@link SeedStream#SAMPLING}), in pool order. The pool must be in a stable order
     * (the suite sorts it by id; the simulator's ids sort like their indices).
     */
    public List<Client> participants(int round, List<Client> pool) {
        int[] picked = sample(settings.seed(), round, pool.size(), settings.clientsPerRound());
        List<Client> out = new ArrayList<>(picked.length);
        for (int k : picked) {
            out.add(pool.get(k));
        }
        return out;
    }

    /** Sorted positions in a pool of {@code poolSize}: {@code min(perRound, poolSize)} of them. */
    static int[] sample(long seed, int round, int poolSize, int perRound) {
        SplittableRandom r = new SplittableRandom(SeedStream.SAMPLING.derive(seed, round));
        return Sampling.uniform(poolSize, Math.min(perRound, poolSize), r);
    }

    /** What the tasks of round {@code round} with {@code clientsInRound} participants share. */
    public RoundTask task(int round, int clientsInRound) {
        TrainConfig t = settings.train();
        DgcConfig d = t.dgc();
        DgcConfig resolved = new DgcConfig(
                d.momentum(),
                Math.max(0, d.clipNorm()),
                new double[0],
                d.sparsityForRound(round),
                d.denseBelow(),
                d.sampleRatio(),
                d.tolerance(),
                d.factorMasking());
        return new RoundTask(
                round,
                new TrainConfig(t.epochs(), t.batchSize(), t.learningRate(), resolved),
                clientsInRound,
                settings.downlink(),
                settings.uplink(),
                settings.seed(),
                settings.selection().lossSignal() == LossSignal.INITIAL);
    }

    /** The task spec of one participant, with its seeds. */
    public static ClientAssignment assign(RoundTask task, Client client, Selection selection) {
        long seed = task.seed();
        int t = task.round();
        int k = client.index();
        return new ClientAssignment(
                task,
                client,
                selection,
                task.downlink().withSeed(SeedStream.DOWNLINK.derive(seed, t, k)),
                task.uplink().withSeed(SeedStream.UPLINK.derive(seed, t, k)),
                SeedStream.TRAINING.derive(seed, t, k));
    }
}
