package io.afd.protocol.api;

import java.util.Map;

/** Score-map's answer: each participant's selection. */
public record SelectionResponse(Map<String, SelectionRef> selections) {}
