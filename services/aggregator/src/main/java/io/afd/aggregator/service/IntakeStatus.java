package io.afd.aggregator.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Whether update intake is paused because a dependency (the database, Kafka, the orchestrator) keeps failing, since
 * when and why. Readiness {@code updates-intake} reports it; intake resumes by itself when the dependency returns.
 */
@ApplicationScoped
public class IntakeStatus {
    private static final Logger LOG = Logger.getLogger(IntakeStatus.class);

    /** A pause: since when, doing what, the last error, and the attempts so far. */
    public record Pause(Instant since, String what, String lastError, long attempts) {}

    private Pause pause;

    /** Records a failed attempt; true when it starts a pause. */
    synchronized boolean failed(String what, Exception e) {
        boolean first = pause == null;
        pause = new Pause(
                first ? Instant.now() : pause.since(),
                what,
                String.valueOf(e.getMessage()),
                first ? 1 : pause.attempts() + 1);
        return first;
    }

    synchronized void succeeded() {
        if (pause != null) {
            LOG.infof(
                    "intake resumed after %d s (%d failed attempts at %s)",
                    java.time.Duration.between(pause.since(), Instant.now()).toSeconds(),
                    pause.attempts(),
                    pause.what());
            pause = null;
        }
    }

    /** The current pause, or null while intake runs. */
    public synchronized Pause pause() {
        return pause;
    }
}
