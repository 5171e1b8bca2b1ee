package io.afd.core.round;

/**
 * What one step of the round loop did, as a value: the driver decides what to do next from the
 * kind, never from the text.
 *
 * @param kind    what happened
 * @param message a sentence for logs and people
 */
public record StepOutcome(Kind kind, String message) {

    /** The kinds of step outcome. */
    public enum Kind {
        /** State moved on: the next step can run at once. */
        PROGRESSED,
        /** Nothing to do until something outside changes (updates arrive): retry later. */
        WAITING,
        /**
         * Too few clients are available to open the next round: retry later. The orchestrator bounds how long
         * an experiment may wait so (afd.orchestrator.wait-for-clients).
         */
        WAITING_FOR_CLIENTS,
        /** The experiment finished all its rounds or reached its target. */
        COMPLETED,
        /** The experiment failed; {@code message} says why. */
        FAILED,
        /** The experiment is not running (created, paused, stopped or unknown). */
        NOT_RUNNING
    }

    public static StepOutcome progressed(String message) {
        return new StepOutcome(Kind.PROGRESSED, message);
    }

    public static StepOutcome waiting(String message) {
        return new StepOutcome(Kind.WAITING, message);
    }

    public static StepOutcome waitingForClients(String message) {
        return new StepOutcome(Kind.WAITING_FOR_CLIENTS, message);
    }

    /** Whether the loop may take the next step right away. */
    public boolean progressed() {
        return kind == Kind.PROGRESSED;
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
