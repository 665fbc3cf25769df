package dev.berth.reconciler.migrate;

/** One {@code KEY=VALUE} assignment of a nixos-container configuration, with its line. */
public record ConfEntry(String key, String value, int line) {}
