package io.afd.scoremap;

import io.afd.infra.testing.SharedInfra;
import io.afd.protocol.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Creates the topics the service uses before it starts, so its consumer is assigned partitions at once. */
public class TopicsTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        SharedInfra.get().createTopics(Topics.ROUNDS, Topics.DEAD_LETTER);
        return Map.of();
    }

    @Override
    public void stop() {
        // SharedInfra stops the broker at JVM exit.
    }
}
