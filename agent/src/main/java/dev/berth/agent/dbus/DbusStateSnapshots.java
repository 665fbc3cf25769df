package dev.berth.agent.dbus;

import dev.berth.agent.files.TreeFootprint;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.host.StateSnapshots;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * berth's {@link StateSnapshots}: images in {@code /var/lib/machines} cloned and removed by
 * machined ({@code CloneImage}, {@code RemoveImage}), so that {@code machinectl list-images} shows
 * them and a btrfs pool snapshots a subvolume instantly.
 *
 * <p>machined takes no lock on the image it clones (it copies a running tree as it changes) and
 * refuses to rename or remove an image whose nspawn holds its lock ({@code EBUSY}); both operations
 * here therefore refuse a machine that machined has registered. A restore clones the snapshot
 * beside the machine's image ({@code NAME.restoring}) and swaps it in with two {@code rename(2)}s
 * of its own, not machined's {@code RenameImage}/{@code RemoveImage} on {@code NAME}: those would
 * also move or delete {@code /etc/systemd/nspawn/NAME.nspawn}, which is berth's rendered file. A
 * restore that a crash interrupted is finished by calling it again: the read-only snapshot stays
 * the source until it is released, a leftover {@code NAME.restoring} is a possibly partial copy and
 * is made anew, a leftover {@code NAME.discarded} is the state being thrown away.
 */
public final class DbusStateSnapshots implements StateSnapshots {
  /** Long enough to copy tens of GiB on a slow disk; a btrfs snapshot takes milliseconds. */
  public static final Duration DEFAULT_CLONE_TIMEOUT = Duration.ofMinutes(30);

  static final String RESTORING = ".restoring";
  static final String DISCARDED = ".discarded";

  /** Where machined keeps an image's settings beside its own copy, relative to the root. */
  private static final List<String> SETTINGS_DIRS =
      List.of(HostPaths.NSPAWN_DIR, "run/systemd/nspawn", HostPaths.MACHINES_DIR);

  private final SystemBus bus;
  private final DbusMachines machines;
  private final Path root;
  private final Path pool;
  private final Duration cloneTimeout;

  public DbusStateSnapshots(SystemBus bus, Path root, Duration cloneTimeout) {
    this.bus = bus;
    this.machines = new DbusMachines(bus);
    this.root = root;
    this.pool = root.resolve(HostPaths.MACHINES_DIR);
    this.cloneTimeout = cloneTimeout;
  }

  @Override
  public void take(String machine, String snapshot) {
    String what = "snapshot " + machine + " as " + snapshot;
    requireStopped(machine, what);
    ImageInfo image =
        image(machine)
            .orElseThrow(
                () -> new RuntimeFailure("cannot " + what + ": machined has no image " + machine));
    Room room = room(what, image);
    if (room.needed() > room.free()) {
      throw room.refusal(what);
    }
    clone(what, machine, snapshot, true);
  }

  /**
   * When the pool has no room for a second tree beside the machine's, the machine's image (the
   * state being thrown away) goes first: the read-only snapshot stays the source, so a crash then
   * leaves only a missing image that calling restore again brings back.
   */
  @Override
  public void restore(String machine, String snapshot) {
    String what = "restore " + machine + " from " + snapshot;
    requireStopped(machine, what);
    ImageInfo source =
        image(snapshot)
            .orElseThrow(
                () -> new RuntimeFailure("cannot " + what + ": machined has no image " + snapshot));
    String staged = machine + RESTORING;
    String discarded = machine + DISCARDED;
    removeIfPresent(staged);
    Room room = room(what, source);
    if (room.needed() > room.free()) {
      Path current = pool.resolve(machine);
      long freed = Files.isDirectory(current) ? TreeFootprint.bytes(current) : 0;
      if (room.needed() > room.free() + freed) {
        throw room.refusal(what);
      }
      setAside(what, machine, discarded);
      removeIfPresent(discarded);
    }
    clone(what, snapshot, staged, false);
    setAside(what, machine, discarded);
    try {
      Files.move(pool.resolve(staged), pool.resolve(machine), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new RuntimeFailure("cannot " + what + ": " + e.getMessage(), e);
    }
    removeIfPresent(discarded);
  }

  /**
   * Moves the image {@code machine} aside as {@code discarded} by {@code rename(2)}: not machined's
   * RenameImage, which would move its .nspawn file too.
   */
  private void setAside(String what, String machine, String discarded) {
    Path current = pool.resolve(machine);
    if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    removeIfPresent(discarded);
    try {
      Files.move(current, pool.resolve(discarded), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new RuntimeFailure("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private void removeIfPresent(String image) {
    if (image(image).isPresent()) {
      remove(image);
    }
  }

  @Override
  public void release(String snapshot) {
    // dbus-java does not keep the bus error's name (NoSuchImage) for unmapped errors: look first.
    removeIfPresent(snapshot);
  }

  @Override
  public List<String> snapshots(String prefix) {
    return SystemBus.call("list images", () -> bus.machined().ListImages()).stream()
        .map(image -> image.name)
        .filter(name -> name.startsWith(prefix))
        .sorted()
        .toList();
  }

  private Optional<ImageInfo> image(String name) {
    return SystemBus.call("list images", () -> bus.machined().ListImages()).stream()
        .filter(image -> image.name.equals(name))
        .findFirst();
  }

  private void requireStopped(String machine, String what) {
    if (machines.isRegistered(machine)) {
      throw new RuntimeFailure("cannot " + what + " while " + machine + " runs: stop it first");
    }
  }

  /**
   * What a clone of {@code source} needs and what the pool has. A subvolume on btrfs is
   * snapshotted, sharing every extent: it needs nothing. Anything else is copied file by file
   * (machined's fallback) and needs the tree's size.
   */
  private Room room(String what, ImageInfo source) {
    if (source.type.equals("subvolume") && TreeFootprint.fileSystem(pool).equals("btrfs")) {
      return new Room(0, TreeFootprint.usable(pool));
    }
    if (!source.type.equals("directory") && !source.type.equals("subvolume")) {
      throw new RuntimeFailure(
          "cannot "
              + what
              + ": "
              + source.name
              + " is a "
              + source.type
              + " image, berth snapshots directories");
    }
    return new Room(TreeFootprint.bytes(pool.resolve(source.name)), TreeFootprint.usable(pool));
  }

  /** The bytes a clone writes and the pool's free bytes. */
  private record Room(long needed, long free) {
    SnapshotRefused refusal(String what) {
      return new SnapshotRefused(
          "cannot "
              + what
              + ": the copy needs "
              + TreeFootprint.human(needed)
              + ", /"
              + HostPaths.MACHINES_DIR
              + " has "
              + TreeFootprint.human(free)
              + " free");
    }
  }

  /**
   * machined's {@code CloneImage}, without the copies of {@code source}'s {@code .nspawn} files it
   * makes for {@code target}: a snapshot is data, and its settings are berth's rendered files.
   */
  private void clone(String what, String source, String target, boolean readOnly) {
    List<Path> settings = new ArrayList<>();
    for (String dir : SETTINGS_DIRS) {
      Path file = root.resolve(dir).resolve(target + ".nspawn");
      if (!Files.exists(file)) {
        settings.add(file);
      }
    }
    try {
      bus.callMachinedSlowly(what, cloneTimeout, "CloneImage", source, target, readOnly);
    } finally {
      for (Path file : settings) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw new RuntimeFailure(
              "cannot " + what + ": cannot remove machined's copy " + file + ": " + e.getMessage(),
              e);
        }
      }
    }
  }

  private void remove(String image) {
    SystemBus.call(
        "remove image " + image,
        () -> {
          bus.machined().RemoveImage(image);
          return null;
        });
  }
}
