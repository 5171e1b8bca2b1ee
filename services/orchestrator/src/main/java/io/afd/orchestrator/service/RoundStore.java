package io.afd.orchestrator.service;

import io.afd.orchestrator.EdgeClient;
import io.afd.orchestrator.Experiment;
import io.afd.orchestrator.RoundRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;

/** Short transactions around the round driver's remote calls (never held across them). */
@ApplicationScoped
public class RoundStore {

    @Transactional
    public List<String> runningIds() {
        return Experiment.running().stream().map(e -> e.id).toList();
    }

    @Transactional
    public Experiment experiment(String id) {
        Experiment e = Experiment.findById(id);
        if (e != null) {
            Experiment.getEntityManager().detach(e);
        }
        return e;
    }

    @Transactional
    public RoundRecord round(String id, int round) {
        RoundRecord r = RoundRecord.find(id, round).orElse(null);
        if (r != null) {
            RoundRecord.getEntityManager().detach(r);
        }
        return r;
    }

    @Transactional
    public List<String> availableClientIds() {
        return EdgeClient.availableSorted().stream().map(c -> c.id).toList();
    }

    @Transactional
    public void updateExperiment(String id, Consumer<Experiment> change) {
        Experiment e = Experiment.findById(id);
        change.accept(e);
        e.updatedAt = OffsetDateTime.now();
    }

    @Transactional
    public void updateRound(String id, int round, Consumer<RoundRecord> change) {
        RoundRecord r = RoundRecord.find(id, round).orElseThrow();
        change.accept(r);
    }

    @Transactional
    public void createRound(RoundRecord r) {
        if (RoundRecord.find(r.experimentId, r.round).isEmpty()) {
            r.persist();
        }
    }
}
