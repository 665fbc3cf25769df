package dev.berth.reconciler.render;

/**
 * Why a {@code nixos} container has no system to render yet: a build under way (it waits, and keeps
 * running what it runs) or a build that failed (it is reported failed, and keeps running too).
 */
public record UnbuiltSystem(boolean failed, String reason) {
  /** No build was asked for: {@code berth render} and {@code plan} without {@code --system}. */
  public static final UnbuiltSystem NOT_BUILT =
      new UnbuiltSystem(true, "no NixOS system was built for it");

  public static UnbuiltSystem building(String reason) {
    return new UnbuiltSystem(false, reason);
  }

  public static UnbuiltSystem failed(String reason) {
    return new UnbuiltSystem(true, reason);
  }
}
