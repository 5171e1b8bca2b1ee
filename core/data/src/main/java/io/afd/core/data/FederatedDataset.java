package io.afd.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Training data split over clients plus one held-out global test set.
 *
 * <p>Client {@code k} is {@code clients().get(k)}. All clients and the test set share the feature shape
 * and class count. Immutable (the datasets themselves are immutable).
 */
public final class FederatedDataset {
    private final List<Dataset> clients;
    private final Dataset test;
    private final String description;

    /**
     * @param clients     one dataset per client, at least one
     * @param test        the pooled, held-out global test set
     * @param description free text, e.g. "synthetic(1,1), 30 clients, seed 7"
     * @throws IllegalArgumentException if the list is empty or shapes / class counts differ
     */
    public FederatedDataset(List<Dataset> clients, Dataset test, String description) {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(description, "description");
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("a federated dataset needs at least one client");
        }
        for (Dataset c : clients) {
            Objects.requireNonNull(c, "client dataset");
            test.requireCompatible(c);
        }
        this.clients = List.copyOf(clients);
        this.test = test;
        this.description = description;
    }

    /** Unmodifiable list of client datasets; index = client id. */
    public List<Dataset> clients() {
        return clients;
    }

    public Dataset client(int k) {
        return clients.get(k);
    }

    public int numClients() {
        return clients.size();
    }

    public Dataset test() {
        return test;
    }

    public String description() {
        return description;
    }

    /** Shape of one sample (copy). */
    public int[] featureShape() {
        return test.featureShape();
    }

    public int numClasses() {
        return test.numClasses();
    }

    /** Sum of the client dataset sizes. */
    public int totalTrainSamples() {
        int total = 0;
        for (Dataset c : clients) {
            total = Math.addExact(total, c.size());
        }
        return total;
    }

    /** Client sizes, index = client id. */
    public int[] clientSizes() {
        int[] s = new int[clients.size()];
        for (int k = 0; k < s.length; k++) {
            s[k] = clients.get(k).size();
        }
        return s;
    }

    /** All client training data concatenated in client order (a copy), e.g. for a centralised baseline. */
    public Dataset pooledTrain(String name) {
        return Dataset.concat(new ArrayList<>(clients), name);
    }

    @Override
    public String toString() {
        return "FederatedDataset[" + description + ", clients=" + clients.size() + ", train=" + totalTrainSamples()
                + ", test=" + test.size() + "]";
    }
}
