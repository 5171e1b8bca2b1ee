package io.afd.services.testing;

import io.afd.infra.testing.SharedInfra;
import io.afd.kafka.ServiceAccount;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs a {@code @QuarkusTest} against the real infrastructure of {@link SharedInfra}: a Kafka
 * broker started from the Kafka jars and PostgreSQL (the local server on 127.0.0.1:5432 when it
 * answers, an embedded one otherwise), with a fresh database per test class. No Docker, no Dev
 * Services. The service logs in to Kafka as its own principal, with only its ACLs, when the test names it:
 * {@code @QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name =
 * InfraTestResource.KAFKA_ACCOUNT, value = "aggregator"))}.
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {
    /**
     * Init argument naming the service's Kafka principal ({@code aggregator}, {@code packager}, {@code score-map},
     * {@code orchestrator}); without it the service gets no Kafka login.
     */
    public static final String KAFKA_ACCOUNT = "kafka-account";

    /** Init argument: {@code none} leaves the datasource to another resource (such as {@link RestartablePostgres}). */
    public static final String DATABASE = "database";

    private ServiceAccount account;
    private boolean database = true;

    @Override
    public void init(Map<String, String> initArgs) {
        String a = initArgs.get(KAFKA_ACCOUNT);
        account = a == null ? null : ServiceAccount.of(a);
        database = !"none".equals(initArgs.get(DATABASE));
    }

    @Override
    public Map<String, String> start() {
        SharedInfra infra = SharedInfra.get();
        Map<String, String> p =
                new java.util.LinkedHashMap<>(infra.quarkusProperties(infra.createUniqueDatabase("svc")));
        if (!database) {
            p.keySet().removeIf(k -> k.startsWith("quarkus.datasource."));
        }
        if (account != null) {
            p.putAll(infra.quarkusKafkaProperties(account));
        }
        // health and metrics are on the management interface; a free port, read back by Management.port()
        p.put("quarkus.management.test-port", Integer.toString(io.afd.infra.Ports.freePort()));
        return p;
    }

    @Override
    public void stop() {
        // SharedInfra stops the broker and PostgreSQL at JVM exit.
    }
}
