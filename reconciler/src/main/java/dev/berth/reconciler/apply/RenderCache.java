package dev.berth.reconciler.apply;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last pass's rendering, kept while its inputs are the same: most passes of the agent render
 * the same containers with the same systems again. Keyed by the identity of the desired lists (a
 * new revision makes new ones) and by the NixOS systems; a system still building renders again,
 * since its reason (building for N s) changes.
 */
final class RenderCache {
  private record Key(
      List<Container> containers, List<Zone> zones, Map<String, Optional<String>> systems) {
    boolean sameAs(Key other) {
      return other != null
          && containers == other.containers
          && zones == other.zones
          && systems.equals(other.systems);
    }
  }

  private Key key;
  private HostRendering rendering;

  synchronized HostRendering render(
      List<Container> containers, List<Zone> zones, SystemBuilds systems) {
    Map<String, Optional<String>> nixos = new HashMap<>();
    for (Container container : containers) {
      if (container.spec().image().isNixos()) {
        nixos.put(container.name(), systems.systemOf(container.name()));
      }
    }
    Key wanted = new Key(containers, zones, Map.copyOf(nixos));
    boolean waiting = nixos.values().stream().anyMatch(Optional::isEmpty);
    if (!waiting && wanted.sameAs(key)) {
      return rendering;
    }
    rendering = new HostRenderer().render(containers, zones, systems);
    key = wanted;
    return rendering;
  }
}
