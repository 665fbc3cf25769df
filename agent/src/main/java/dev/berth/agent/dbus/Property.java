package dev.berth.agent.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.Variant;

/** A unit property to set: {@code (sv)}. */
public final class Property extends Struct {
  @Position(0)
  public final String name;

  @Position(1)
  public final Variant<?> value;

  public Property(String name, Variant<?> value) {
    this.name = name;
    this.value = value;
  }
}
