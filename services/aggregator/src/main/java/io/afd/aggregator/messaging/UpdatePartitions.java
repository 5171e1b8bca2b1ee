package io.afd.aggregator.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The partitions of {@code afd.updates} this aggregator holds, as the consumer group assigns them
 * ({@code consumer-rebalance-listener.name} of the {@code updates} channel). Readiness reads it: an
 * aggregator that holds no partition receives no update.
 */
@ApplicationScoped
@Identifier(UpdatePartitions.NAME)
public class UpdatePartitions implements KafkaConsumerRebalanceListener {
    public static final String NAME = "afd-updates-partitions";
    private static final Logger LOG = Logger.getLogger(UpdatePartitions.class);

    private final Set<String> held = new ConcurrentSkipListSet<>();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(p -> held.add(p.toString()));
        LOG.infof("updates: assigned %s, holding %s", partitions, held);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(p -> held.remove(p.toString()));
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(p -> held.remove(p.toString()));
    }

    /** The partitions held now, e.g. {@code [afd.updates-0, afd.updates-1]}. */
    public List<String> held() {
        return List.copyOf(held);
    }
}
