package dev.berth.reconciler.validate;

import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.manifest.ManifestSet;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.LabelSelector;
import dev.berth.reconciler.model.Placement;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.source.ManifestTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks across documents. For one known host they are exact. Without a host (plain {@code
 * berth validate}) they run for every host that a {@code hosts} list names, with the documents that
 * are placed there by name; documents placed by selector alone are checked against each other when
 * their selectors can match the same host, and against the others once a host's labels are known
 * (render, plan, the agent).
 */
public final class SemanticCheck {
  private final Host host;
  private final boolean placedByCommand;

  private SemanticCheck(Host host, boolean placedByCommand) {
    this.host = host;
    this.placedByCommand = placedByCommand;
  }

  public static SemanticCheck forHost(Host host) {
    return new SemanticCheck(Objects.requireNonNull(host), false);
  }

  public static SemanticCheck forAllHosts() {
    return new SemanticCheck(null, false);
  }

  /**
   * Exact checks for {@code host} with every document on it whatever its placement says: {@code
   * berth create} places its manifest on the host it runs on.
   */
  public static SemanticCheck forCommandOn(Host host) {
    return new SemanticCheck(Objects.requireNonNull(host), true);
  }

  public void check(ManifestSet set, ManifestTree tree, Diagnostics diagnostics) {
    set.containers().forEach(container -> checkOnItsOwn(container, diagnostics));
    set.zones().forEach(zone -> checkOnItsOwn(zone, diagnostics));
    checkAcross(set, tree, diagnostics);
  }

  /**
   * The checks that a Container or Zone passes on its own: they read nothing but its document, so
   * what they found holds wherever and whenever the same document is loaded again.
   */
  public static void checkOnItsOwn(Sourced<?> resource, Diagnostics diagnostics) {
    if (resource.value() instanceof Container) {
      @SuppressWarnings("unchecked")
      Sourced<Container> container = (Sourced<Container>) resource;
      DocumentRules.containerOnItsOwn(container, diagnostics);
    } else if (resource.value() instanceof Zone) {
      @SuppressWarnings("unchecked")
      Sourced<Zone> zone = (Sourced<Zone>) resource;
      DocumentRules.zone(zone, diagnostics);
    }
  }

  /**
   * {@link #check} without the checks of {@link #checkOnItsOwn}, which the caller ran on each
   * Container and Zone of {@code set}: those that read other files, those across documents, those
   * for the host.
   */
  public void checkAcross(ManifestSet set, ManifestTree tree, Diagnostics diagnostics) {
    DocumentRules documents = new DocumentRules(tree, diagnostics);
    set.containers().forEach(documents::containerInTree);
    set.sourcedRollout().ifPresent(documents::rollout);
    HostRules hostRules = new HostRules(diagnostics);
    if (host != null && placedByCommand) {
      hostRules.check(host.name(), set.containers(), set.zones());
      return;
    }
    if (host != null) {
      hostRules.check(host.name(), placed(set.containers(), host), placed(set.zones(), host));
      return;
    }
    for (String name : namedHosts(set)) {
      hostRules.check(
          name,
          named(set.containers(), name),
          named(set.zones(), name),
          maybe(set.containers(), name),
          maybe(set.zones(), name));
    }
    selectorOverlaps(set, diagnostics);
  }

  private static <T> List<Sourced<T>> placed(List<Sourced<T>> all, Host host) {
    return all.stream().filter(s -> placement(s).matches(host)).toList();
  }

  private static <T> List<Sourced<T>> named(List<Sourced<T>> all, String host) {
    return all.stream()
        .filter(
            s ->
                placement(s).hosts() != null
                    && placement(s).hosts().contains(host)
                    && placement(s).selector() == null)
        .toList();
  }

  /**
   * The names of the documents that a selector may place on {@code host}, whose labels are unknown.
   */
  private static <T> Set<String> maybe(List<Sourced<T>> all, String host) {
    Set<String> names = new TreeSet<>();
    for (Sourced<T> s : all) {
      Placement p = placement(s);
      if (p.selector() != null && (p.hosts() == null || p.hosts().contains(host))) {
        names.add(s.document().root().path("metadata").path("name").asText());
      }
    }
    return names;
  }

  private static Set<String> namedHosts(ManifestSet set) {
    Set<String> hosts = new TreeSet<>();
    for (Sourced<?> s : set.containers()) {
      if (placement(s).hosts() != null) {
        hosts.addAll(placement(s).hosts());
      }
    }
    for (Sourced<?> s : set.zones()) {
      if (placement(s).hosts() != null) {
        hosts.addAll(placement(s).hosts());
      }
    }
    return hosts;
  }

  /** Two selector-only containers of one name whose selectors can hold together clash. */
  private static void selectorOverlaps(ManifestSet set, Diagnostics diagnostics) {
    List<Sourced<Container>> bySelector = new ArrayList<>();
    for (Sourced<Container> s : set.containers()) {
      Placement p = placement(s);
      if (p.hosts() == null && p.selector() != null) {
        bySelector.add(s);
      }
    }
    for (int i = 0; i < bySelector.size(); i++) {
      for (int j = 0; j < i; j++) {
        Sourced<Container> a = bySelector.get(j);
        Sourced<Container> b = bySelector.get(i);
        if (a.value().name().equals(b.value().name())
            && compatible(placement(a).selector(), placement(b).selector())) {
          diagnostics.error(
              b.file(),
              b.mark("metadata", "name"),
              "container \""
                  + b.value().name()
                  + "\" is defined twice for hosts that match both selectors"
                  + " (first at "
                  + a.file()
                  + ":"
                  + a.mark("metadata", "name").line()
                  + ")");
        }
      }
    }
  }

  /** False only when the two selectors demand different values of one label. */
  private static boolean compatible(LabelSelector a, LabelSelector b) {
    for (Map.Entry<String, String> wanted : a.matchLabels().entrySet()) {
      String other = b.matchLabels().get(wanted.getKey());
      if (other != null && !other.equals(wanted.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static Placement placement(Sourced<?> sourced) {
    Object value = sourced.value();
    if (value instanceof Container container) {
      return container.spec().placement();
    }
    if (value instanceof Zone zone) {
      return zone.spec().placement();
    }
    throw new IllegalArgumentException("no placement for " + value);
  }
}
