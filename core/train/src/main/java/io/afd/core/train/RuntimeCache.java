package io.afd.core.train;

import io.afd.core.model.ModelSpec;
import io.afd.core.nn.ModelRuntime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a few SameDiff graphs, one per architecture (sub-models of equal widths share one). Not
 * thread-safe: one cache per training thread.
 */
public final class RuntimeCache {
    private final int capacity;
    private final LinkedHashMap<String, ModelRuntime> runtimes;

    public RuntimeCache(int capacity) {
        this.capacity = capacity;
        this.runtimes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ModelRuntime> e) {
                return size() > RuntimeCache.this.capacity;
            }
        };
    }

    public ModelRuntime get(ModelSpec spec) {
        return runtimes.computeIfAbsent(spec.toString(), k -> ModelRuntime.create(spec));
    }
}
