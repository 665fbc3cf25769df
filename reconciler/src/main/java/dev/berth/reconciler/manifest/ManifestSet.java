package dev.berth.reconciler.manifest;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.Zone;
import java.util.List;

/** Every valid document of a manifest repository at one revision. */
public record ManifestSet(List<Sourced<Container>> containers, List<Sourced<Zone>> zones) {
  public ManifestSet {
    containers = List.copyOf(containers);
    zones = List.copyOf(zones);
  }

  public List<Container> containersOn(Host host) {
    return containers.stream()
        .map(Sourced::value)
        .filter(container -> container.spec().placement().matches(host))
        .toList();
  }

  public List<Zone> zonesOn(Host host) {
    return zones.stream()
        .map(Sourced::value)
        .filter(zone -> zone.spec().placement().matches(host))
        .toList();
  }
}
