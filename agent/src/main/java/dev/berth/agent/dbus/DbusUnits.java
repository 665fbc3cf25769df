package dev.berth.agent.dbus;

import dev.berth.agent.files.UnitDirectory;
import dev.berth.reconciler.host.JobResult;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.host.UnitJobs;
import dev.berth.reconciler.host.UnitSetup;
import dev.berth.reconciler.model.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.UInt64;

/**
 * berth's {@link UnitJobs} and {@link UnitSetup}: systemd's manager over the system bus. A job
 * waits for its {@code JobRemoved} up to the job timeout.
 */
public final class DbusUnits implements UnitJobs, UnitSetup {
  private final SystemBus bus;
  private final Duration jobTimeout;
  private final MachinesWants wants;

  public DbusUnits(SystemBus bus, Duration jobTimeout) {
    this(bus, jobTimeout, null);
  }

  private DbusUnits(SystemBus bus, Duration jobTimeout, MachinesWants wants) {
    this.bus = bus;
    this.jobTimeout = jobTimeout;
    this.wants = wants;
  }

  /**
   * Where {@code /etc/systemd/system} is read-only, berth enables a container by its own link in
   * {@code machines.target.wants} below {@code units}, as {@code EnableUnitFiles} would have.
   */
  public DbusUnits enablingIn(Path root, UnitDirectory units) {
    return new DbusUnits(
        bus, jobTimeout, units.isStandard() ? null : new MachinesWants(root, units));
  }

  @Override
  public JobResult start(String unit) {
    return job(unit, "start", () -> bus.systemd().StartUnit(unit, "replace"));
  }

  @Override
  public JobResult stop(String unit) {
    return job(unit, "stop", () -> bus.systemd().StopUnit(unit, "replace"));
  }

  @Override
  public JobResult restart(String unit) {
    return job(unit, "restart", () -> bus.systemd().RestartUnit(unit, "replace"));
  }

  @Override
  public JobResult reload(String unit) {
    return job(unit, "reload", () -> bus.systemd().ReloadUnit(unit, "replace"));
  }

  @Override
  public void resetFailed(String unit) {
    SystemBus.call(
        "reset the failed state of " + unit,
        () -> {
          bus.systemd().ResetFailedUnit(unit);
          return null;
        });
  }

  @Override
  public void reloadUnitFiles() {
    SystemBus.call(
        "reload systemd's unit files",
        () -> {
          bus.systemd().Reload();
          return null;
        });
  }

  @Override
  public void enable(String unit) {
    if (wants != null) {
      wants.add(unit);
      return;
    }
    SystemBus.call(
        "enable " + unit, () -> bus.systemd().EnableUnitFiles(List.of(unit), false, true));
  }

  @Override
  public void disable(String unit) {
    if (wants != null) {
      wants.remove(unit);
      return;
    }
    SystemBus.call("disable " + unit, () -> bus.systemd().DisableUnitFiles(List.of(unit), false));
  }

  @Override
  public void setLimits(String unit, Resources resources) {
    List<Property> properties = CgroupLimits.properties(resources, this::templateTasksMax);
    SystemBus.call(
        "set the cgroup limits of " + unit,
        () -> {
          bus.systemd().SetUnitProperties(unit, true, properties);
          return null;
        });
  }

  /**
   * systemd-nspawn@.service's TasksMax= as systemd has it (the template with its drop-ins for every
   * instance): systemd loads no template itself, so it is read from an instance that no container
   * can be ({@link #TEMPLATE_PROBE}), which has no drop-ins of its own.
   */
  long templateTasksMax() {
    return SystemBus.call(
        "read the TasksMax of systemd-nspawn@.service",
        () -> {
          DBusPath path = bus.systemd().LoadUnit(TEMPLATE_PROBE);
          Object value =
              bus.properties(Systemd1Manager.BUS_NAME, path.getPath())
                  .Get("org.freedesktop.systemd1.Service", "TasksMax");
          if (!(value instanceof UInt64 tasks)) {
            throw new RuntimeFailure(
                "cannot read the TasksMax of systemd-nspawn@.service: systemd said " + value);
          }
          return tasks.longValue();
        });
  }

  /** An instance name with "_", which no container name (a DNS label) has. */
  static final String TEMPLATE_PROBE = "systemd-nspawn@_berth-template.service";

  /** The unit's ActiveState ({@code inactive} for a unit systemd does not have loaded). */
  public String activeState(String unit) {
    return SystemBus.call(
        "look up unit " + unit,
        () ->
            bus.systemd().ListUnitsByPatterns(List.of(), List.of(unit)).stream()
                .filter(info -> info.name.equals(unit))
                .map(info -> info.activeState)
                .findFirst()
                .orElse("inactive"));
  }

  private JobResult job(String unit, String verb, SystemBus.BusCall<DBusPath> enqueue) {
    DBusPath job = SystemBus.call(verb + " " + unit, enqueue);
    String result;
    try {
      result = bus.jobs().await(job.getPath(), jobTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted while waiting to " + verb + " " + unit);
    }
    if (result == null) {
      return new JobResult(
          "timeout",
          "no result within " + jobTimeout.toSeconds() + " s; see journalctl -u " + unit,
          invocation(unit));
    }
    if (result.equals("done") || result.equals("skipped")) {
      return new JobResult(result, "");
    }
    return new JobResult(
        result,
        "unit result " + unitResult(unit) + "; see journalctl -u " + unit,
        invocation(unit));
  }

  private String unitResult(String unit) {
    return String.valueOf(unitProperty(unit, "org.freedesktop.systemd1.Service", "Result"));
  }

  /**
   * The unit's {@code InvocationID} as hex: right after its job ended, the run that job started
   * (systemd keeps it until the next start); empty where systemd has none or cannot say.
   */
  private String invocation(String unit) {
    return InvocationId.hex(unitProperty(unit, "org.freedesktop.systemd1.Unit", "InvocationID"));
  }

  /** A property of the loaded unit; {@code "unknown"} where systemd cannot say. */
  private Object unitProperty(String unit, String iface, String property) {
    try {
      DBusPath path = bus.systemd().GetUnit(unit);
      return bus.properties(Systemd1Manager.BUS_NAME, path.getPath()).Get(iface, property);
    } catch (DBusException | DBusExecutionException e) {
      return "unknown";
    }
  }
}
