package io.afd.orchestrator.service;

import io.afd.core.sim.ExperimentConfig;
import io.afd.orchestrator.Experiment;
import io.afd.orchestrator.Experiment.Status;
import io.afd.protocol.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * Experiment lifecycle: create, start, pause, resume, stop. Experiment ids follow the protocol's rule ({@link Ids}),
 * like everywhere else in the suite.
 */
@ApplicationScoped
public class ExperimentService {

    /** Parses and validates an experiment's YAML (the simulator's format). */
    public static ExperimentConfig parse(String id, String yaml) {
        try {
            return ExperimentConfig.parse(yaml, id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("invalid experiment config: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new BadRequestException("invalid experiment config: " + e);
        }
    }

    @Transactional
    public Experiment create(String id, String yaml, Integer roundTimeoutSeconds, Double quorum) {
        Ids.require(id, "experiment id");
        if (yaml == null || yaml.isBlank()) {
            throw new BadRequestException("config (experiment YAML) is required");
        }
        ExperimentConfig cfg = parse(id, yaml);
        if (Experiment.findById(id) != null) {
            throw new ClientErrorException("experiment " + id + " already exists", Response.Status.CONFLICT);
        }
        if (roundTimeoutSeconds != null && roundTimeoutSeconds < 1) {
            throw new BadRequestException("roundTimeoutSeconds must be >= 1");
        }
        if (quorum != null && !(quorum > 0 && quorum <= 1)) {
            throw new BadRequestException("quorum must be in (0, 1]");
        }
        Experiment e = new Experiment();
        e.id = id;
        e.name = cfg.name();
        e.configYaml = yaml;
        e.status = Status.CREATED;
        if (roundTimeoutSeconds != null) {
            e.roundTimeoutSeconds = roundTimeoutSeconds;
        }
        if (quorum != null) {
            e.quorum = quorum;
        }
        e.persist();
        return e;
    }

    public List<Experiment> list() {
        return Experiment.list("order by createdAt");
    }

    public Experiment get(String id) {
        Ids.require(id, "experiment id");
        Experiment e = Experiment.findById(id);
        if (e == null) {
            throw new NotFoundException("no experiment " + id);
        }
        return e;
    }

    @Transactional
    public Experiment transition(String id, String action) {
        Experiment e = get(id);
        Status next = switch (action) {
            case "start" -> require(e, Set.of(Status.CREATED), Status.RUNNING);
            case "pause" -> require(e, Set.of(Status.RUNNING), Status.PAUSED);
            case "resume" -> require(e, Set.of(Status.PAUSED), Status.RUNNING);
            case "stop" -> require(e, Set.of(Status.CREATED, Status.RUNNING, Status.PAUSED), Status.STOPPED);
            default -> throw new NotFoundException("unknown action " + action + " (start, pause, resume, stop)");
        };
        e.status = next;
        e.updatedAt = OffsetDateTime.now();
        return e;
    }

    private static Status require(Experiment e, Set<Status> from, Status to) {
        if (!from.contains(e.status)) {
            throw new ClientErrorException(
                    "experiment " + e.id + " is " + e.status + "; cannot go to " + to, Response.Status.CONFLICT);
        }
        return to;
    }
}
