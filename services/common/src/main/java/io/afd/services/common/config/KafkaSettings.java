package io.afd.services.common.config;

import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * This service's Kafka login, read from its {@code kafka.*} settings (application.properties: {@code
 * KAFKA_SECURITY_PROTOCOL}, {@code AFD_KAFKA_USERNAME}, {@code AFD_KAFKA_PASSWORD}, ...), and checked at startup: a
 * SASL protocol without a user name or password stops the start with the reason; {@code PLAINTEXT}, the explicit
 * development setting, is logged as a warning. A service that declares no {@code kafka.sasl.jaas.config} uses no
 * Kafka (the model registry) and is left alone, whatever the environment says about Kafka.
 */
@ApplicationScoped
public class KafkaSettings {
    private static final Logger LOG = Logger.getLogger(KafkaSettings.class);
    private static final Pattern JAAS = Pattern.compile("username=\"([^\"]*)\"\\s+password=\"([^\"]*)\"");
    private static final java.util.Set<String> LOGIN_KEYS = java.util.Set.of(
            "kafka.security.protocol", "kafka.sasl.mechanism", "kafka.sasl.jaas.config", "kafka.bootstrap.servers");

    void check(@Observes StartupEvent ev) {
        Optional<KafkaConnection> c = connection();
        if (c.isPresent() && !c.get().isSecure()) {
            LOG.warnf(
                    "Kafka security is OFF (kafka.security.protocol=%s): this service connects without a login."
                            + " For an insecure development broker only.",
                    c.get().securityProtocol());
        } else {
            c.ifPresent(k -> LOG.infof("Kafka: %s", k));
        }
    }

    /**
     * The connection this service's {@code kafka.*} settings describe, empty when it has no Kafka.
     *
     * @throws IllegalStateException when a SASL protocol has no complete login, naming the settings
     */
    public static Optional<KafkaConnection> connection() {
        Config config = ConfigProvider.getConfig();
        Optional<String> bootstrap = config.getOptionalValue("kafka.bootstrap.servers", String.class);
        if (bootstrap.isEmpty()
                || config.getOptionalValue("kafka.sasl.jaas.config", String.class)
                        .isEmpty()) {
            return Optional.empty();
        }
        String protocol =
                config.getOptionalValue("kafka.security.protocol", String.class).orElse(KafkaConnection.PLAINTEXT);
        Map<String, String> extra = new LinkedHashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.ssl.") && !protocol.endsWith("SSL")) {
                continue;
            }
            if (name.startsWith("kafka.") && !LOGIN_KEYS.contains(name)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> extra.put(name.substring(6), v));
            }
        }
        if (!protocol.startsWith("SASL_")) {
            return Optional.of(new KafkaConnection(bootstrap.get(), protocol, null, extra));
        }
        String jaas =
                config.getOptionalValue("kafka.sasl.jaas.config", String.class).orElse("");
        Matcher m = JAAS.matcher(jaas);
        String mechanism =
                config.getOptionalValue("kafka.sasl.mechanism", String.class).orElse(KafkaLogin.SCRAM_SHA_512);
        if (!m.find() || m.group(1).isEmpty() || m.group(2).isEmpty()) {
            throw new IllegalStateException("Kafka login missing: kafka.security.protocol=" + protocol
                    + " needs this service's SCRAM user and password (AFD_KAFKA_USERNAME, AFD_KAFKA_PASSWORD, or"
                    + " kafka.sasl.jaas.config); KAFKA_SECURITY_PROTOCOL=PLAINTEXT only for an insecure"
                    + " development broker");
        }
        try {
            return Optional.of(new KafkaConnection(
                    bootstrap.get(), protocol, new KafkaLogin(m.group(1), m.group(2), mechanism), extra));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Kafka login invalid: " + e.getMessage(), e);
        }
    }
}
