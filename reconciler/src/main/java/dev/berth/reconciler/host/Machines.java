package dev.berth.reconciler.host;

/** The machines machined has registered, by name. */
public interface Machines {

  boolean isRegistered(String machine);

  /**
   * Ends a machine that is registered but whose unit is gone or failed, and waits until it is gone.
   */
  void terminate(String machine);
}
