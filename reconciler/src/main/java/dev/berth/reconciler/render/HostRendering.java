package dev.berth.reconciler.render;

import java.util.ArrayList;
import java.util.List;

/** Every file a host gets from the manifests placed on it. */
public record HostRendering(List<ContainerFiles> containers, List<HostFile> zoneFiles) {
  public HostRendering {
    containers = List.copyOf(containers);
    zoneFiles = List.copyOf(zoneFiles);
  }

  public List<HostFile> allFiles() {
    List<HostFile> all = new ArrayList<>();
    containers.forEach(container -> all.addAll(container.files().values()));
    all.addAll(zoneFiles);
    return all;
  }
}
