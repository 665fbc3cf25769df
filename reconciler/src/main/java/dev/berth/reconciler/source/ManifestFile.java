package dev.berth.reconciler.source;

/** One YAML file of a manifest repository: its path relative to the root, '/'-separated, and bytes. */
public record ManifestFile(String path, byte[] content) {}
