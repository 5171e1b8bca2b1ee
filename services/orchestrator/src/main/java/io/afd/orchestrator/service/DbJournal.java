package io.afd.orchestrator.service;

import io.afd.core.round.Client;
import io.afd.core.round.Federation;
import io.afd.core.round.RoundJournal;
import io.afd.core.round.RoundState;
import io.afd.orchestrator.Experiment;
import io.afd.orchestrator.RoundRecord;
import io.afd.orchestrator.RoundRecord.State;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The {@link RoundJournal} of one experiment in the orchestrator's PostgreSQL tables
 * ({@code experiment}, {@code round}): each method is one short transaction of {@link RoundStore}.
 */
final class DbJournal implements RoundJournal {
    private final RoundStore store;
    private final String id;

    private final RoundMetrics metrics;
    private final String downlink;
    private final String uplink;

    DbJournal(RoundStore store, String experimentId) {
        this(store, experimentId, RoundMetrics.none(), "", "");
    }

    /** With meters; the codecs label the bytes counters. */
    DbJournal(RoundStore store, String experimentId, RoundMetrics metrics, String downlink, String uplink) {
        this.store = store;
        this.id = experimentId;
        this.metrics = metrics;
        this.downlink = downlink;
        this.uplink = uplink;
    }

    @Override
    public Progress progress() {
        Experiment e = store.experiment(id);
        if (e == null) {
            return new Progress(false, null, 0, Duration.ZERO, 1);
        }
        return new Progress(
                e.status == Experiment.Status.RUNNING,
                e.modelVersion,
                e.currentRound,
                Duration.ofSeconds(e.roundTimeoutSeconds),
                e.quorum);
    }

    @Override
    public OpenRound round(int round) {
        RoundRecord r = store.round(id, round);
        if (r == null) {
            return null;
        }
        List<Client> participants = r.participantList().stream()
                .map(c -> new Client(c, Client.indexOf(c)))
                .toList();
        return new OpenRound(
                r.round,
                RoundState.valueOf(r.state.name()),
                participants,
                r.baseVersion == null ? 0 : r.baseVersion,
                r.deadline.toInstant());
    }

    @Override
    public void initialModel(int version) {
        store.updateExperiment(id, x -> x.modelVersion = version);
    }

    @Override
    public void opened(OpenRound o) {
        RoundRecord r = new RoundRecord();
        r.experimentId = id;
        r.round = o.round();
        r.state = State.OPEN;
        r.participants =
                String.join(",", o.participants().stream().map(Client::id).toList());
        r.baseVersion = o.baseVersion();
        r.deadline = OffsetDateTime.ofInstant(o.deadline(), ZoneOffset.UTC);
        store.createRound(r);
        metrics.opened(id, o.round());
    }

    @Override
    public void tasksSent(int round, long bytesDown) {
        store.updateRound(id, round, x -> {
            x.state = State.COLLECTING;
            x.bytesDown = bytesDown;
        });
        metrics.phaseEnded(id, round, "send_tasks");
        metrics.bytes("down", downlink, bytesDown);
    }

    @Override
    public void collecting(int round, Federation.Collected c) {
        store.updateRound(id, round, x -> {
            x.received = c.received();
            x.rejected = c.rejected();
        });
    }

    @Override
    public void closing(int round, Federation.Collected c) {
        store.updateRound(id, round, x -> {
            x.state = State.CLOSING;
            x.received = c.received();
            x.rejected = c.rejected();
        });
        metrics.phaseEnded(id, round, "collect");
    }

    @Override
    public void aggregated(int round, Federation.Closed closed) {
        store.updateRound(id, round, x -> {
            x.state = State.AGGREGATED;
            x.modelVersion = closed.modelVersion();
            x.received = closed.results().size();
            x.rejected = closed.rejected();
            x.bytesUp = closed.bytesUp();
            double loss = closed.meanTrainLoss();
            x.trainLoss = Double.isNaN(loss) ? null : loss;
        });
        metrics.phaseEnded(id, round, "close");
        metrics.bytes("up", uplink, closed.bytesUp());
        metrics.updates("accepted", closed.results().size());
        metrics.updates("rejected", closed.rejected());
    }

    @Override
    public void scored(int round, Federation.Closed closed, Federation.Evaluation ev, boolean completes) {
        store.updateRound(id, round, x -> {
            x.state = State.SCORES_UPDATED;
            x.testAccuracy = ev == null ? null : ev.accuracy();
            x.testLoss = ev == null ? null : ev.loss();
            x.finishedAt = OffsetDateTime.now();
        });
        store.updateExperiment(id, x -> {
            x.modelVersion = closed.modelVersion();
            x.roundsDone = round + 1;
            x.currentRound = round + 1;
            if (ev != null) {
                x.lastAccuracy = ev.accuracy();
                x.bestAccuracy = x.bestAccuracy == null ? ev.accuracy() : Math.max(x.bestAccuracy, ev.accuracy());
            }
            if (completes) {
                x.status = Experiment.Status.COMPLETED;
            }
        });
        metrics.phaseEnded(id, round, "score");
        RoundRecord r = store.round(id, round);
        metrics.roundEnded(id, round, "completed", r == null ? null : r.startedAt);
    }

    @Override
    public void advanced(int round) {
        store.updateExperiment(id, x -> x.currentRound = Math.max(x.currentRound, round + 1));
    }

    @Override
    public void failed(int round, String reason) {
        RoundRecord r = round >= 0 ? store.round(id, round) : null;
        if (r != null) {
            store.updateRound(id, round, x -> x.state = State.FAILED);
            metrics.roundEnded(id, round, "failed", r.startedAt);
        }
        store.updateExperiment(id, x -> {
            x.status = Experiment.Status.FAILED;
            x.error = reason;
        });
    }

    @Override
    public void completed() {
        store.updateExperiment(id, x -> x.status = Experiment.Status.COMPLETED);
    }
}
