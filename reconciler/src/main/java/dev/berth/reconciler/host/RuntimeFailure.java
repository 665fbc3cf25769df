package dev.berth.reconciler.host;

/** A failure to talk to systemd, machined or networkd, with a message a user can act on. */
public final class RuntimeFailure extends RuntimeException {
  public RuntimeFailure(String message, Throwable cause) {
    super(message, cause);
  }

  public RuntimeFailure(String message) {
    super(message);
  }
}
