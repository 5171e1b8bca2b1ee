package io.afd.protocol.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import io.afd.core.round.LossSignal;
import java.io.IOException;

/**
 * The JSON form of the core's typed settings used in REST bodies between services: a
 * {@link LossSignal} is its label ({@code "train"}, {@code "initial"}) both ways. Every service
 * registers {@link #module()} on its object mapper (services/common does it for the Quarkus one);
 * the core stays free of Jackson.
 */
public final class ApiJson {
    private ApiJson() {}

    /** A Jackson module with the mappings of the core's settings types. */
    public static Module module() {
        SimpleModule m = new SimpleModule("afd-api");
        m.addSerializer(LossSignal.class, new LossSignalSerializer());
        m.addDeserializer(LossSignal.class, new LossSignalDeserializer());
        return m;
    }

    private static final class LossSignalSerializer extends StdScalarSerializer<LossSignal> {
        LossSignalSerializer() {
            super(LossSignal.class);
        }

        @Override
        public void serialize(LossSignal value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.label());
        }
    }

    private static final class LossSignalDeserializer extends StdScalarDeserializer<LossSignal> {
        LossSignalDeserializer() {
            super(LossSignal.class);
        }

        @Override
        public LossSignal deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (LossSignal) ctx.handleUnexpectedToken(
                        LossSignal.class, p.currentToken(), p, "lossSignal must be a string (train, initial)");
            }
            String text = p.getText();
            try {
                return LossSignal.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, LossSignal.class);
            }
        }
    }
}
