package dev.berth.reconciler.apply;

/**
 * An imperative command refused because of who owns the name (Git, nobody, or a machine berth did
 * not create); nothing was changed. The message says who owns it and what to do instead.
 */
public final class OwnershipRefusal extends RuntimeException {
  public OwnershipRefusal(String message) {
    super(message, null, false, false);
  }
}
