package dev.berth.reconciler.render;

/** One file berth writes on a host: its path relative to the root ("etc/systemd/...") and text. */
public record HostFile(String path, String content) {}
