package dev.berth.reconciler.manifest;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.Zone;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every valid document of a manifest repository at one revision: its containers, its zones and its
 * {@link Rollout}, of which a repository has at most one.
 */
public record ManifestSet(
    List<Sourced<Container>> containers,
    List<Sourced<Zone>> zones,
    Optional<Sourced<Rollout>> sourcedRollout) {
  public ManifestSet {
    containers = List.copyOf(containers);
    zones = List.copyOf(zones);
    Objects.requireNonNull(sourcedRollout);
  }

  /** A repository without a Rollout: every host applies a revision as soon as it sees it. */
  public ManifestSet(List<Sourced<Container>> containers, List<Sourced<Zone>> zones) {
    this(containers, zones, Optional.empty());
  }

  /** The repository's Rollout, if it has one. */
  public Optional<Rollout> rollout() {
    return sourcedRollout.map(Sourced::value);
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
