package io.afd.core.round;

import io.afd.core.submodel.Selection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The federated round, written once: one step of an experiment per call, over a
 * {@link Federation} (who trains) and a {@link RoundJournal} (where progress is kept). Each step
 * reads the journal, does one idempotent thing through the federation and records its result, so a
 * crash between any two calls loses nothing. The simulator calls {@link #advance} until the
 * experiment ends; the orchestrator calls it from its scheduler for every running experiment.
 *
 * <p>Round t: open (sample participants from the pool) → select and send tasks → collect until every
 * update arrived, or until the deadline with a quorum → close (FedAvg into a new version) → apply the
 * results to the score maps and evaluate when due → next round.
 */
public final class RoundLoop {
    private final RoundPlanner planner;
    private final RoundCloser closer;
    private final Federation federation;
    private final RoundJournal journal;
    private final Clock clock;

    public RoundLoop(RoundPlanner planner, Federation federation, RoundJournal journal, Clock clock) {
        this.planner = planner;
        this.closer = new RoundCloser(planner.settings());
        this.federation = federation;
        this.journal = journal;
        this.clock = clock;
    }

    /**
     * Takes steps while they make progress, at most {@code maxSteps}.
     *
     * @return the last step's outcome
     */
    public StepOutcome run(int maxSteps) {
        StepOutcome last = advance();
        for (int i = 1; i < maxSteps && last.progressed(); i++) {
            last = advance();
        }
        return last;
    }

    /** One step. */
    public StepOutcome advance() {
        RoundJournal.Progress p = journal.progress();
        if (!p.running()) {
            return new StepOutcome(StepOutcome.Kind.NOT_RUNNING, "not running");
        }
        if (p.modelVersion() == null) {
            int v = federation.publishInitialModel(planner.initialModel());
            journal.initialModel(v);
            return StepOutcome.progressed("initial model v" + v);
        }
        int t = p.currentRound();
        RoundJournal.OpenRound r = journal.round(t);
        if (r == null) {
            return open(p, t);
        }
        return switch (r.state()) {
            case OPEN, TASKS_SENT -> sendTasks(r);
            case COLLECTING -> collect(p, r);
            case CLOSING -> close(r);
            case AGGREGATED -> score(r);
            case SCORES_UPDATED -> {
                journal.advanced(t);
                yield StepOutcome.progressed("round " + t + " done");
            }
            case FAILED -> new StepOutcome(StepOutcome.Kind.FAILED, "round " + t + " failed");
        };
    }

    private StepOutcome open(RoundJournal.Progress p, int t) {
        if (t >= planner.settings().rounds()) {
            journal.completed();
            return new StepOutcome(StepOutcome.Kind.COMPLETED, "completed " + t + " rounds");
        }
        List<Client> pool = federation.pool();
        if (pool.size() < planner.clientsNeeded()) {
            return StepOutcome.waitingForClients(
                    "waiting for clients: " + pool.size() + " available, " + planner.clientsNeeded() + " needed");
        }
        List<Client> participants = planner.participants(t, pool);
        journal.opened(new RoundJournal.OpenRound(
                t,
                RoundState.OPEN,
                participants,
                p.modelVersion(),
                clock.instant().plus(p.roundTimeout())));
        return StepOutcome.progressed("opened round " + t + " with " + participants.size() + " clients");
    }

    private StepOutcome sendTasks(RoundJournal.OpenRound r) {
        List<Client> participants = r.participants();
        Map<String, Selection> selections = federation.select(r.round(), participants);
        RoundTask task = planner.task(r.round(), participants.size());
        List<ClientAssignment> assignments = new ArrayList<>(participants.size());
        for (Client c : participants) {
            Selection s = selections.get(c.id());
            if (s == null) {
                throw new IllegalStateException("no selection for participant " + c.id() + " of round " + r.round());
            }
            assignments.add(RoundPlanner.assign(task, c, s));
        }
        long bytes = federation.sendTasks(task, r.baseVersion(), assignments, r.deadline());
        journal.tasksSent(r.round(), bytes);
        return StepOutcome.progressed("tasks sent for round " + r.round());
    }

    private StepOutcome collect(RoundJournal.Progress p, RoundJournal.OpenRound r) {
        Federation.Collected c = federation.collect(r.round());
        int n = r.participants().size();
        boolean all = c.received() >= n;
        boolean late = clock.instant().isAfter(r.deadline());
        int quorum = (int) Math.ceil(p.quorum() * n);
        if (all || (late && c.received() >= quorum)) {
            journal.closing(r.round(), c);
            return StepOutcome.progressed(
                    "closing round " + r.round() + " with " + c.received() + "/" + n + " updates");
        }
        if (late) {
            String why = "round " + r.round() + " missed its quorum: " + c.received() + " of " + n
                    + " updates by the deadline (need " + quorum + ")";
            journal.failed(r.round(), why);
            return new StepOutcome(StepOutcome.Kind.FAILED, why);
        }
        journal.collecting(r.round(), c);
        return StepOutcome.waiting("collecting " + c.received() + "/" + n);
    }

    private StepOutcome close(RoundJournal.OpenRound r) {
        Federation.Closed closed = federation.close(r.round());
        journal.aggregated(r.round(), closed);
        return StepOutcome.progressed("aggregated round " + r.round() + " into v" + closed.modelVersion());
    }

    private StepOutcome score(RoundJournal.OpenRound r) {
        int t = r.round();
        Federation.Closed closed = federation.close(t); // idempotent: the stored result
        federation.publishResults(t, closed);
        Federation.Evaluation ev = closer.evaluates(t)
                ? federation.evaluate(
                        t, closed.modelVersion(), planner.settings().evalBatchSize())
                : null;
        boolean completes = closer.completes(t, ev);
        journal.scored(t, closed, ev, completes);
        String what = ev == null
                ? "round " + t + " scored (not evaluated)"
                : String.format(Locale.ROOT, "round %d: accuracy %.4f", t, ev.accuracy());
        return completes ? new StepOutcome(StepOutcome.Kind.COMPLETED, what) : StepOutcome.progressed(what);
    }
}
