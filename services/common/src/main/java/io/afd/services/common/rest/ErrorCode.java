package io.afd.services.common.rest;

/**
 * An exception that carries its own machine code for the {@code "error"} member of the error body (for
 * example score-map's {@code Rejection}: {@code unknown_round}, {@code not_selected}, ...). Exceptions without
 * one get the code of their HTTP status ({@link ErrorBody#codeOf(int)}).
 */
public interface ErrorCode {
    /** Short lowercase snake_case code, e.g. {@code unknown_experiment}. */
    String errorCode();
}
