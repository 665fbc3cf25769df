package dev.berth.reconciler.pass;

import dev.berth.reconciler.host.HostSnapshot;
import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.plan.InstalledFiles;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.Marker;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a pass knows of the host besides its files: what berth created there (the inventory) and, on
 * a live host, what runs (units and machines). {@code berth plan --root DIR} knows no units.
 */
public record Observation(Optional<HostSnapshot> snapshot, Inventory inventory) {

  public static Observation live(HostSnapshot snapshot, Inventory inventory) {
    return new Observation(Optional.of(snapshot), inventory);
  }

  /** Files only: no unit states count, so no start, stop or machine checks. */
  public static Observation filesOnly(Inventory inventory) {
    return new Observation(Optional.empty(), inventory);
  }

  /**
   * Files only, for a directory that stands for a host ({@code berth plan --root}): it has no
   * inventory, so the containers whose {@code .nspawn} carries berth's marker stand for it.
   */
  public static Observation ofFiles(InstalledFiles installed) throws IOException {
    Map<String, InventoryEntry> marked = new TreeMap<>();
    for (String file : installed.list(HostPaths.NSPAWN_DIR)) {
      if (!file.endsWith(".nspawn")) {
        continue;
      }
      String name = file.substring(0, file.length() - ".nspawn".length());
      Optional<String> text = installed.read(HostPaths.nspawn(name));
      if (text.isPresent() && Marker.read(text.get()).isPresent()) {
        marked.put(
            name, new InventoryEntry(name, RemovePolicy.RETAIN, HostPaths.stateDir(name), null));
      }
    }
    return filesOnly(new Inventory(marked, Map.of()));
  }
}
