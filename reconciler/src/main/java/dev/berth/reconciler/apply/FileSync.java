package dev.berth.reconciler.apply;

import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.ContainerDecision;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.ContainerFiles;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.Marker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a host's files to the rendering: a container's files (recording first, in the inventory,
 * the activation it is owed, so that a pass killed after writing finishes it next time), its image
 * on creation or its new image's staged root, and the zones' network files. Only files that carry
 * berth's marker are ever removed.
 */
final class FileSync {
  private final HostFiles files;
  private final ImageInstaller images;
  private final ApplyListener listener;

  FileSync(HostFiles files, ImageInstaller images, ApplyListener listener) {
    this.files = files;
    this.images = images;
    this.listener = listener;
  }

  /**
   * Which kinds of files a write changed: unit files need a daemon-reload, network a networkd's.
   */
  record Changes(boolean units, boolean network) {
    static final Changes NONE = new Changes(false, false);

    Changes and(Changes other) {
      return new Changes(units || other.units, network || other.network);
    }
  }

  /** One container's files to bring to the rendering; {@code current}: the plan found them so. */
  record Write(
      ContainerDecision decision, Container container, ContainerFiles desired, boolean current) {
    /** Files as rendered and no root to put in place: writing it would return at once. */
    boolean writesNothing() {
      return current
          && decision.action() != ActionClass.CREATE
          && decision.action() != ActionClass.REBUILD;
    }
  }

  /**
   * Writes the containers' files, up to {@code parallelism} containers at once, each its own files
   * and root (the image cache fetches and checks each image once for all). Before any of them
   * changes, one save of the inventory records their entries and the activations they are owed.
   * Only writes that do something get a thread: a warm pass, every container current, starts none.
   */
  Changes writeAll(List<Write> writes, PassState pass, int parallelism) {
    if (!recordOwed(writes, pass)) {
      return Changes.NONE;
    }
    List<Write> working = writes.stream().filter(write -> !write.writesNothing()).toList();
    Changes changes = Changes.NONE;
    for (Changes written : InParallel.map(working, parallelism, write -> write(write, pass))) {
      changes = changes.and(written);
    }
    return changes;
  }

  /**
   * Saves, at once, the containers' inventory entries where they change: each with the activation
   * its action owes, kept until that activation succeeded. A failed save fails them all.
   */
  private static boolean recordOwed(List<Write> writes, PassState pass) {
    Inventory inventory = pass.inventory();
    for (Write write : writes) {
      ContainerDecision decision = write.decision();
      var existing = inventory.get(decision.name());
      InventoryEntry entry =
          new InventoryEntry(
              decision.name(),
              write.container().spec().removePolicy(),
              HostPaths.rootDir(write.container()),
              owesActivation(decision.action())
                  ? decision.action()
                  : existing.map(InventoryEntry::pending).orElse(null),
              existing.map(InventoryEntry::rolledBack).orElse(null));
      if (existing.isEmpty() || !existing.get().equals(entry)) {
        inventory = inventory.with(entry);
      }
    }
    if (inventory.equals(pass.inventory())) {
      return true;
    }
    try {
      pass.saveNow(inventory);
      return true;
    } catch (IOException | RuntimeException e) {
      writes.forEach(
          write -> pass.fail(write.decision(), "cannot write its files: " + e.getMessage()));
      return false;
    }
  }

  /**
   * Writes the container's files; {@code current} (the plan found them byte for byte as rendered)
   * writes none: only a new container's root or a new image's staged root is put in place.
   */
  private Changes write(Write write, PassState pass) {
    ContainerDecision decision = write.decision();
    String name = decision.name();
    boolean units = false;
    boolean network = false;
    try {
      if (decision.action() == ActionClass.CREATE) {
        pass.note(name, images.install(write.container()));
      } else if (decision.action() == ActionClass.REBUILD) {
        // A new image: its root is unpacked beside the running one before any file says so.
        pass.note(name, images.stage(write.container()));
      }
      if (write.current()) {
        return Changes.NONE; // what the plan read is what berth renders: nothing to read again
      }
      ContainerFiles desired = write.desired();
      for (HostFile file : desired.files().values()) {
        if (!files.read(file.path()).map(file.content()::equals).orElse(false)) {
          files.write(file);
          units |= file.path().startsWith(HostPaths.UNIT_DIR);
          network |= file.path().startsWith(HostPaths.NETWORK_DIR);
        }
      }
      for (String stale : stalePaths(write.container(), desired)) {
        if (writtenByBerth(stale)) {
          files.delete(stale);
          network |= stale.startsWith(HostPaths.NETWORK_DIR);
        }
      }
      syncCredentials(desired);
    } catch (IOException | RuntimeException e) {
      pass.fail(decision, "cannot write its files: " + e.getMessage());
    }
    return new Changes(units, network);
  }

  /**
   * The container's sealed credentials, in berth's own directory for them: each desired blob as it
   * is, and no other {@code .cred} file (the directory is berth's, so no marker is needed).
   */
  private void syncCredentials(ContainerFiles desired) throws IOException {
    List<String> wanted = new ArrayList<>();
    for (HostFile file : desired.credentials().values()) {
      wanted.add(file.path());
      if (!files.read(file.path()).map(file.content()::equals).orElse(false)) {
        files.write(file);
      }
    }
    for (String path : files.credentials(desired.name())) {
      if (!wanted.contains(path)) {
        files.delete(path);
      }
    }
  }

  /** Writes the zones' bridge files and deletes berth's files of zones no longer placed here. */
  boolean writeZones(HostRendering rendering) throws IOException {
    boolean changed = false;
    List<String> wanted = new ArrayList<>();
    for (HostFile file : rendering.zoneFiles()) {
      wanted.add(file.path());
      var current = files.read(file.path());
      if (current.isPresent() && Marker.read(current.get()).isEmpty()) {
        listener.note("/" + file.path() + " was not written by berth; left alone");
        continue;
      }
      if (!current.map(file.content()::equals).orElse(false)) {
        files.write(file);
        changed = true;
      }
    }
    for (String name : files.list(HostPaths.NETWORK_DIR)) {
      String path = HostPaths.NETWORK_DIR + "/" + name;
      if (HostPaths.zoneOfNetworkFile(name).isPresent()
          && !wanted.contains(path)
          && writtenByBerth(path)) {
        files.delete(path);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Whether the file at {@code path} exists and carries berth's marker: only those berth removes.
   */
  boolean writtenByBerth(String path) throws IOException {
    return files.read(path).flatMap(Marker::read).isPresent();
  }

  /** The actions whose activation is recorded as owed until it succeeded. */
  private static boolean owesActivation(ActionClass action) {
    return switch (action) {
      case CREATE, START, RELOAD, RESTART, LIVE, REBUILD -> true;
      default -> false;
    };
  }

  private static List<String> stalePaths(Container container, ContainerFiles desired) {
    List<String> stale = new ArrayList<>();
    for (String path :
        List.of(
            HostPaths.vethNetwork(container.name()),
            HostPaths.host0Network(HostPaths.rootDir(container)))) {
      if (desired.files().values().stream().noneMatch(file -> file.path().equals(path))) {
        stale.add(path);
      }
    }
    return stale;
  }
}
