package dev.berth.reconciler.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every file a host gets from the manifests placed on it, and, for each {@code nixos} container
 * rendered without a system, why it has none yet.
 */
public record HostRendering(
    List<ContainerFiles> containers, List<HostFile> zoneFiles, Map<String, UnbuiltSystem> unbuilt) {
  public HostRendering {
    containers = List.copyOf(containers);
    zoneFiles = List.copyOf(zoneFiles);
    unbuilt = Map.copyOf(unbuilt);
  }

  public HostRendering(List<ContainerFiles> containers, List<HostFile> zoneFiles) {
    this(containers, zoneFiles, Map.of());
  }

  /** The files of {@code container}, if it is rendered. */
  public Optional<ContainerFiles> container(String container) {
    return containers.stream().filter(files -> files.name().equals(container)).findFirst();
  }

  public Optional<UnbuiltSystem> unbuilt(String container) {
    return Optional.ofNullable(unbuilt.get(container));
  }

  public List<HostFile> allFiles() {
    List<HostFile> all = new ArrayList<>();
    containers.forEach(
        container -> {
          all.addAll(container.files().values());
          all.addAll(container.credentials().values());
        });
    all.addAll(zoneFiles);
    return all;
  }
}
