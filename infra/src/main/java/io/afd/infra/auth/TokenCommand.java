package io.afd.infra.auth;

import io.afd.infra.Layout;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/afd token}: prints a bearer token for the local suite, signed by the {@link LocalIssuer}
 * key in {@code $AFD_AUTH_DIR} (default {@code <repo>/.afd/auth}, created on first use).
 *
 * <pre>
 * bin/afd token --role operator [--subject alice] [--ttl 8h] [--dir D]
 * curl -H "Authorization: Bearer $(bin/afd token --role viewer)" http://127.0.0.1:8080/api/experiments
 * </pre>
 */
public final class TokenCommand {
    static final String USAGE = """
            Usage: afd token --role ROLE[,ROLE...] [--subject NAME] [--ttl DURATION] [--dir D] [--verifier-env]

            Prints a signed bearer token for the local suite's management API.
              --role R          viewer (read), operator (start, pause, resume, stop), admin (everything)
              --subject NAME    who the token names (default: $USER)
              --ttl DURATION    lifetime: 30m, 8h, 2d (default 8h; at most 30d)
              --dir D           the signing key's directory (default $AFD_AUTH_DIR, else <repo>/.afd/auth)
              --verifier-env    print instead the export lines a service needs to verify these tokens
            """;

    private TokenCommand() {}

    /** The default key directory: {@code $AFD_AUTH_DIR}, else {@code <repo>/.afd/auth}. */
    public static Path defaultDir() {
        String env = System.getenv("AFD_AUTH_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Layout.repoRoot().orElse(Path.of("").toAbsolutePath()).resolve(".afd/auth");
    }

    /** Runs {@code token} with the arguments after it; returns the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> roles = new ArrayList<>();
        String subject = System.getProperty("user.name", "operator");
        Duration ttl = Duration.ofHours(8);
        Path dir = null;
        boolean verifierEnv = false;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("-h") || a.equals("--help")) {
                    out.print(USAGE);
                    return 0;
                }
                if (a.equals("--verifier-env")) {
                    verifierEnv = true;
                    continue;
                }
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args.get(++i);
                switch (a) {
                    case "--role" -> {
                        for (String r : v.split(",")) {
                            String role = r.trim().toLowerCase(Locale.ROOT);
                            if (!LocalIssuer.ROLES.contains(role)) {
                                throw new IllegalArgumentException(
                                        "unknown role '" + r + "' (" + String.join(", ", LocalIssuer.ROLES) + ")");
                            }
                            roles.add(role);
                        }
                    }
                    case "--subject" -> subject = v;
                    case "--ttl" -> ttl = parseTtl(v);
                    case "--dir" -> dir = Path.of(v).toAbsolutePath().normalize();
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            LocalIssuer issuer = LocalIssuer.open(dir == null ? defaultDir() : dir);
            if (verifierEnv) {
                issuer.verifierEnv().forEach((k, val) -> out.println("export " + k + "='" + val + "'"));
                return 0;
            }
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("--role is required");
            }
            out.println(issuer.mint(subject, roles, ttl));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("afd token: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("afd token: " + e.getMessage());
            return 1;
        }
    }

    static Duration parseTtl(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.length() < 2) {
            throw new IllegalArgumentException("bad --ttl '" + s + "' (for example 30m, 8h, 2d)");
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad --ttl '" + s + "' (for example 30m, 8h, 2d)");
        }
        Duration d = switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("bad --ttl '" + s + "' (for example 30m, 8h, 2d)");
        };
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("--ttl must be > 0 and at most 30d, got " + s);
        }
        return d;
    }
}
