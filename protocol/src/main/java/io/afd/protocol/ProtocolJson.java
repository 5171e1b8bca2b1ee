package io.afd.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Strict JSON mapping of envelope headers. Writing: record components in declaration order, no
 * whitespace, {@code null} fields omitted, chunk metadata (if any) under {@code "chunk"} last.
 * Reading rejects: unknown fields, missing required fields, duplicate keys, trailing content,
 * {@code null} for a required field, strings for numbers or booleans, fractions or exponents for
 * integers, out-of-range integers, numbers for enums, nesting deeper than 16, numbers longer than 64
 * characters; then the record's own validation applies.
 */
public final class ProtocolJson {
    /** Key of the chunk metadata object in a chunked envelope's header. */
    public static final String CHUNK_FIELD = "chunk";

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(16)
                            .maxNumberLength(64)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private ProtocolJson() {}

    /** A parsed header: the message and, for a chunked envelope, its chunk metadata (else {@code null}). */
    public record Header(Message message, Chunk chunk) {
        public Header {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The header JSON of a message (UTF-8 bytes), with {@code chunk} appended when non-null. */
    public static byte[] write(Message message, Chunk chunk) {
        Objects.requireNonNull(message, "message");
        try {
            if (chunk == null) {
                return MAPPER.writeValueAsBytes(message);
            }
            ObjectNode node = MAPPER.valueToTree(message);
            node.set(CHUNK_FIELD, MAPPER.valueToTree(chunk));
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + message.messageType() + " header: " + e.getMessage(), e);
        }
    }

    /** {@link #write} as a string. */
    public static String toJson(Message message, Chunk chunk) {
        return new String(write(message, chunk), StandardCharsets.UTF_8);
    }

    /**
     * Parses and validates a header of {@code type}.
     *
     * @throws ProtocolException {@code malformed} when the text is not one JSON object,
     *                           {@code invalid_header} when it violates the header's schema
     */
    public static Header parse(MessageType type, String json) {
        return map(type, parseTree(json));
    }

    /** Parses one JSON object, strictly (duplicate keys, trailing content and deep nesting rejected). */
    static ObjectNode parseTree(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(
                    ProtocolException.Reason.MALFORMED,
                    "header is not valid JSON: " + e.getOriginalMessage() + location(e),
                    e);
        } catch (RuntimeException e) {
            throw new ProtocolException(ProtocolException.Reason.MALFORMED, "header is not valid JSON: " + e, e);
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(
                    ProtocolException.Reason.MALFORMED,
                    "header must be a JSON object, got "
                            + (node == null
                                    ? "nothing"
                                    : node.getNodeType().toString().toLowerCase()));
        }
        return (ObjectNode) node;
    }

    /** Maps a parsed header object to its record and chunk; removes {@code chunk} from {@code node}. */
    static Header map(MessageType type, ObjectNode node) {
        JsonNode chunkNode = node.remove(CHUNK_FIELD);
        Message message = convert(node, type.headerClass(), type.name());
        Chunk chunk = null;
        if (chunkNode != null && !chunkNode.isNull()) {
            chunk = convert(chunkNode, Chunk.class, type.name() + ".chunk");
        } else if (chunkNode != null) {
            throw new ProtocolException(
                    ProtocolException.Reason.INVALID_HEADER,
                    type.name() + " header: chunk must be an object when present, got null");
        }
        return new Header(message, chunk);
    }

    private static <T> T convert(JsonNode node, Class<T> cls, String what) {
        try {
            return MAPPER.treeToValue(node, cls);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new ProtocolException(
                    ProtocolException.Reason.INVALID_HEADER,
                    what + " header: " + (c.getMessage() != null ? c.getMessage() : c.toString()),
                    e);
        } catch (JsonMappingException e) {
            throw new ProtocolException(
                    ProtocolException.Reason.INVALID_HEADER,
                    what + " header" + path(e) + ": " + e.getOriginalMessage(),
                    e);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ProtocolException(
                    ProtocolException.Reason.INVALID_HEADER,
                    what + " header: " + (e.getMessage() != null ? e.getMessage() : e.toString()),
                    e);
        }
    }

    private static String path(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return "";
        }
        return " at "
                + e.getPath().stream()
                        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."))
                        .replace(".[", "[");
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (at character " + e.getLocation().getCharOffset() + ")";
    }
}
