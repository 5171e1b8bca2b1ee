package io.afd.core.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An ordered set of dense named tensors: a model's weights, or a dense update. */
public final class ParamSet implements Iterable<Tensor> {
    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();

    public ParamSet() {}

    public ParamSet(List<Tensor> list) {
        list.forEach(this::put);
    }

    public ParamSet put(Tensor t) {
        if (tensors.putIfAbsent(t.name(), t) != null) {
            throw new IllegalArgumentException("duplicate tensor name " + t.name());
        }
        return this;
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named " + name + " (have " + tensors.keySet() + ")");
        }
        return t;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public List<Tensor> list() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.values()));
    }

    public int size() {
        return tensors.size();
    }

    /** Total number of scalar parameters. */
    public long numParams() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.data().length;
        }
        return n;
    }

    public ParamSet copy() {
        ParamSet p = new ParamSet();
        tensors.values().forEach(t -> p.put(t.copy()));
        return p;
    }

    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    public boolean bitEquals(ParamSet other) {
        if (!tensors.keySet().equals(other.tensors.keySet())) {
            return false;
        }
        for (Tensor t : tensors.values()) {
            if (!t.bitEquals(other.get(t.name()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Iterator<Tensor> iterator() {
        return Collections.unmodifiableCollection(tensors.values()).iterator();
    }

    @Override
    public String toString() {
        return "ParamSet" + tensors.values();
    }
}
