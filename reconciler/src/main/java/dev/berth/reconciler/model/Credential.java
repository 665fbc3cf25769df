package dev.berth.reconciler.model;

/** A systemd credential passed into the container ({@code --load-credential=ID:PATH}). */
public record Credential(String id, String path) {}
