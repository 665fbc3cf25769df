package dev.berth.agent.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** One entry of {@code ListMachines}: {@code (ssso)}. */
public final class MachineInfo extends Struct {
  @Position(0)
  public final String name;

  @Position(1)
  public final String machineClass;

  @Position(2)
  public final String service;

  @Position(3)
  public final DBusPath path;

  public MachineInfo(String name, String machineClass, String service, DBusPath path) {
    this.name = name;
    this.machineClass = machineClass;
    this.service = service;
    this.path = path;
  }
}
