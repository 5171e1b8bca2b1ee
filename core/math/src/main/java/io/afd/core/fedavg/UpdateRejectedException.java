package io.afd.core.fedavg;

/** An update that must not be aggregated; the message is the recorded reason. */
public class UpdateRejectedException extends IllegalArgumentException {
    private final String reason;

    public UpdateRejectedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Short machine-readable reason code, e.g. {@code wrong_shape}, {@code non_finite}. */
    public String reason() {
        return reason;
    }
}
