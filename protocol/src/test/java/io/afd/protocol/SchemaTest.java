package io.afd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The JSON Schema files agree with the records and with the JSON the code writes. */
class SchemaTest {
    private final MiniSchema schemas = new MiniSchema();
    private final ObjectMapper plain = new ObjectMapper();

    private static Set<String> names(JsonNode objectOrArray) {
        Set<String> out = new LinkedHashSet<>();
        if (objectOrArray.isArray()) {
            objectOrArray.forEach(n -> out.add(n.asText()));
        } else {
            objectOrArray.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    /** Component names of a record, and those annotated required. */
    private static void assertMatches(Class<?> record, JsonNode schema, boolean allowsChunk) {
        Set<String> all = new LinkedHashSet<>();
        Set<String> required = new LinkedHashSet<>();
        for (RecordComponent rc : record.getRecordComponents()) {
            all.add(rc.getName());
            JsonProperty p = rc.getAccessor().getAnnotation(JsonProperty.class);
            if (p != null && p.required()) {
                required.add(rc.getName());
            }
        }
        Set<String> props = names(schema.get("properties"));
        if (allowsChunk) {
            assertTrue(props.remove(ProtocolJson.CHUNK_FIELD), record.getSimpleName() + " schema allows chunk");
        }
        assertEquals(all, props, record.getSimpleName() + " properties");
        assertEquals(required, names(schema.get("required")), record.getSimpleName() + " required");
        assertFalse(schema.get("additionalProperties").asBoolean(true), record.getSimpleName());
    }

    @Test
    void schemaFilesParseAndUseOnlyKnownKeywords() {
        for (String f : MiniSchema.FILES) {
            JsonNode s = schemas.file(f);
            assertEquals(
                    "https://json-schema.org/draft/2020-12/schema",
                    s.get("$schema").asText(),
                    f);
            assertEquals(f, s.get("$id").asText());
            Set<String> used = new HashSet<>();
            schemas.collectKeywords(s, used);
            used.removeAll(MiniSchema.KEYWORDS);
            assertTrue(used.isEmpty(), f + " uses " + used);
        }
    }

    @Test
    void schemasListExactlyTheRecordFieldsAndRequiredOnes() {
        assertMatches(ClientTask.class, schemas.file("client-task.schema.json"), true);
        assertMatches(
                TrainingConfig.class,
                schemas.file("client-task.schema.json").get("properties").get("train"),
                false);
        assertMatches(ClientUpdate.class, schemas.file("client-update.schema.json"), true);
        assertMatches(RoundEvent.class, schemas.file("round-event.schema.json"), true);
        assertMatches(
                RoundEvent.ClientResult.class,
                schemas.file("round-event.schema.json")
                        .get("properties")
                        .get("results")
                        .get("items"),
                false);
        assertMatches(DeadLetter.class, schemas.file("dead-letter.schema.json"), true);
        assertMatches(Chunk.class, schemas.file("chunk.schema.json"), false);
        Set<String> enumValues = names(schemas.file("round-event.schema.json")
                .get("properties")
                .get("type")
                .get("enum"));
        Set<String> javaValues = new LinkedHashSet<>();
        for (RoundEvent.Type t : RoundEvent.Type.values()) {
            javaValues.add(t.name());
        }
        assertEquals(javaValues, enumValues);
    }

    @Test
    void headersTheCodeWritesValidate() throws Exception {
        Chunk chunk = new Chunk(UUID.randomUUID().toString(), 1, 3, 1024, 3000, "ab".repeat(32));
        for (Message m : Fixtures.allMessages()) {
            for (Chunk c : new Chunk[] {null, chunk}) {
                JsonNode json = plain.readTree(ProtocolJson.write(m, c));
                List<String> errors = schemas.validate(MiniSchema.fileFor(m.messageType()), json);
                assertTrue(errors.isEmpty(), m.messageType() + ": " + errors + " in " + json);
                JsonNode schema = schemas.file(MiniSchema.fileFor(m.messageType()));
                for (JsonNode r : schema.get("required")) {
                    assertTrue(json.hasNonNull(r.asText()), "required " + r + " present in " + json);
                }
            }
        }
    }

    @Test
    void theValidatorCanFail() throws Exception {
        ObjectNode good = (ObjectNode) plain.readTree(ProtocolJson.write(Fixtures.task(), null));
        assertTrue(schemas.validate("client-task.schema.json", good).isEmpty());
        List<java.util.function.Consumer<ObjectNode>> breakers = List.of(
                n -> n.remove("round"),
                n -> n.put("extra", 1),
                n -> n.put("round", "3"),
                n -> n.put("round", -1),
                n -> n.put("selectionId", "XYZ"),
                n -> ((ObjectNode) n.get("train")).put("momentum", 1.0),
                n -> ((ObjectNode) n.get("train")).remove("seed"),
                n -> n.put("uplinkCodec", "gzip"),
                n -> n.put("modelVersion", 9007199254740992L),
                n -> n.putObject("chunk").put("index", 0));
        for (int i = 0; i < breakers.size(); i++) {
            ObjectNode bad = good.deepCopy();
            breakers.get(i).accept(bad);
            assertFalse(schemas.validate("client-task.schema.json", bad).isEmpty(), "breaker " + i + ": " + bad);
        }
        ObjectNode ev = (ObjectNode) plain.readTree(ProtocolJson.write(Fixtures.roundEvent(), null));
        ev.put("type", "DONE");
        assertFalse(schemas.validate("round-event.schema.json", ev).isEmpty());
        ObjectNode up = (ObjectNode) plain.readTree(ProtocolJson.write(Fixtures.update(), null));
        up.put("initialLoss", "x");
        assertFalse(schemas.validate("client-update.schema.json", up).isEmpty());
        up.putNull("initialLoss");
        assertTrue(schemas.validate("client-update.schema.json", up).isEmpty());
    }

    @Test
    void nullableFieldsAreOmittedWhenNull() throws Exception {
        JsonNode u = plain.readTree(ProtocolJson.write(Fixtures.update(), null));
        assertFalse(u.has("initialLoss"));
        JsonNode u2 = plain.readTree(ProtocolJson.write(Fixtures.updateWithInitialLoss(), null));
        assertEquals(2.25, u2.get("initialLoss").asDouble());
        Iterator<String> it =
                plain.readTree(ProtocolJson.write(Fixtures.deadLetter(), null)).fieldNames();
        Set<String> dl = new HashSet<>();
        it.forEachRemaining(dl::add);
        assertEquals(
                Set.of(
                        "reason",
                        "detail",
                        "originalTopic",
                        "originalPartition",
                        "originalOffset",
                        "clientId",
                        "timestampMillis"),
                dl);
    }
}
