package dev.berth.agent.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** The call of {@code org.freedesktop.network1.Manager} that berth makes. */
@DBusInterfaceName("org.freedesktop.network1.Manager")
public interface Network1Manager extends DBusInterface {
  String BUS_NAME = "org.freedesktop.network1";
  String OBJECT_PATH = "/org/freedesktop/network1";

  void Reload();
}
