package dev.berth.reconciler.host;

import dev.berth.reconciler.model.Resources;

/** Tells systemd about a unit's files, whether it starts at boot, and its cgroup limits. */
public interface UnitSetup {

  /** systemd re-reads unit files and drop-ins ({@code daemon-reload}). */
  void reloadUnitFiles();

  /** The unit starts at boot (wanted by {@code machines.target}). */
  void enable(String unit);

  void disable(String unit);

  /** Sets cgroup limits on the running unit, without a restart. */
  void setLimits(String unit, Resources resources);
}
