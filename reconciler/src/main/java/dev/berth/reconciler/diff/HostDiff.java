package dev.berth.reconciler.diff;

import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.ContainerDecision;
import dev.berth.reconciler.pass.PassPlan;
import dev.berth.reconciler.pass.SkipReason;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.InstalledFiles;
import dev.berth.reconciler.plan.PlannedAction;
import dev.berth.reconciler.render.ContainerFiles;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.Marker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The files a host would get from a rendering, against those it has: what {@code berth diff} shows
 * beside the plan. Which files count follows the plan: a container or zone it leaves alone as not
 * berth's shows none, one it removes shows each of berth's files of it as deleted, every other
 * shows its rendered files that differ and berth's files of it that it no longer gets. Only files
 * with berth's marker are ever shown as deleted, as only those are ever deleted.
 */
public final class HostDiff {
  private final InstalledFiles installed;

  /** A diff against {@code installed}, the host's files now (or a directory standing for them). */
  public HostDiff(InstalledFiles installed) {
    this.installed = installed;
  }

  /**
   * Every file that differs, sorted by path: {@code plan} as the pass planner decided it for {@code
   * containers}, rendered as {@code rendering}, on a host whose {@code inventory} says where the
   * removed containers' trees are.
   */
  public List<FileChange> changes(
      PassPlan plan, List<Container> containers, HostRendering rendering, Inventory inventory)
      throws IOException {
    Map<String, Container> byName =
        containers.stream().collect(Collectors.toMap(Container::name, Function.identity()));
    List<FileChange> changes = new ArrayList<>();
    for (ContainerDecision decision : plan.containers()) {
      if (leftAlone(decision)) {
        continue;
      }
      String name = decision.name();
      Optional<ContainerFiles> files = rendering.container(name);
      if (decision.action() == ActionClass.REMOVE || files.isEmpty()) {
        String rootDir =
            inventory.get(name).map(InventoryEntry::stateDir).orElse(HostPaths.stateDir(name));
        changes.addAll(removed(name, rootDir, Set.of()));
      } else {
        changes.addAll(rendered(files.get().byPath()));
        Container container = byName.get(name);
        String rootDir =
            container == null ? HostPaths.stateDir(name) : HostPaths.rootDir(container);
        changes.addAll(removed(name, rootDir, files.get().byPath().keySet()));
      }
    }
    changes.addAll(zones(plan.zones(), rendering.zoneFiles()));
    changes.sort(Comparator.comparing(FileChange::path));
    return List.copyOf(changes);
  }

  /** A container whose files the pass does not touch because they are not berth's to touch. */
  private static boolean leftAlone(ContainerDecision decision) {
    return decision.action() == ActionClass.CONFLICT
        || decision.skip().filter(SkipReason.NOT_BERTHS::equals).isPresent()
        || decision.skip().filter(SkipReason.NOT_PRUNED::equals).isPresent();
  }

  private List<FileChange> rendered(Map<String, String> byPath) throws IOException {
    List<FileChange> changes = new ArrayList<>();
    for (var file : byPath.entrySet()) {
      Optional<String> now = installed.read(file.getKey());
      if (now.isEmpty()) {
        changes.add(FileChange.added(file.getKey(), file.getValue()));
      } else if (!now.get().equals(file.getValue())) {
        changes.add(FileChange.modified(file.getKey(), now.get(), file.getValue()));
      }
    }
    return changes;
  }

  /**
   * berth's files of the container that are not in {@code kept}: its unit and network files with
   * berth's marker, and its sealed credentials (berth's own directory, so no marker).
   */
  private List<FileChange> removed(String name, String rootDir, Set<String> kept)
      throws IOException {
    List<FileChange> changes = new ArrayList<>();
    for (String path : HostPaths.containerFiles(name, rootDir)) {
      if (!kept.contains(path)) {
        berths(path).ifPresent(content -> changes.add(FileChange.removed(path, content)));
      }
    }
    for (String path : installed.credentials(name)) {
      if (!kept.contains(path)) {
        Optional<String> content = installed.read(path);
        content.ifPresent(text -> changes.add(FileChange.removed(path, text)));
      }
    }
    return changes;
  }

  /** The zones' bridge files: rendered ones unless not berth's, and removed zones' files. */
  private List<FileChange> zones(List<PlannedAction> decisions, List<HostFile> files)
      throws IOException {
    Set<String> foreign =
        decisions.stream()
            .filter(zone -> zone.action() == ActionClass.CONFLICT)
            .map(zone -> HostPaths.zoneNetwork(zone.name()))
            .collect(Collectors.toSet());
    Map<String, String> wanted = new TreeMap<>();
    files.stream()
        .filter(file -> !foreign.contains(file.path()))
        .forEach(file -> wanted.put(file.path(), file.content()));
    List<FileChange> changes = new ArrayList<>(rendered(wanted));
    for (PlannedAction zone : decisions) {
      if (zone.action() == ActionClass.REMOVE) {
        String path = HostPaths.zoneNetwork(zone.name());
        berths(path).ifPresent(content -> changes.add(FileChange.removed(path, content)));
      }
    }
    return changes;
  }

  /** The file's content when it is there and carries berth's marker. */
  private Optional<String> berths(String path) throws IOException {
    return installed.read(path).filter(content -> Marker.read(content).isPresent());
  }
}
