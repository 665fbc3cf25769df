package dev.berth.agent.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.UInt64;

/**
 * One entry of machined's {@code ListImages}: {@code (ssbttto)}, name, type ({@code directory},
 * {@code subvolume}, {@code raw}, {@code block}), read-only, creation and modification time (µs),
 * disk usage (bytes, {@code UINT64_MAX} when unknown) and the image's object path.
 */
public final class ImageInfo extends Struct {
  @Position(0)
  public final String name;

  @Position(1)
  public final String type;

  @Position(2)
  public final boolean readOnly;

  @Position(3)
  public final UInt64 created;

  @Position(4)
  public final UInt64 modified;

  @Position(5)
  public final UInt64 usage;

  @Position(6)
  public final DBusPath path;

  public ImageInfo(
      String name,
      String type,
      boolean readOnly,
      UInt64 created,
      UInt64 modified,
      UInt64 usage,
      DBusPath path) {
    this.name = name;
    this.type = type;
    this.readOnly = readOnly;
    this.created = created;
    this.modified = modified;
    this.usage = usage;
    this.path = path;
  }
}
