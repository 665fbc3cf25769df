package dev.berth.agent.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** One change reported by {@code EnableUnitFiles}/{@code DisableUnitFiles}: {@code (sss)}. */
public final class UnitFileChange extends Struct {
  @Position(0)
  public final String type;

  @Position(1)
  public final String file;

  @Position(2)
  public final String destination;

  public UnitFileChange(String type, String file, String destination) {
    this.type = type;
    this.file = file;
    this.destination = destination;
  }
}
