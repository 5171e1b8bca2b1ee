package io.afd.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.afd.core.codec.CodecSpec;
import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;

/**
 * Server to client on {@link Topics#TASKS} (key = clientId): train this sub-model for this round. The
 * envelope payload is the sub-model as an AFDT blob (every parameter tensor of the sub-model, encoded
 * with {@code downlinkCodec}).
 *
 * <p>Validation goes beyond ranges: {@code model} must be a canonical core model spec (it prints back
 * to itself), {@code selection} the canonical text form of a {@link Selection} that fits that model,
 * and {@code selectionId} that selection's id; both codec names must be canonical core codec specs.
 *
 * @param experimentId   experiment id ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}})
 * @param round          0-based round index
 * @param clientId       the client this task is for (also the Kafka key and the signing key id)
 * @param modelVersion   registry version of the global model the sub-model was cut from, in [0, 2^53)
 * @param model          the global architecture, e.g. {@code mlp(in=60,hidden=200x200,classes=10)}
 * @param selectionId    {@link Selection#id()} of {@code selection}
 * @param selection      {@link Selection#canonical()}: kept unit indices per droppable layer
 * @param train          local training settings for this round
 * @param downlinkCodec  codec of the payload, e.g. {@code float32}, {@code q8-hadamard} (informational:
 *                       the blob describes itself)
 * @param uplinkCodec    codec the client must encode its update with, e.g. {@code float32}
 * @param uplinkSeed     seed for the uplink codec's stochastic rounding (16 hex digits on the wire)
 * @param deadlineMillis Unix epoch milliseconds after which the server no longer accepts the update
 */
public record ClientTask(
        @JsonProperty(required = true) String experimentId,
        @JsonProperty(required = true) int round,
        @JsonProperty(required = true) String clientId,
        @JsonProperty(required = true) long modelVersion,
        @JsonProperty(required = true) String model,
        @JsonProperty(required = true) String selectionId,
        @JsonProperty(required = true) String selection,
        @JsonProperty(required = true) TrainingConfig train,
        @JsonProperty(required = true) String downlinkCodec,
        @JsonProperty(required = true) String uplinkCodec,

        @JsonProperty(required = true)
        @JsonSerialize(using = HexLong.Serializer.class)
        @JsonDeserialize(using = HexLong.Deserializer.class)
        long uplinkSeed,

        @JsonProperty(required = true) long deadlineMillis)
        implements Message {

    public ClientTask {
        Check.id(experimentId, "experimentId");
        Check.range(round, 0, Integer.MAX_VALUE, "round");
        Check.id(clientId, "clientId");
        Check.safeNonNegative(modelVersion, "modelVersion");
        Check.maxLength(model, 256, "model");
        Check.pattern(selectionId, Check.SELECTION_ID, "selectionId");
        Check.notNull(selection, "selection");
        Check.notNull(train, "train");
        canonicalCodec(downlinkCodec, "downlinkCodec");
        canonicalCodec(uplinkCodec, "uplinkCodec");
        Check.safeNonNegative(deadlineMillis, "deadlineMillis");
        ModelSpec spec = parseModel(model);
        Selection sel;
        try {
            sel = Selection.parse(selection);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("selection is not a valid selection: " + e.getMessage(), e);
        }
        Check.that(
                sel.canonical().equals(selection),
                "selection",
                "must be in canonical form " + Check.quote(sel.canonical()),
                Check.quote(selection));
        Check.that(sel.id().equals(selectionId), "selectionId", "must be the selection's id " + sel.id(), selectionId);
        try {
            sel.validate(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("selection does not fit model " + model + ": " + e.getMessage(), e);
        }
    }

    /** A task for {@code selection} of {@code model}; fills in the canonical strings and the selection id. */
    public static ClientTask of(
            String experimentId,
            int round,
            String clientId,
            long modelVersion,
            ModelSpec model,
            Selection selection,
            TrainingConfig train,
            CodecSpec downlink,
            CodecSpec uplink,
            long deadlineMillis) {
        return new ClientTask(
                experimentId,
                round,
                clientId,
                modelVersion,
                model.toString(),
                selection.id(),
                selection.canonical(),
                train,
                downlink.toString(),
                uplink.toString(),
                uplink.seed(),
                deadlineMillis);
    }

    @Override
    public MessageType messageType() {
        return MessageType.CLIENT_TASK;
    }

    @Override
    public String signer() {
        return EnvelopeCodec.SERVER;
    }

    /** The global model spec. */
    public ModelSpec modelSpec() {
        return ModelSpec.parse(model);
    }

    /** The selection (parsed from its canonical form). */
    public Selection parsedSelection() {
        return Selection.parse(selection);
    }

    /** The downlink codec (seed 0: decoding needs no seed). */
    public CodecSpec downlinkSpec() {
        return CodecSpec.parse(downlinkCodec);
    }

    /** The uplink codec with {@link #uplinkSeed()}: what the client encodes its update with. */
    public CodecSpec uplinkSpec() {
        return CodecSpec.parse(uplinkCodec, uplinkSeed);
    }

    private static ModelSpec parseModel(String model) {
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(model);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("model is not a valid model spec: " + e.getMessage(), e);
        }
        Check.that(
                spec.toString().equals(model),
                "model",
                "must be in canonical form " + Check.quote(spec.toString()),
                Check.quote(model));
        return spec;
    }

    static void canonicalCodec(String codec, String field) {
        Check.maxLength(codec, 64, field);
        CodecSpec spec;
        try {
            spec = CodecSpec.parse(codec);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + " is not a codec spec: " + e.getMessage(), e);
        }
        Check.that(
                spec.toString().equals(codec),
                field,
                "must be in canonical form " + Check.quote(spec.toString()),
                Check.quote(codec));
    }
}
