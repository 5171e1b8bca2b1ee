package io.afd.aggregator.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.aggregator.Round;
import io.afd.aggregator.config.AggregatorConfig;
import io.afd.aggregator.mapping.RejectionView;
import io.afd.aggregator.mapping.UpdateView;
import io.afd.aggregator.messaging.Publisher;
import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.fedavg.FedAvgAccumulator;
import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.tensor.ParamSet;
import io.afd.protocol.Ids;
import io.afd.protocol.RoundEvent;
import io.afd.protocol.TrainingConfig;
import io.afd.protocol.api.AggregationRound;
import io.afd.protocol.api.AggregationStatus;
import io.afd.protocol.api.CloseResult;
import io.afd.protocol.api.VersionInfo;
import io.afd.services.common.client.RegistryClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Opening, inspecting and closing aggregation rounds (docs/services.md steps 3 and 7).
 *
 * <p>Closing rebuilds the round's {@link FedAvgAccumulator} from the stored accepted updates, one blob at a
 * time, applies it to the base version's weights from the registry, writes the result as the round's version
 * (the registry is idempotent per round), publishes {@code AGGREGATED} on {@code afd.rounds} and stores the
 * result. FedAvg sums are exact fixed-point integers, so the new weights are the same bits whatever the
 * order in which updates arrived and whether or not the aggregator restarted in between. Each step is
 * idempotent: a close that failed half way (round left CLOSING) is simply repeated; a CLOSED round answers
 * its stored result.
 */
@ApplicationScoped
public class RoundService {
    private static final Logger LOG = Logger.getLogger(RoundService.class);

    private final RoundStore rounds;
    private final UpdateStore updates;
    private final Validators validators;
    private final Publisher publisher;
    private final RegistryClient registry;
    private final AggregatorConfig config;
    private final ObjectMapper json;
    private final Map<String, Object> closeLocks = new ConcurrentHashMap<>();

    public RoundService(
            RoundStore rounds,
            UpdateStore updates,
            Validators validators,
            Publisher publisher,
            @RestClient RegistryClient registry,
            AggregatorConfig config,
            ObjectMapper json) {
        this.rounds = rounds;
        this.updates = updates;
        this.validators = validators;
        this.publisher = publisher;
        this.registry = registry;
        this.config = config;
        this.json = json;
    }

    /** Result of {@link #open}: whether the round was created and its status. */
    public record OpenResult(boolean created, AggregationStatus status) {}

    public OpenResult open(String experimentId, int round, AggregationRound body) {
        checkIds(experimentId, round);
        RoundStore.Descriptor d = validate(body);
        RoundStore.Opened o = rounds.open(experimentId, round, d);
        if (o.conflict() != null) {
            throw new ClientErrorException(
                    "round " + round + " of " + experimentId + " is already open with another descriptor: "
                            + o.conflict(),
                    Response.Status.CONFLICT);
        }
        if (o.created()) {
            LOG.infof(
                    "opened %s round %d: %d participants, base version %d",
                    experimentId, round, d.participants().size(), d.baseVersion());
        }
        return new OpenResult(o.created(), status(experimentId, round));
    }

    public AggregationStatus status(String experimentId, int round) {
        checkIds(experimentId, round);
        RoundStore.Counts c = rounds.counts(experimentId, round);
        if (c == null) {
            throw new NotFoundException("no round " + round + " of experiment " + experimentId);
        }
        int received = updates.count(experimentId, round);
        int rejected = (int) rounds.rejectedCount(experimentId, round);
        return new AggregationStatus(c.state().name(), c.participants(), received, rejected, c.modelVersion());
    }

    public List<RejectionView> rejections(String experimentId, int round) {
        status(experimentId, round); // 404 for an unknown round
        return rounds.rejections(experimentId, round).stream()
                .map(RejectionView::of)
                .toList();
    }

    /** Latest rejections across rounds (also those with no round: malformed, bad signature, ...). */
    public List<RejectionView> recentRejections(String experimentId, String clientId, String reason, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new BadRequestException("limit must be in [1, 10000], got " + limit);
        }
        return rounds.recentRejections(experimentId, clientId, reason, limit).stream()
                .map(RejectionView::of)
                .toList();
    }

    public List<UpdateView> updates(String experimentId, int round) {
        status(experimentId, round);
        return updates.metas(experimentId, round).stream().map(UpdateView::of).toList();
    }

    /** Close time ({@code afd_aggregator_close_seconds}, a histogram): the exact FedAvg and the new version. */
    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    /** Aggregates the round (or answers the stored result of a closed one). */
    public CloseResult close(String experimentId, int round) {
        long t0 = System.nanoTime();
        try {
            return closeTimed(experimentId, round);
        } finally {
            if (meters != null) {
                io.micrometer.core.instrument.Timer.builder("afd.aggregator.close")
                        .publishPercentileHistogram()
                        .register(meters)
                        .record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    private CloseResult closeTimed(String experimentId, int round) {
        checkIds(experimentId, round);
        Object lock = closeLocks.computeIfAbsent(experimentId + "/" + round, k -> new Object());
        synchronized (lock) {
            RoundStore.Closing c = rounds.beginClose(experimentId, round);
            if (c == null) {
                throw new NotFoundException("no round " + round + " of experiment " + experimentId);
            }
            if (c.storedResultJson() != null) {
                return readResult(c.storedResultJson());
            }
            ModelSpec spec = ModelSpec.parse(c.architecture());
            FedAvgAccumulator acc = new FedAvgAccumulator(spec);
            List<RoundEvent.ClientResult> results = new ArrayList<>();
            Map<String, Selection> parsed = new HashMap<>();
            for (UpdateStore.UpdateMeta m : updates.metas(experimentId, round)) {
                String canonical = c.selections().get(m.clientId());
                if (canonical == null) {
                    throw new IllegalStateException("stored update of " + m.clientId() + " is not from a participant");
                }
                Selection sel = parsed.computeIfAbsent(canonical, Selection::parse);
                if (!sel.id().equals(m.selectionId())) {
                    throw new IllegalStateException("stored update of " + m.clientId() + " names selection "
                            + m.selectionId() + ", the participant has " + sel.id());
                }
                byte[] blob = updates.payload(m.id()); // one blob in memory at a time
                acc.add(sel, TensorCodec.decode(blob, config.maxTensorElements()), m.numSamples());
                results.add(new RoundEvent.ClientResult(
                        m.clientId(), m.numSamples(), m.trainLoss(), m.initialLoss(), m.bytesReceived(), m.bytesUp()));
            }
            ParamSet base = baseWeights(experimentId, c.baseVersion(), spec);
            ParamSet next = acc.apply(base);
            byte[] blob = TensorCodec.encode(next.list(), CodecSpec.FLOAT32);
            int version = register(experimentId, spec.toString(), round, c.baseVersion(), blob);
            int rejected = (int) rounds.rejectedCount(experimentId, round);
            CloseResult result = new CloseResult(version, List.copyOf(results), rejected);
            publisher.roundEvent(new RoundEvent(
                    experimentId,
                    round,
                    RoundEvent.Type.AGGREGATED,
                    version,
                    results,
                    rejected,
                    System.currentTimeMillis(),
                    null));
            rounds.finishClose(experimentId, round, version, rejected, writeResult(result));
            validators.forget(experimentId, round);
            LOG.infof(
                    "closed %s round %d: %d updates (%d samples), %d rejected -> version %d",
                    experimentId, round, acc.contributions(), acc.totalSamples(), rejected, version);
            return result;
        }
    }

    private ParamSet baseWeights(String experimentId, int version, ModelSpec spec) {
        byte[] blob;
        try {
            blob = registry.weights(experimentId, Integer.toString(version));
        } catch (WebApplicationException e) {
            throw new ServerErrorException(
                    "model registry answered " + e.getResponse().getStatus() + " for version " + version + " of "
                            + experimentId,
                    Response.Status.BAD_GATEWAY,
                    e);
        } catch (RuntimeException e) {
            throw new ServerErrorException(
                    "model registry unreachable: " + e.getMessage(), Response.Status.BAD_GATEWAY, e);
        }
        try {
            ParamSet p = new ParamSet(TensorCodec.decodeDense(blob));
            spec.validate(p);
            return p;
        } catch (IllegalArgumentException e) {
            throw new ServerErrorException(
                    "version " + version + " of " + experimentId + " from the registry does" + " not fit " + spec + ": "
                            + e.getMessage(),
                    Response.Status.BAD_GATEWAY,
                    e);
        }
    }

    private int register(String experimentId, String architecture, int round, int parent, byte[] blob) {
        VersionInfo view;
        try {
            view = registry.create(experimentId, architecture, round, parent, blob);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 409) {
                throw new ClientErrorException(
                        "the registry already holds other weights for round " + round + " of " + experimentId,
                        Response.Status.CONFLICT);
            }
            throw new ServerErrorException(
                    "model registry answered " + status + " when storing round " + round + " of " + experimentId,
                    Response.Status.BAD_GATEWAY,
                    e);
        } catch (RuntimeException e) {
            throw new ServerErrorException(
                    "model registry unreachable: " + e.getMessage(), Response.Status.BAD_GATEWAY, e);
        }
        if (view == null) {
            throw new ServerErrorException("model registry answered no version", Response.Status.BAD_GATEWAY);
        }
        return view.version();
    }

    private String writeResult(CloseResult r) {
        try {
            return json.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private CloseResult readResult(String text) {
        try {
            return json.readValue(text, CloseResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored close result is unreadable", e);
        }
    }

    private static void checkIds(String experimentId, int round) {
        Ids.require(experimentId, "experiment id");
        if (round < 0) {
            throw new BadRequestException("round must be >= 0, got " + round);
        }
    }

    /** Checks an open request and brings it to canonical form. */
    static RoundStore.Descriptor validate(AggregationRound body) {
        if (body == null) {
            throw new BadRequestException(
                    "body required: {\"architecture\", \"baseVersion\", \"participants\"," + " \"deadlineEpochMs\"}");
        }
        if (body.architecture() == null || body.architecture().isBlank()) {
            throw new BadRequestException("architecture is required");
        }
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(body.architecture());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("bad architecture '" + body.architecture() + "': " + e.getMessage());
        }
        if (body.baseVersion() < 0) {
            throw new BadRequestException("baseVersion must be >= 0, got " + body.baseVersion());
        }
        if (body.deadlineEpochMs() < 0) {
            throw new BadRequestException("deadlineEpochMs must be >= 0, got " + body.deadlineEpochMs());
        }
        Map<String, String> in = body.participants();
        if (in == null || in.isEmpty()) {
            throw new BadRequestException("participants must name at least one client");
        }
        if (in.size() > TrainingConfig.MAX_CLIENTS_IN_ROUND) {
            throw new BadRequestException(
                    "at most " + TrainingConfig.MAX_CLIENTS_IN_ROUND + " participants, got " + in.size());
        }
        Map<String, Round.Assigned> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : in.entrySet()) {
            String client = e.getKey();
            Ids.require(client, "participant id");
            String text = e.getValue();
            if (text == null) {
                throw new BadRequestException("participant " + client + " has no selection");
            }
            Selection sel;
            try {
                sel = Selection.parse(text);
                sel.validate(spec);
            } catch (IllegalArgumentException ex) {
                throw new BadRequestException(
                        "selection of " + client + " does not fit " + spec + ": " + ex.getMessage());
            }
            List<String> layers = new ArrayList<>();
            sel.layers().forEach(layers::add);
            if (!layers.equals(spec.droppableLayers())) {
                throw new BadRequestException("selection of " + client + " must list the layers "
                        + spec.droppableLayers() + " in model order, got " + layers);
            }
            if (!sel.canonical().equals(text)) {
                throw new BadRequestException(
                        "selection of " + client + " is not in canonical form (expected '" + sel.canonical() + "')");
            }
            out.put(client, new Round.Assigned(sel.canonical(), sel.id()));
        }
        String uplink = null;
        if (body.uplink() != null) {
            try {
                uplink = io.afd.core.codec.CodecSpec.parse(body.uplink()).toString();
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("bad uplink codec '" + body.uplink() + "': " + e.getMessage());
            }
        }
        return new RoundStore.Descriptor(spec.toString(), body.baseVersion(), out, body.deadlineEpochMs(), uplink);
    }
}
