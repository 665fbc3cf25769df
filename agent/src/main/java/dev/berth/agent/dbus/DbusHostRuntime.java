package dev.berth.agent.dbus;

import dev.berth.agent.daemon.HostEvents;
import dev.berth.agent.files.UnitDirectory;
import dev.berth.reconciler.apply.HostRuntime;
import dev.berth.reconciler.apply.HostSnapshot;
import dev.berth.reconciler.apply.JobResult;
import dev.berth.reconciler.apply.RuntimeFailure;
import dev.berth.reconciler.apply.UnitStatus;
import dev.berth.reconciler.model.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;

/**
 * berth's {@link HostRuntime} over the system bus: systemd, machined and networkd through the raw
 * interfaces of this package. The only class that talks D-Bus.
 */
public final class DbusHostRuntime implements HostRuntime, HostEvents, AutoCloseable {
  static final String NSPAWN_UNITS = "systemd-nspawn@*.service";

  private final DBusConnection connection;
  private final Systemd1Manager systemd;
  private final Machine1Manager machines;
  private final JobWatcher jobs = new JobWatcher();
  private final Duration jobTimeout;
  private final AutoCloseable subscription;
  private final java.util.List<Runnable> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private DbusHostRuntime(DBusConnection connection, Duration jobTimeout) throws DBusException {
    this.connection = connection;
    this.jobTimeout = jobTimeout;
    this.systemd =
        connection.getRemoteObject(
            Systemd1Manager.BUS_NAME, Systemd1Manager.OBJECT_PATH, Systemd1Manager.class);
    this.machines =
        connection.getRemoteObject(
            Machine1Manager.BUS_NAME, Machine1Manager.OBJECT_PATH, Machine1Manager.class);
    this.subscription =
        connection.addSigHandler(
            Systemd1Manager.JobRemoved.class,
            signal -> {
              jobs.removed(signal.job().getPath(), signal.result());
              if (signal.unit().startsWith("systemd-nspawn@")) {
                listeners.forEach(Runnable::run);
              }
            });
    systemd.Subscribe();
  }

  private volatile MachinesWants wants;

  /** Connects to the system bus; a clear {@link RuntimeFailure} when there is none. */
  public static DbusHostRuntime connect(Duration jobTimeout) {
    try {
      return new DbusHostRuntime(
          DBusConnectionBuilder.forSystemBus().withShared(false).build(), jobTimeout);
    } catch (DBusException | RuntimeException e) {
      throw new RuntimeFailure(
          "cannot connect to the system bus (is this a systemd host, and are you root?): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public AutoCloseable subscribe(Runnable onChange) {
    listeners.add(onChange);
    AutoCloseable machines;
    try {
      machines =
          connection.addSigHandler(Machine1Manager.MachineRemoved.class, signal -> onChange.run());
    } catch (DBusException e) {
      throw new RuntimeFailure("cannot subscribe to machined's signals: " + e.getMessage(), e);
    }
    return () -> {
      listeners.remove(onChange);
      machines.close();
    };
  }

  @Override
  public HostSnapshot observe() {
    return call(
        "observe the host",
        () -> {
          Map<String, UnitStatus> units = new HashMap<>();
          for (UnitInfo unit : systemd.ListUnitsByPatterns(List.of(), List.of(NSPAWN_UNITS))) {
            units.put(unit.name, new UnitStatus(unit.activeState, unit.subState));
          }
          Set<String> names = new HashSet<>();
          for (MachineInfo machine : machines.ListMachines()) {
            names.add(machine.name);
          }
          return new HostSnapshot(units, names);
        });
  }

  @Override
  public void reloadUnitFiles() {
    call(
        "reload systemd's unit files",
        () -> {
          systemd.Reload();
          return null;
        });
  }

  @Override
  public void reloadNetwork() {
    call(
        "reload networkd",
        () -> {
          connection
              .getRemoteObject(
                  Network1Manager.BUS_NAME, Network1Manager.OBJECT_PATH, Network1Manager.class)
              .Reload();
          return null;
        });
  }

  @Override
  public JobResult start(String unit) {
    return job(unit, "start", () -> systemd.StartUnit(unit, "replace"));
  }

  @Override
  public JobResult stop(String unit) {
    return job(unit, "stop", () -> systemd.StopUnit(unit, "replace"));
  }

  @Override
  public JobResult restart(String unit) {
    return job(unit, "restart", () -> systemd.RestartUnit(unit, "replace"));
  }

  @Override
  public JobResult reload(String unit) {
    return job(unit, "reload", () -> systemd.ReloadUnit(unit, "replace"));
  }

  @Override
  public void setLimits(String unit, Resources resources) {
    List<Property> properties = CgroupLimits.properties(resources);
    call(
        "set the cgroup limits of " + unit,
        () -> {
          systemd.SetUnitProperties(unit, true, properties);
          return null;
        });
  }

  @Override
  public void enable(String unit) {
    if (wants != null) {
      wants.add(unit);
      return;
    }
    call("enable " + unit, () -> systemd.EnableUnitFiles(List.of(unit), false, true));
  }

  @Override
  public void disable(String unit) {
    if (wants != null) {
      wants.remove(unit);
      return;
    }
    call("disable " + unit, () -> systemd.DisableUnitFiles(List.of(unit), false));
  }

  /**
   * Where {@code /etc/systemd/system} is read-only, berth enables a container by its own link in
   * {@code machines.target.wants} below {@code units}, as {@code EnableUnitFiles} would have.
   */
  public DbusHostRuntime enablingIn(Path root, UnitDirectory units) {
    this.wants = units.isStandard() ? null : new MachinesWants(root, units);
    return this;
  }

  @Override
  public void resetFailed(String unit) {
    call(
        "reset the failed state of " + unit,
        () -> {
          systemd.ResetFailedUnit(unit);
          return null;
        });
  }

  /** The unit's ActiveState ({@code inactive} for a unit systemd does not have loaded). */
  public String activeState(String unit) {
    return call(
        "look up unit " + unit,
        () ->
            systemd.ListUnitsByPatterns(List.of(), List.of(unit)).stream()
                .filter(info -> info.name.equals(unit))
                .map(info -> info.activeState)
                .findFirst()
                .orElse("inactive"));
  }

  @Override
  public boolean machineExists(String machine) {
    return call(
        "list machines",
        () -> machines.ListMachines().stream().anyMatch(m -> m.name.equals(machine)));
  }

  @Override
  public void terminateMachine(String machine) {
    call(
        "terminate machine " + machine,
        () -> {
          machines.TerminateMachine(machine);
          return null;
        });
    // TerminateMachine returns once the machine is told to go; wait until machined forgets it.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (machineExists(machine) && System.nanoTime() < deadline) {
      sleep(100);
    }
  }

  @Override
  public int execInMachine(String machine, List<String> command) {
    long leader =
        call(
            "find the leader of " + machine,
            () -> {
              DBusPath path = machines.GetMachine(machine);
              Properties properties =
                  connection.getRemoteObject(
                      Machine1Manager.BUS_NAME, path.getPath(), Properties.class);
              Object value = properties.Get("org.freedesktop.machine1.Machine", "Leader");
              return ((Number) value).longValue();
            });
    List<String> full =
        new java.util.ArrayList<>(
            List.of("nsenter", "--target", Long.toString(leader), "--all", "--"));
    full.addAll(command);
    try {
      Process process =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return 124;
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new RuntimeFailure("cannot run nsenter: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  @Override
  public List<String> journalTail(String unit, int lines) {
    ProcessBuilder builder =
        new ProcessBuilder(
            "journalctl",
            "--unit=" + unit,
            "--lines=" + lines,
            "--no-pager",
            "--output=cat",
            "--quiet");
    builder.redirectErrorStream(true);
    try {
      Process process = builder.start();
      List<String> output;
      try (var reader = process.inputReader()) {
        output = reader.lines().toList();
      }
      return process.waitFor() == 0 ? output : List.of();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private JobResult job(String unit, String verb, BusCall<DBusPath> enqueue) {
    DBusPath job = call(verb + " " + unit, enqueue);
    String result;
    try {
      result = jobs.await(job.getPath(), jobTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted while waiting to " + verb + " " + unit);
    }
    if (result == null) {
      return new JobResult(
          "timeout",
          "no result within " + jobTimeout.toSeconds() + " s; see journalctl -u " + unit);
    }
    if (result.equals("done") || result.equals("skipped")) {
      return new JobResult(result, "");
    }
    return new JobResult(result, "unit result " + unitResult(unit) + "; see journalctl -u " + unit);
  }

  private String unitResult(String unit) {
    try {
      DBusPath path = systemd.GetUnit(unit);
      Properties properties =
          connection.getRemoteObject(Systemd1Manager.BUS_NAME, path.getPath(), Properties.class);
      Object value = properties.Get("org.freedesktop.systemd1.Service", "Result");
      return String.valueOf(value);
    } catch (DBusException | DBusExecutionException e) {
      return "unknown";
    }
  }

  private static <T> T call(String what, BusCall<T> call) {
    try {
      return call.run();
    } catch (DBusException | DBusExecutionException e) {
      throw new RuntimeFailure("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private interface BusCall<T> {
    T run() throws DBusException;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      // closing anyway
    }
    try {
      connection.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
