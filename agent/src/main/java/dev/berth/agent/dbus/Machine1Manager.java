package dev.berth.agent.dbus;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * The calls of {@code org.freedesktop.machine1.Manager} that berth makes (signatures as in
 * org.freedesktop.machine1(5), systemd 252).
 */
@DBusInterfaceName("org.freedesktop.machine1.Manager")
public interface Machine1Manager extends DBusInterface {
  String BUS_NAME = "org.freedesktop.machine1";
  String OBJECT_PATH = "/org/freedesktop/machine1";

  List<MachineInfo> ListMachines();

  DBusPath GetMachine(String name);

  void TerminateMachine(String name);

  /** The addresses of the machine's network interfaces, in the order its kernel lists them. */
  List<MachineAddress> GetMachineAddresses(String name);

  List<ImageInfo> ListImages();

  /**
   * Copies (on btrfs: snapshots) the image {@code name} as {@code newName}; slow for a copy, so
   * berth calls it asynchronously with its own deadline ({@link SystemBus#callMachinedSlowly});
   * {@code Boolean}, as dbus-java finds the method of an asynchronous call by its arguments' boxed
   * types.
   */
  void CloneImage(String name, String newName, Boolean readOnly);

  void RemoveImage(String name);

  /** A machine is gone (stopped, crashed or terminated). */
  class MachineRemoved extends DBusSignal {
    private final String machine;

    public MachineRemoved(String path, String machine, DBusPath machinePath) throws DBusException {
      super(path, machine, machinePath);
      this.machine = machine;
    }

    public String machine() {
      return machine;
    }
  }
}
