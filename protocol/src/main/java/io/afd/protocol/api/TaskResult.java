package io.afd.protocol.api;

import java.util.Map;

/** Packager's answer: downlink bytes per client (all chunks, envelopes included). */
public record TaskResult(Map<String, Long> bytesDown) {}
