package dev.berth.reconciler.plan;

import dev.berth.reconciler.model.Activation.Strategy;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.render.ContainerFiles;
import dev.berth.reconciler.render.FileRole;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.ImageIdentity;
import dev.berth.reconciler.render.Marker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares the files a host should have with those it has, and classifies each container's
 * difference by RFC 0108's rule: only {@code Parameters=} changed is a reload, only cgroup limits
 * is live, anything else in the {@code .nspawn}, the drop-in or the container's network is a
 * restart; the activation strategy overrides as the RFC says. A new tarball image (its identity in
 * the drop-in changed) is a rebuild of the root, whatever the strategy: no activation can apply it
 * to the running root. Only the files: what runs on the host, what berth created there and the
 * policy are the {@code PassPlanner}'s.
 */
public final class Planner {

  public Plan plan(
      String host, List<Container> containers, HostRendering desired, InstalledFiles installed)
      throws IOException {
    Map<String, Container> byName =
        containers.stream().collect(Collectors.toMap(Container::name, Function.identity()));
    List<PlannedAction> actions = new ArrayList<>();
    Set<String> current = new HashSet<>();
    for (ContainerFiles files : desired.containers()) {
      try {
        actions.add(planContainer(byName.get(files.name()), files, installed, current));
      } catch (IOException e) {
        // One container's unreadable file (too large, a symlink planted in its tree) leaves that
        // container alone; the others go on.
        actions.add(
            PlannedAction.container(
                files.name(),
                ActionClass.CONFLICT,
                "cannot read its files on this host: " + e.getMessage() + "; left alone"));
      }
    }
    actions.addAll(planZones(desired, installed));
    return new Plan(host, actions, current);
  }

  private PlannedAction planContainer(
      Container container, ContainerFiles files, InstalledFiles installed, Set<String> asRendered)
      throws IOException {
    String name = files.name();
    boolean unbuilt =
        container.spec().image().isNixos() && !files.nspawn().content().contains("\nParameters=");
    Optional<String> installedNspawn = installed.read(files.nspawn().path());
    if (installedNspawn.isEmpty()) {
      String reason = "new container";
      if (unbuilt) {
        reason +=
            "; build the NixOS system from " + container.spec().image().nixos().file() + " first";
      }
      return PlannedAction.container(name, ActionClass.CREATE, reason);
    }
    boolean berths =
        installedNspawn.get().equals(files.nspawn().content())
            || Marker.read(installedNspawn.get()).isPresent();
    if (!berths && !container.metadata().adopts()) {
      return PlannedAction.container(
          name,
          ActionClass.CONFLICT,
          "/"
              + files.nspawn().path()
              + " exists and was not written by berth; left alone"
              + " (annotate the manifest with berth.dev/adopt: \"true\" to take it over)");
    }
    ChangeSet changes = new ChangeSet();
    for (FileRole role : FileRole.values()) {
      HostFile wanted = files.files().get(role);
      String path = wanted != null ? wanted.path() : pathOf(role, container);
      Optional<String> current =
          path == null
              ? Optional.empty()
              : role == FileRole.NSPAWN ? installedNspawn : installed.read(path);
      compare(role, path, current, wanted, unbuilt, changes);
    }
    compareCredentials(files, installed, changes);
    if (changes.isEmpty() && !changes.rewrite && !unbuilt) {
      asRendered.add(name);
    }
    return classify(container, unbuilt, changes);
  }

  /**
   * A sealed credential is read when the unit starts: a new, changed or dropped one is a change
   * that restarts the container (by the strategy's rule, as any other).
   */
  private static void compareCredentials(
      ContainerFiles files, InstalledFiles installed, ChangeSet changes) throws IOException {
    Set<String> wanted = new HashSet<>();
    for (var credential : files.credentials().entrySet()) {
      HostFile file = credential.getValue();
      wanted.add(file.path());
      Optional<String> current = installed.read(file.path());
      if (current.isEmpty()) {
        changes.other.add("/" + file.path() + " is new");
      } else if (!current.get().equals(file.content())) {
        changes.other.add("sealed credential " + credential.getKey());
      }
    }
    for (String path : installed.credentials(files.name())) {
      if (!wanted.contains(path)) {
        changes.other.add("/" + path + " no longer needed");
      }
    }
  }

  private static void compare(
      FileRole role,
      String path,
      Optional<String> current,
      HostFile wanted,
      boolean unbuilt,
      ChangeSet changes) {
    if (wanted != null && current.isPresent() && current.get().equals(wanted.content())) {
      return; // as berth renders it: unchanged, and not edited by hand
    }
    if (current.isPresent()) {
      Marker.read(current.get())
          .filter(Marker.Stamp::editedByHand)
          .ifPresent(stamp -> changes.editedByHand.add("/" + path));
    }
    if (wanted == null) {
      if (current.isPresent() && Marker.read(current.get()).isPresent()) {
        changes.other.add("/" + path + " no longer needed");
      }
      return;
    }
    changes.rewrite = true;
    if (current.isEmpty()) {
      changes.other.add("/" + path + " is new");
      return;
    }
    for (String setting : SettingsDiff.between(current.get(), wanted.content())) {
      if (role == FileRole.DROP_IN && setting.equals(ImageIdentity.SETTING)) {
        compareImage(current.get(), wanted.content(), changes);
      } else if (role == FileRole.NSPAWN && setting.equals(ChangeSet.PARAMETERS)) {
        if (!unbuilt) {
          changes.parameters.add(setting);
        }
      } else if (role == FileRole.DROP_IN && ChangeSet.RESOURCE_SETTINGS.contains(setting)) {
        changes.resources.add(setting);
      } else {
        changes.other.add(prefix(role) + setting);
      }
    }
  }

  /**
   * A drop-in that berth wrote before it recorded images has no identity: the root holds what the
   * container was created from, which berth cannot tell any more. It is recorded without an
   * activation, so a berth upgrade does not restart every container.
   */
  private static void compareImage(String current, String wanted, ChangeSet changes) {
    Optional<String> before = ImageIdentity.in(current);
    Optional<String> after = ImageIdentity.in(wanted);
    if (before.isPresent() && after.isPresent()) {
      changes.image =
          ImageIdentity.describe(before.get()) + " → " + ImageIdentity.describe(after.get());
    } else {
      changes.recorded.add(
          after
                  .map(image -> "records the image (" + ImageIdentity.describe(image) + ")")
                  .orElse("drops the image record")
              + " in its drop-in");
    }
  }

  private static PlannedAction classify(Container container, boolean unbuilt, ChangeSet changes) {
    String name = container.name();
    String drift =
        changes.editedByHand.isEmpty()
            ? ""
            : "; drift: " + String.join(", ", changes.editedByHand) + " edited by hand";
    if (unbuilt) {
      return PlannedAction.container(
          name,
          ActionClass.REBUILD,
          "build the NixOS system from "
              + container.spec().image().nixos().file()
              + ", then reload or restart as the result needs"
              + (changes.isEmpty() ? "" : "; also changed: " + changes.describe())
              + drift);
    }
    if (changes.image != null) {
      return PlannedAction.container(
          name,
          ActionClass.REBUILD,
          "image changed: "
              + changes.image
              + "; the new root is unpacked beside the old and swapped in at the restart"
              + (changes.isEmpty() ? "" : "; also changed: " + changes.describe())
              + drift);
    }
    if (changes.isEmpty() && !changes.recorded.isEmpty()) {
      return PlannedAction.container(
          name,
          ActionClass.WRITE,
          String.join(", ", changes.recorded)
              + ", which berth wrote before it recorded images; the running container is left"
              + " alone"
              + drift);
    }
    if (changes.isEmpty()) {
      return PlannedAction.container(name, ActionClass.NONE, "up to date" + drift);
    }
    Strategy strategy = container.spec().activation().strategy();
    String changed = "changed " + changes.describe() + drift;
    return switch (strategy) {
      case NONE ->
          PlannedAction.container(
              name,
              ActionClass.WRITE,
              changed + "; strategy none leaves the running container alone");
      case RESTART ->
          PlannedAction.container(name, ActionClass.RESTART, changed + "; strategy restart");
      case RELOAD ->
          PlannedAction.container(
              name,
              ActionClass.RELOAD,
              changed + "; strategy reload activates inside without applying host-side changes");
      case DYNAMIC -> {
        if (!changes.other.isEmpty()) {
          yield PlannedAction.container(name, ActionClass.RESTART, changed);
        }
        if (!changes.parameters.isEmpty()) {
          yield PlannedAction.container(
              name,
              ActionClass.RELOAD,
              "only the system changed ("
                  + changes.describe()
                  + ")"
                  + (changes.resources.isEmpty() ? "" : "; cgroup limits set live")
                  + drift);
        }
        yield PlannedAction.container(name, ActionClass.LIVE, changed + "; set at runtime");
      }
    };
  }

  private static String pathOf(FileRole role, Container container) {
    return switch (role) {
      case NSPAWN -> HostPaths.nspawn(container.name());
      case DROP_IN -> HostPaths.dropIn(container.name());
      case HOST_NETWORK -> HostPaths.vethNetwork(container.name());
      case CONTAINER_NETWORK -> HostPaths.host0Network(HostPaths.rootDir(container));
    };
  }

  private static String prefix(FileRole role) {
    return switch (role) {
      case NSPAWN -> "";
      case DROP_IN -> "unit ";
      case HOST_NETWORK -> "host network ";
      case CONTAINER_NETWORK -> "host0 ";
    };
  }

  private List<PlannedAction> planZones(HostRendering desired, InstalledFiles installed)
      throws IOException {
    List<PlannedAction> actions = new ArrayList<>();
    Set<String> wanted = new HashSet<>();
    for (HostFile file : desired.zoneFiles()) {
      String zone =
          HostPaths.zoneOfNetworkFile(file.path().substring(HostPaths.NETWORK_DIR.length() + 1))
              .orElseThrow();
      wanted.add(file.path());
      Optional<String> current = installed.read(file.path());
      if (current.isEmpty()) {
        actions.add(
            PlannedAction.zone(
                zone, ActionClass.CREATE, "new bridge vz-" + zone + "; networkd reloads"));
      } else if (Marker.read(current.get()).isEmpty()) {
        actions.add(
            PlannedAction.zone(
                zone,
                ActionClass.CONFLICT,
                "/" + file.path() + " exists and was not written by berth; left alone"));
      } else {
        Set<String> changed = SettingsDiff.between(current.get(), file.content());
        actions.add(
            changed.isEmpty()
                ? PlannedAction.zone(zone, ActionClass.NONE, "up to date")
                : PlannedAction.zone(
                    zone,
                    ActionClass.UPDATE,
                    ZoneUpdate.reason(zone, changed, ZoneUpdate.netdevOf(zone, installed))));
      }
    }
    for (String file : installed.list(HostPaths.NETWORK_DIR)) {
      String path = HostPaths.NETWORK_DIR + "/" + file;
      Optional<String> zone = HostPaths.zoneOfNetworkFile(file);
      if (zone.isEmpty() || wanted.contains(path)) {
        continue;
      }
      Optional<String> current = installed.read(path);
      if (current.isPresent() && Marker.read(current.get()).isPresent()) {
        actions.add(
            PlannedAction.zone(
                zone.get(),
                ActionClass.REMOVE,
                "no longer placed on this host; its network file goes"));
      }
    }
    return actions;
  }
}
