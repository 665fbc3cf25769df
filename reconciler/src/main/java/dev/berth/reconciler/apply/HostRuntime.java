package dev.berth.reconciler.apply;

import dev.berth.reconciler.model.Resources;

/**
 * systemd, machined and networkd, as berth drives them. Every job method waits for the job's end
 * (with a timeout) and returns its result; failures to talk to the bus are {@link RuntimeFailure}s.
 */
public interface HostRuntime {

  /** The {@code systemd-nspawn@*.service} units and the registered machines. */
  HostSnapshot observe();

  /** systemd re-reads unit files and drop-ins ({@code daemon-reload}). */
  void reloadUnitFiles();

  /** networkd re-reads its {@code .network} and {@code .netdev} files. */
  void reloadNetwork();

  JobResult start(String unit);

  JobResult stop(String unit);

  JobResult restart(String unit);

  /** Runs the unit's {@code ExecReload}; only for an active unit. */
  JobResult reload(String unit);

  /** Sets cgroup limits on the running unit, without a restart. */
  void setLimits(String unit, Resources resources);

  void enable(String unit);

  void disable(String unit);

  void resetFailed(String unit);

  boolean machineExists(String machine);

  /**
   * Ends a machine that is registered but whose unit is gone or failed, and waits until it is gone.
   */
  void terminateMachine(String machine);

  /** Runs {@code command} inside the running machine (its leader's namespaces); its exit status. */
  int execInMachine(String machine, java.util.List<String> command);

  /**
   * The unit's last journal lines since its latest start, oldest first; empty if there is no
   * journal.
   */
  java.util.List<String> journalTail(String unit, int lines);
}
