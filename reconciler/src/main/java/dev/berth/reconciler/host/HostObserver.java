package dev.berth.reconciler.host;

/** Sees what runs on the host in few calls, for a pass to plan from. */
public interface HostObserver {

  /** The {@code systemd-nspawn@*.service} units and the registered machines. */
  HostSnapshot observe();
}
