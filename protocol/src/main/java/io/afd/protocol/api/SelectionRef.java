package io.afd.protocol.api;

/** A selection by stable id and canonical text ({@code layer:i,j;layer2:...}). */
public record SelectionRef(String id, String canonical) {}
