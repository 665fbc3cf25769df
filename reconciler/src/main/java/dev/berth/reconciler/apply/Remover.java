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
 * Removes a container the inventory holds and the manifests no longer place here: stops and
 * disables its unit, deletes berth's files (only those with berth's marker, and its sealed
 * credentials), and keeps its state directory unless its remove policy says {@code Delete}.
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

  void remove(ContainerDecision decision, PassState pass) {
    String name = decision.name();
    String unit = HostPaths.unit(name);
    listener.starting(decision.planned());
    try {
      InventoryEntry entry =
          pass.inventory()
              .get(name)
              .orElseThrow(() -> new IOException("not in berth's inventory any more"));
      if (decision.step().op() == UnitStep.Op.STOP) {
        Activator.expect(runtime.jobs().stop(unit), "stopped");
      }
      if (files.exists(Activator.wantsLink(name))) {
        runtime.setup().disable(unit);
      }
      for (String path :
          List.of(
              HostPaths.nspawn(name),
              HostPaths.dropIn(name),
              HostPaths.vethNetwork(name),
              HostPaths.host0Network(entry.stateDir()))) {
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
      String state = "state directory /" + entry.stateDir() + " kept";
      if (entry.removePolicy() == RemovePolicy.DELETE) {
        state = deleteState(entry);
      }
      pass.saveNow(pass.inventory().without(name));
      pass.converge(decision, "stopped, disabled, files removed; " + state);
    } catch (IOException | RuntimeException e) {
      pass.fail(decision, e.getMessage());
    }
  }
}
