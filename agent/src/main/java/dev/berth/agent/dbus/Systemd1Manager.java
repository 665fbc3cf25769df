package dev.berth.agent.dbus;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** The calls of {@code org.freedesktop.systemd1.Manager} that berth makes (systemd 252). */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
public interface Systemd1Manager extends DBusInterface {
  String BUS_NAME = "org.freedesktop.systemd1";
  String OBJECT_PATH = "/org/freedesktop/systemd1";

  void Subscribe();

  List<UnitInfo> ListUnitsByPatterns(List<String> states, List<String> patterns);

  DBusPath GetUnit(String name);

  DBusPath LoadUnit(String name);

  DBusPath StartUnit(String name, String mode);

  DBusPath StopUnit(String name, String mode);

  DBusPath RestartUnit(String name, String mode);

  DBusPath ReloadUnit(String name, String mode);

  void ResetFailedUnit(String name);

  void Reload();

  EnableResult EnableUnitFiles(List<String> files, boolean runtime, boolean force);

  List<UnitFileChange> DisableUnitFiles(List<String> files, boolean runtime);

  void SetUnitProperties(String name, boolean runtime, List<Property> properties);

  /**
   * A job ended: its id, path, unit and result (done, canceled, timeout, failed, dependency,
   * skipped).
   */
  class JobRemoved extends DBusSignal {
    private final DBusPath job;
    private final String unit;
    private final String result;

    public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result)
        throws DBusException {
      super(path, id, job, unit, result);
      this.job = job;
      this.unit = unit;
      this.result = result;
    }

    public DBusPath job() {
      return job;
    }

    public String unit() {
      return unit;
    }

    public String result() {
      return result;
    }
  }
}
