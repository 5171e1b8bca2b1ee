package io.afd.kafka;

import java.util.Objects;

/**
 * A SASL/SCRAM login: user name, password and mechanism ({@value #SCRAM_SHA_512}, the one the suite's brokers
 * enable). Passwords are printable ASCII without quotes or backslashes, so they sit in a JAAS line unescaped; the
 * suite's own are 43 base64url characters ({@link KafkaAccess#newPassword()}), Strimzi's are alphanumeric.
 */
public record KafkaLogin(String username, String password, String mechanism) {
    public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";

    public KafkaLogin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(mechanism, "mechanism");
        if (username.isBlank() || !printable(username) || username.contains(",") || username.contains("=")) {
            throw new IllegalArgumentException("Kafka user name must be printable ASCII without quotes, backslashes,"
                    + " commas or equals signs: '" + username + "'");
        }
        if (password.isEmpty() || !printable(password)) {
            throw new IllegalArgumentException(
                    "Kafka password for " + username + " must be printable ASCII without quotes or backslashes");
        }
        if (!mechanism.equals(SCRAM_SHA_512) && !mechanism.equals("SCRAM-SHA-256")) {
            throw new IllegalArgumentException("unsupported SASL mechanism " + mechanism + " (SCRAM-SHA-512 or -256)");
        }
    }

    public static KafkaLogin scram(String username, String password) {
        return new KafkaLogin(username, password, SCRAM_SHA_512);
    }

    /** The client's {@code sasl.jaas.config} line. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + username
                + "\" password=\"" + password + "\";";
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "KafkaLogin[" + username + ", " + mechanism + ", password hidden]";
    }
}
