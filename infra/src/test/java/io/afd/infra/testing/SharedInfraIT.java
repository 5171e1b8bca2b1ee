package io.afd.infra.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What another module's integration test does: the extension, a unique database, a topic. */
@ExtendWith(AfdInfraExtension.class)
class SharedInfraIT {

    @Test
    void givesKafkaAndPostgresToTests(SharedInfra infra) throws Exception {
        assertSame(infra, SharedInfra.get());
        assertTrue(infra.dir().getFileName().toString().startsWith("afd-infra-"));

        String db = infra.createUniqueDatabase("shared_infra_test");
        Map<String, String> q = infra.quarkusProperties(db);
        assertEquals(infra.kafkaBootstrapServers(), q.get("kafka.bootstrap.servers"));
        assertEquals("false", q.get("quarkus.devservices.enabled"));
        Properties credentials = new Properties();
        credentials.setProperty("user", q.get("quarkus.datasource.username"));
        if (!q.get("quarkus.datasource.password").isEmpty()) {
            credentials.setProperty("password", q.get("quarkus.datasource.password"));
        }
        try (Connection c = new org.postgresql.Driver().connect(q.get("quarkus.datasource.jdbc.url"), credentials);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            assertTrue(rs.next());
            assertEquals(db, rs.getString(1));
        }
        assertEquals(infra.jdbcUrl(), infra.properties().get("afd.jdbc.url"));

        infra.createTopics("shared-infra-test");
        try (Admin admin = Admin.create(infra.kafkaAdmin().clientProperties())) {
            assertEquals(
                    3,
                    admin.describeTopics(List.of("shared-infra-test"))
                            .allTopicNames()
                            .get()
                            .get("shared-infra-test")
                            .partitions()
                            .size());
        }
    }
}
