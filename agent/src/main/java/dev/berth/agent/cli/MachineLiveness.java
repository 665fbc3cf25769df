package dev.berth.agent.cli;

import dev.berth.agent.dbus.DbusMachines;
import dev.berth.agent.dbus.DbusUnits;
import dev.berth.agent.dbus.SystemBus;
import dev.berth.reconciler.host.RuntimeFailure;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Whether an old container runs, asked of machined (a machine of its name) and systemd (its {@code
 * container@NAME} or {@code systemd-nspawn@NAME} unit is up). Without the system bus nothing can be
 * told, so every container counts as running.
 */
final class MachineLiveness implements StateMoves.Liveness, AutoCloseable {
  private static final Set<String> UP = Set.of("active", "activating", "reloading", "deactivating");

  private final SystemBus bus;
  private final DbusMachines machines;
  private final DbusUnits units;
  private final String unknown;

  private MachineLiveness(SystemBus bus, String unknown) {
    this.bus = bus;
    this.machines = bus == null ? null : new DbusMachines(bus);
    this.units = bus == null ? null : new DbusUnits(bus, Duration.ofSeconds(30));
    this.unknown = unknown;
  }

  /** This host's machines, over the system bus. */
  static MachineLiveness connect() {
    try {
      return new MachineLiveness(SystemBus.connect(), null);
    } catch (RuntimeFailure e) {
      return new MachineLiveness(
          null, "cannot tell whether the container runs, so its state stays: " + e.getMessage());
    }
  }

  /** For a tree that is not this host's root: none of its containers runs here. */
  static MachineLiveness notThisHost() {
    return new MachineLiveness(null, null);
  }

  @Override
  public String whyRunning(String name) {
    if (unknown != null) {
      return unknown;
    }
    if (bus == null) {
      return null;
    }
    if (machines.isRegistered(name)) {
      return "machine " + name + " is running; stop it first (machinectl stop " + name + ")";
    }
    for (String unit :
        List.of("container@" + name + ".service", "systemd-nspawn@" + name + ".service")) {
      String state = units.activeState(unit);
      if (UP.contains(state)) {
        return unit + " is " + state + "; stop it first (systemctl stop " + unit + ")";
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (bus != null) {
      bus.close();
    }
  }
}
