package dev.berth.reconciler.migrate;

/**
 * One old container as {@code berth migrate} found it: its configuration file ({@code source}, as
 * shown to the user, and its text), where its state lies and is to go, and — for a container that
 * {@code nixos-container create} made — the NixOS configuration in its state ({@code null} when
 * there is none).
 */
public record LegacyConf(
    String name,
    String source,
    String text,
    String stateFrom,
    String stateTo,
    String configurationNixSource,
    String configurationNix) {}
