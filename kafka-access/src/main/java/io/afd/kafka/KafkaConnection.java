package io.afd.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach and log in to the suite's Kafka: bootstrap servers, security protocol ({@code SASL_PLAINTEXT} or
 * {@code SASL_SSL} with a {@link KafkaLogin}; {@code PLAINTEXT} only for an explicitly insecure development broker)
 * and extra client settings (for example {@code ssl.truststore.location} for a TLS listener).
 */
public record KafkaConnection(
        String bootstrapServers, String securityProtocol, KafkaLogin login, Map<String, String> extra) {
    public static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";
    public static final String SASL_SSL = "SASL_SSL";
    public static final String PLAINTEXT = "PLAINTEXT";

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        extra = Map.copyOf(extra == null ? Map.of() : extra);
        boolean sasl = securityProtocol.startsWith("SASL_");
        if (!sasl && !securityProtocol.equals(PLAINTEXT) && !securityProtocol.equals("SSL")) {
            throw new IllegalArgumentException("unknown Kafka security protocol " + securityProtocol);
        }
        if (sasl && login == null) {
            throw new IllegalArgumentException(securityProtocol + " needs a login (user name and password)");
        }
    }

    /** A SCRAM login over {@code SASL_PLAINTEXT}: the brokers the project starts. */
    public static KafkaConnection scram(String bootstrapServers, KafkaLogin login) {
        return new KafkaConnection(bootstrapServers, SASL_PLAINTEXT, login, Map.of());
    }

    /** No authentication at all: only for a broker started insecure on purpose. */
    public static KafkaConnection insecure(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, PLAINTEXT, null, Map.of());
    }

    /** The same broker and protocol with another login. */
    public KafkaConnection as(KafkaLogin other) {
        return new KafkaConnection(bootstrapServers, securityProtocol, isSecure() ? other : null, extra);
    }

    public boolean isSecure() {
        return login != null && securityProtocol.startsWith("SASL_");
    }

    /** The Kafka client settings: {@code bootstrap.servers}, {@code security.protocol}, the SASL ones, the extras. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("security.protocol", securityProtocol);
        if (isSecure()) {
            p.put("sasl.mechanism", login.mechanism());
            p.put("sasl.jaas.config", login.jaasConfig());
        }
        p.putAll(extra);
        return p;
    }

    /**
     * The same settings as a Quarkus service reads them ({@code kafka.bootstrap.servers}, {@code
     * kafka.security.protocol}, ...).
     */
    public Map<String, String> quarkusProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        clientProperties().forEach((k, v) -> p.put("kafka." + k, String.valueOf(v)));
        return p;
    }

    @Override
    public String toString() {
        return "KafkaConnection[" + bootstrapServers + ", " + securityProtocol + (login == null ? "" : ", " + login)
                + "]";
    }
}
