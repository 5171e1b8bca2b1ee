package io.afd.core.round;

import io.afd.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of selection policies by name: the four built in ({@value FedAvgPolicy#NAME},
 * {@value RandomFdPolicy#NAME}, {@value AfdSinglePolicy#NAME}, {@value AfdMultiPolicy#NAME}; the
 * top-k variant is the {@code topK} setting of the two AFD policies) and every
 * {@link SelectionPolicy.Factory} listed in {@code META-INF/services/io.afd.core.round.SelectionPolicy$Factory}
 * on the class path. Names are case-insensitive and {@code _} reads as {@code -}.
 */
public final class Policies {
    /** The built-in policies, in the order reports list them. */
    public static final List<String> BUILT_IN =
            List.of(FedAvgPolicy.NAME, RandomFdPolicy.NAME, AfdSinglePolicy.NAME, AfdMultiPolicy.NAME);

    private static final Map<String, SelectionPolicy.Factory> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, String> CANONICAL = new LinkedHashMap<>();

    /** A built-in policy's registration. */
    private record BuiltIn(String name, List<String> aliases, boolean dropsUnits, SelectionPolicy.Constructor ctor)
            implements SelectionPolicy.Factory {
        @Override
        public SelectionPolicy create(ModelSpec spec, SelectionSettings settings, long seed) {
            return ctor.create(spec, settings, seed);
        }
    }

    static {
        register(new BuiltIn(FedAvgPolicy.NAME, List.of(), false, (spec, s, seed) -> new FedAvgPolicy(spec, s)));
        register(new BuiltIn(RandomFdPolicy.NAME, List.of("fd", "random"), true, RandomFdPolicy::new));
        register(new BuiltIn(AfdSinglePolicy.NAME, List.of("afd-sm", "single"), true, AfdSinglePolicy::new));
        register(new BuiltIn(AfdMultiPolicy.NAME, List.of("afd-mm", "multi"), true, AfdMultiPolicy::new));
        for (SelectionPolicy.Factory f :
                ServiceLoader.load(SelectionPolicy.Factory.class, Policies.class.getClassLoader())) {
            register(f);
        }
    }

    private Policies() {}

    private static synchronized void register(SelectionPolicy.Factory f) {
        String name = normalize(f.name());
        if (BY_NAME.containsKey(name)) {
            return; // the same factory found twice on the class path
        }
        List<String> spellings = new ArrayList<>(List.of(name));
        f.aliases().forEach(a -> spellings.add(normalize(a)));
        for (String s : spellings) {
            String had = CANONICAL.putIfAbsent(s, name);
            if (had != null && !had.equals(name)) {
                throw new IllegalStateException(
                        "policy name '" + s + "' of " + f.getClass().getName() + " is already taken by " + had);
            }
        }
        BY_NAME.put(name, f);
    }

    private static String normalize(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Canonical names of every registered policy, built-in ones first. */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(BY_NAME.keySet()));
    }

    /** The canonical name of a registered policy. */
    public static String canonical(String name) {
        String c = CANONICAL.get(normalize(name));
        if (c == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "' (" + String.join(", ", names()) + ")");
        }
        return c;
    }

    /** Whether the named policy drops units (false for fedavg: every client trains the whole model). */
    public static boolean dropsUnits(String name) {
        return factory(name).dropsUnits();
    }

    /** A policy for one experiment. */
    public static SelectionPolicy create(ModelSpec spec, SelectionSettings settings, long seed) {
        return factory(settings.policy()).create(spec, settings, seed);
    }

    private static SelectionPolicy.Factory factory(String name) {
        return BY_NAME.get(canonical(name));
    }
}
