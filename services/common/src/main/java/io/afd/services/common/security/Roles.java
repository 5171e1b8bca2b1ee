package io.afd.services.common.security;

/**
 * The operator roles of the management API (ADR 0013), as the {@code groups} claim of a bearer token
 * carries them. A more privileged role may do all a less privileged one may, and a token may carry a
 * single role, so an endpoint lists every role it admits: reads {@code {VIEWER, OPERATOR, ADMIN}},
 * operations {@code {OPERATOR, ADMIN}}, administration {@code {ADMIN}}.
 */
public final class Roles {
    /** Reads experiments, rounds, configs and clients. */
    public static final String VIEWER = "viewer";
    /** Also starts, pauses, resumes and stops experiments and marks clients (un)available. */
    public static final String OPERATOR = "operator";
    /** Also creates experiments and registers clients. */
    public static final String ADMIN = "admin";

    private Roles() {}
}
