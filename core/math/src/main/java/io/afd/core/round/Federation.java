package io.afd.core.round;

import io.afd.core.submodel.Selection;
import io.afd.core.tensor.ParamSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The port between the round loop and whatever trains: the clients, their selections, the model
 * store and the aggregation. The simulator implements it in-process; the orchestrator implements it
 * with the suite's services. Every method is idempotent per (experiment, round), so a step that is
 * repeated after a crash gives the same result.
 */
public interface Federation {

    /** Updates received and rejected so far in a round. */
    record Collected(int received, int rejected) {}

    /** One client's part in a closed round. */
    record ClientOutcome(ClientReport report, long bytesDown, long bytesUp) {}

    /** A closed round: the new global version and what each accepted update reported. */
    record Closed(int modelVersion, List<ClientOutcome> results, int rejected) {
        /** Sample-weighted mean training loss of the accepted updates (NaN without any). */
        public double meanTrainLoss() {
            double num = 0;
            long den = 0;
            for (ClientOutcome c : results) {
                num += c.report().trainLoss() * c.report().numSamples();
                den += c.report().numSamples();
            }
            return den == 0 ? Double.NaN : num / den;
        }

        public long bytesUp() {
            return results.stream().mapToLong(ClientOutcome::bytesUp).sum();
        }
    }

    /** Test accuracy and loss of a global version. */
    record Evaluation(double accuracy, double loss, int samples) {}

    /** The clients available to take part, in a stable order. */
    List<Client> pool();

    /** Publishes the initial model (or finds the one published before); returns its version. */
    int publishInitialModel(ParamSet initial);

    /** The selection of every participant of a round, chosen by the experiment's policy. */
    Map<String, Selection> select(int round, List<Client> participants);

    /**
     * Sends every participant its task.
     *
     * @return bytes sent to all participants
     */
    long sendTasks(RoundTask task, int baseVersion, List<ClientAssignment> assignments, Instant deadline);

    /** How many updates arrived so far. */
    Collected collect(int round);

    /** Aggregates the accepted updates of a round (FedAvg) into a new global version. */
    Closed close(int round);

    /** Applies a closed round's results to the score maps. */
    void publishResults(int round, Closed closed);

    /** Evaluates a global version on the held-out test set and records the metrics with it. */
    Evaluation evaluate(int round, int modelVersion, int batchSize);
}
