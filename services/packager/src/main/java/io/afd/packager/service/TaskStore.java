package io.afd.packager.service;

import io.afd.packager.PublishedTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/** The {@code published_task} rows. */
@ApplicationScoped
public class TaskStore {

    public List<PublishedTask> ofRound(String experimentId, int round) {
        return PublishedTask.ofRound(experimentId, round);
    }

    /**
     * Records a task whose envelopes were all acknowledged. Fails with a constraint violation when
     * another packager already recorded the same (experiment, round, client).
     */
    @Transactional
    public PublishedTask record(
            String experimentId,
            int round,
            String clientId,
            int clientIndex,
            int modelVersion,
            String selectionId,
            long bytes,
            int chunks,
            UUID messageId) {
        PublishedTask t = new PublishedTask();
        t.experimentId = experimentId;
        t.round = round;
        t.clientId = clientId;
        t.clientIndex = clientIndex;
        t.modelVersion = modelVersion;
        t.selectionId = selectionId;
        t.bytes = bytes;
        t.chunks = chunks;
        t.messageId = messageId;
        t.persist();
        PublishedTask.getEntityManager().flush();
        PublishedTask.getEntityManager().refresh(t);
        return t;
    }
}
