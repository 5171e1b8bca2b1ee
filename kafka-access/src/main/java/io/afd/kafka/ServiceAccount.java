package io.afd.kafka;

import java.util.Locale;

/**
 * The Kafka principals of the services that use Kafka (the model registry does not). Their names end without a
 * digit, so no client id (which ends with its partition index) can take one.
 */
public enum ServiceAccount {
    /** Reads {@code afd.updates} in group {@code afd-aggregator*}, writes round events and dead letters. */
    AGGREGATOR("afd-aggregator"),
    /** Writes every client's task topic {@code afd.tasks.<clientId>}. */
    PACKAGER("afd-packager"),
    /** Reads {@code afd.rounds} in group {@code afd-score-map*}, writes dead letters. */
    SCORE_MAP("afd-score-map"),
    /** Creates each client's task topic, SCRAM login and ACLs at enrolment, and removes the login at revocation. */
    ORCHESTRATOR("afd-orchestrator");

    private final String principal;

    ServiceAccount(String principal) {
        this.principal = principal;
    }

    /** The SCRAM user name, which is the principal's name ({@code User:<name>}). */
    public String principal() {
        return principal;
    }

    /** The account of a service by its module name ({@code aggregator}, {@code score-map}, ...). */
    public static ServiceAccount of(String service) {
        return valueOf(service.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether {@code name} is a service's principal or the brokers' super user, which no client may be. */
    public static boolean reserved(String name) {
        if (name.equals(KafkaAccess.SUPER_USER)) {
            return true;
        }
        for (ServiceAccount a : values()) {
            if (a.principal.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
