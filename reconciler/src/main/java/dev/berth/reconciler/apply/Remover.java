package dev.berth.reconciler.apply;

import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.pass.ContainerDecision;
import dev.berth.reconciler.pass.UnitStep;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.util.List;

/**
 * Removes a container the inventory holds and the manifests no longer place here: disables and
 * stops its unit, deletes berth's files (only those with berth's marker, and its sealed
 * credentials, an image upgrade's staged and previous roots), and keeps its state directory unless
 * its remove policy says {@code Delete}.
 */
final class Remover {
  private final HostRuntime runtime;
  private final HostFiles files;
  private final FileSync sync;
  private final ApplyListener listener;

  Remover(HostRuntime runtime, HostFiles files, FileSync sync, ApplyListener listener) {
    this.runtime = runtime;
    this.files = files;
    this.sync = sync;
    this.listener = listener;
  }

  /**
   * {@code removePolicy: Delete} deletes the container's state directory under /var/lib/machines; a
   * {@code directory} image is the user's tree, not berth's, and is never deleted.
   */
  private String deleteState(InventoryEntry entry) throws IOException {
    if (!entry.stateDir().equals(HostPaths.stateDir(entry.name()))) {
      return "/"
          + entry.stateDir()
          + " is a directory image, not berth's state directory; not deleted (removePolicy: Delete"
          + " deletes only /"
          + HostPaths.stateDir(entry.name())
          + ")";
    }
    files.deleteTree(entry.stateDir());
    return "state directory /" + entry.stateDir() + " deleted (removePolicy: Delete)";
  }

  /**
   * Disables and stops the container, then deletes its files; the {@link Applier} forgets it (drops
   * its inventory entry) only after systemd re-read its unit files. Each step is safe to repeat,
   * and the entry is the record that berth owns the name: a pass killed anywhere in between leaves
   * it, so the next pass finishes the removal instead of finding a foreign container.
   *
   * @return whether the container is ready to be forgotten
   */
  boolean remove(ContainerDecision decision, PassState pass) {
    String name = decision.name();
    String unit = HostPaths.unit(name);
    listener.starting(decision.planned());
    try {
      InventoryEntry entry =
          pass.inventory()
              .get(name)
              .orElseThrow(() -> new IOException("not in berth's inventory any more"));
      // Not started at boot any more, whatever happens next; a no-op when it is not enabled, and
      // done without looking, as the link may live where this view of the files does not reach.
      runtime.setup().disable(unit);
      if (decision.step().op() == UnitStep.Op.STOP) {
        // Also replaces a start job a killed pass left queued (the unit looks inactive then).
        Activator.expect(runtime.jobs().stop(unit), "stopped");
      }
      for (String path : HostPaths.containerFiles(name, entry.stateDir())) {
        if (sync.writtenByBerth(path)) {
          files.delete(path);
          pass.removedNetwork |= path.startsWith(HostPaths.NETWORK_DIR);
        }
      }
      // berth's own directory: everything in it is the container's sealed credentials.
      String credentials = HostPaths.credentialsDir(name);
      if (files.exists(credentials) || !files.list(credentials).isEmpty()) {
        files.deleteTree(credentials);
      }
      pass.removedUnits = true;
      // An image upgrade's staged and replaced roots are berth's, not the container's state.
      for (String tree : List.of(HostPaths.stagedRoot(name), HostPaths.previousRoot(name))) {
        if (files.exists(tree)) {
          files.deleteTree(tree);
        }
      }
      String state = "state directory /" + entry.stateDir() + " kept";
      if (entry.removePolicy() == RemovePolicy.DELETE) {
        state = deleteState(entry);
      }
      pass.note(name, "disabled, stopped, files removed; " + state);
      return true;
    } catch (IOException | RuntimeException e) {
      pass.fail(decision, e.getMessage());
      return false;
    }
  }
}
