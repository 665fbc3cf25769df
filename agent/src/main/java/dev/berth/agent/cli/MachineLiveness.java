package dev.berth.agent.cli;

import dev.berth.agent.dbus.DbusHostRuntime;
import dev.berth.reconciler.apply.RuntimeFailure;
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

  private final DbusHostRuntime bus;
  private final String unknown;

  private MachineLiveness(DbusHostRuntime bus, String unknown) {
    this.bus = bus;
    this.unknown = unknown;
  }

  /** This host's machines, over the system bus. */
  static MachineLiveness connect() {
    try {
      return new MachineLiveness(DbusHostRuntime.connect(Duration.ofSeconds(30)), null);
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
    if (bus.machineExists(name)) {
      return "machine " + name + " is running; stop it first (machinectl stop " + name + ")";
    }
    for (String unit :
        List.of("container@" + name + ".service", "systemd-nspawn@" + name + ".service")) {
      String state = bus.activeState(unit);
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
