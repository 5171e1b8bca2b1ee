package io.afd.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * 64-bit seeds on the wire: exactly 16 lowercase hex digits, the two's-complement bits big-endian
 * (e.g. {@code -1} is {@code "ffffffffffffffff"}). Strings, because JSON numbers above 2^53 lose
 * bits in many parsers.
 */
final class HexLong {
    static final Pattern PATTERN = Pattern.compile("[0-9a-f]{16}");

    private HexLong() {}

    static String format(long v) {
        return String.format("%016x", v);
    }

    static long parse(String s) {
        if (s == null || !PATTERN.matcher(s).matches()) {
            throw new IllegalArgumentException(
                    "a 64-bit seed must be 16 lowercase hex digits, got " + (s == null ? "null" : Check.quote(s)));
        }
        return Long.parseUnsignedLong(s, 16);
    }

    static final class Serializer extends StdSerializer<Long> {
        Serializer() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }

    static final class Deserializer extends StdDeserializer<Long> {
        Deserializer() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Long) ctxt.handleUnexpectedToken(
                        Long.class, p.currentToken(), p, "a 64-bit seed must be a string of 16 lowercase hex digits");
            }
            String s = p.getText();
            if (!PATTERN.matcher(s).matches()) {
                return (Long) ctxt.handleWeirdStringValue(Long.class, s, "expected 16 lowercase hex digits");
            }
            return Long.parseUnsignedLong(s, 16);
        }

        @Override
        public Long getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            return (Long) ctxt.reportInputMismatch(
                    this, "a 64-bit seed must be a string of 16 lowercase hex digits, got null");
        }
    }
}
