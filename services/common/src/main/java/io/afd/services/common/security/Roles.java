package io.afd.services.common.security;

import java.util.List;

/**
 * The roles a bearer token's {@code groups} claim carries (ADR 0013, ADR 0016).
 *
 * <p>Operators: a more privileged role may do all a less privileged one may, and a token may carry a single role, so
 * an endpoint lists every role it admits: reads {@code {VIEWER, OPERATOR, ADMIN}}, operations
 * {@code {OPERATOR, ADMIN}}, administration {@code {ADMIN}}.
 *
 * <p>Services: each service calls its peers with its own service token, whose only role is {@code service:<name>};
 * an internal endpoint admits exactly the services that call it, and no operator role unless it only reads.
 */
public final class Roles {
    /** Reads experiments, rounds, configs and clients. */
    public static final String VIEWER = "viewer";
    /** Also starts, pauses, resumes and stops experiments and marks clients (un)available. */
    public static final String OPERATOR = "operator";
    /** Also creates experiments and registers clients. */
    public static final String ADMIN = "admin";

    /** The orchestrator calling its peers (rounds, tasks, selections, versions). */
    public static final String SERVICE_ORCHESTRATOR = "service:orchestrator";
    /** The aggregator calling the registry (base weights, new versions) and the orchestrator (client keys). */
    public static final String SERVICE_AGGREGATOR = "service:aggregator";
    /** The packager calling the registry (weights). */
    public static final String SERVICE_PACKAGER = "service:packager";
    /** The score-map service (it calls no peer today; named so that its token can exist). */
    public static final String SERVICE_SCORE_MAP = "service:score-map";

    /** Every role, operators' and services', for tests that try each. */
    public static final List<String> ALL = List.of(
            VIEWER, OPERATOR, ADMIN, SERVICE_ORCHESTRATOR, SERVICE_AGGREGATOR, SERVICE_PACKAGER, SERVICE_SCORE_MAP);

    private Roles() {}

    /** The service role of a service name ({@code aggregator} gives {@code service:aggregator}). */
    public static String service(String name) {
        return "service:" + name;
    }
}
