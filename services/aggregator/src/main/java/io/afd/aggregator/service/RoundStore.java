package io.afd.aggregator.service;

import io.afd.aggregator.Rejection;
import io.afd.aggregator.Round;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Round descriptors in short transactions (never held across remote calls). */
@ApplicationScoped
public class RoundStore {

    /** A validated round descriptor: canonical architecture, participants' canonical selections and ids. */
    public record Descriptor(
            String architecture,
            int baseVersion,
            Map<String, Round.Assigned> participants,
            long deadlineMs,
            String uplink) {}

    /** What opening did: created, found the same round, or found a different one ({@code conflict} says how). */
    public record Opened(boolean created, String conflict) {}

    /** A round about to be aggregated, or its stored result when it is already closed. */
    public record Closing(
            String architecture, int baseVersion, Map<String, String> selections, String storedResultJson) {}

    /** Counts for the status view. */
    public record Counts(Round.State state, int participants, Integer modelVersion, Integer rejectedAtClose) {}

    @Transactional
    public Opened open(String experimentId, int round, Descriptor d) {
        Round r = Round.find(experimentId, round).orElse(null);
        if (r == null) {
            r = new Round();
            r.experimentId = experimentId;
            r.round = round;
            r.architecture = d.architecture();
            r.baseVersion = d.baseVersion();
            r.deadlineMs = d.deadlineMs();
            r.uplink = d.uplink();
            r.state = Round.State.OPEN;
            r.participants = new TreeMap<>(d.participants());
            r.persist();
            return new Opened(true, null);
        }
        StringBuilder diff = new StringBuilder();
        if (!r.architecture.equals(d.architecture())) {
            diff.append("architecture ")
                    .append(r.architecture)
                    .append(" vs ")
                    .append(d.architecture())
                    .append("; ");
        }
        if (r.baseVersion != d.baseVersion()) {
            diff.append("baseVersion ")
                    .append(r.baseVersion)
                    .append(" vs ")
                    .append(d.baseVersion())
                    .append("; ");
        }
        if (r.deadlineMs != d.deadlineMs()) {
            diff.append("deadline ")
                    .append(r.deadlineMs)
                    .append(" vs ")
                    .append(d.deadlineMs())
                    .append("; ");
        }
        if (r.uplink == null && d.uplink() != null) {
            r.uplink = d.uplink(); // opened before rounds carried their codec: learn it now
        } else if (!java.util.Objects.equals(r.uplink, d.uplink())) {
            diff.append("uplink ")
                    .append(r.uplink)
                    .append(" vs ")
                    .append(d.uplink())
                    .append("; ");
        }
        Map<String, String> have = new TreeMap<>();
        r.participants.forEach((c, a) -> have.put(c, a.selection));
        Map<String, String> want = new TreeMap<>();
        d.participants().forEach((c, a) -> want.put(c, a.selection));
        if (!have.equals(want)) {
            diff.append(
                    have.keySet().equals(want.keySet())
                            ? "participants' selections differ"
                            : "participants differ (" + have.size() + " stored, " + want.size() + " requested)");
        }
        return new Opened(false, diff.length() == 0 ? null : diff.toString().replaceAll("; $", ""));
    }

    @Transactional
    public Counts counts(String experimentId, int round) {
        Round r = Round.find(experimentId, round).orElse(null);
        if (r == null) {
            return null;
        }
        return new Counts(r.state, r.participants.size(), r.modelVersion, r.rejectedAtClose);
    }

    /**
     * Starts closing: locks the round row ({@code FOR UPDATE}, which waits for updates being stored) and moves
     * an OPEN round to CLOSING, after which no update is accepted. Null when the round does not exist.
     */
    @Transactional
    public Closing beginClose(String experimentId, int round) {
        Round r = Round.find("experimentId = ?1 and round = ?2", experimentId, round)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
        if (r == null) {
            return null;
        }
        if (r.state == Round.State.CLOSED) {
            return new Closing(r.architecture, r.baseVersion, Map.of(), r.resultJson);
        }
        r.state = Round.State.CLOSING;
        Map<String, String> sel = new LinkedHashMap<>();
        r.participants.forEach((c, a) -> sel.put(c, a.selection));
        return new Closing(r.architecture, r.baseVersion, sel, null);
    }

    /** Stores the outcome of a close. */
    @Transactional
    public void finishClose(String experimentId, int round, int modelVersion, int rejected, String resultJson) {
        Round r = Round.find(experimentId, round).orElseThrow();
        r.state = Round.State.CLOSED;
        r.modelVersion = modelVersion;
        r.rejectedAtClose = rejected;
        r.resultJson = resultJson;
        r.closedAt = OffsetDateTime.now();
    }

    @Transactional
    public long rejectedCount(String experimentId, int round) {
        return Rejection.countOfRound(experimentId, round);
    }

    @Transactional
    public List<Rejection> rejections(String experimentId, int round) {
        return Rejection.ofRound(experimentId, round);
    }

    /** The latest rejections, newest first, optionally filtered (null = any). */
    @Transactional
    public List<Rejection> recentRejections(String experimentId, String clientId, String reason, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (experimentId != null) {
            q.append(" and experimentId = :experimentId");
            params.put("experimentId", experimentId);
        }
        if (clientId != null) {
            q.append(" and clientId = :clientId");
            params.put("clientId", clientId);
        }
        if (reason != null) {
            q.append(" and reason = :reason");
            params.put("reason", reason);
        }
        q.append(" order by id desc");
        return Rejection.find(q.toString(), params).page(0, limit).list();
    }
}
