package io.afd.packager.mapping;

import io.afd.packager.PublishedTask;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** API view of one published task. */
public record TaskView(
        String clientId,
        int clientIndex,
        int modelVersion,
        String selectionId,
        long bytes,
        int chunks,
        UUID messageId,
        OffsetDateTime createdAt) {

    public static TaskView of(PublishedTask t) {
        return new TaskView(
                t.clientId, t.clientIndex, t.modelVersion, t.selectionId, t.bytes, t.chunks, t.messageId, t.createdAt);
    }

    /**
     * The published tasks of a round.
     *
     * @param bytesDown client id -> task bytes (all envelopes), as in {@code TaskResult}
     * @param tasks     one row per client, by client id
     */
    public record Round(String experimentId, int round, Map<String, Long> bytesDown, List<TaskView> tasks) {
        public static Round of(String experimentId, int round, List<PublishedTask> rows) {
            Map<String, Long> bytes = new LinkedHashMap<>();
            rows.forEach(t -> bytes.put(t.clientId, t.bytes));
            return new Round(
                    experimentId, round, bytes, rows.stream().map(TaskView::of).toList());
        }
    }
}
