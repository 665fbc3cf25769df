package dev.berth.reconciler.render;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Credential;
import dev.berth.reconciler.model.Zone;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Renders the files of the containers and zones placed on one host. Pure and deterministic: the
 * same input gives byte-identical output.
 */
public final class HostRenderer {
  private final NspawnRenderer nspawn = new NspawnRenderer();
  private final DropInRenderer dropIn = new DropInRenderer();
  private final NetworkRenderer network = new NetworkRenderer();

  /**
   * @param systems the built NixOS toplevel of each {@code nixos} container; one without a build
   *     yet gets no {@code Parameters=}
   */
  public HostRendering render(List<Container> containers, List<Zone> zones, SystemBuilds systems) {
    List<ContainerFiles> files =
        containers.stream()
            .sorted(Comparator.comparing(Container::name))
            .map(container -> render(container, zones, systems))
            .toList();
    List<HostFile> zoneFiles =
        zones.stream()
            .sorted(Comparator.comparing(Zone::name))
            .map(
                zone ->
                    new HostFile(
                        HostPaths.zoneNetwork(zone.name()),
                        Marker.wrap("Zone " + zone.name(), network.zoneBridge(zone).text())))
            .toList();
    Map<String, UnbuiltSystem> unbuilt = new TreeMap<>();
    for (Container container : containers) {
      if (container.spec().image().isNixos() && systems.systemOf(container.name()).isEmpty()) {
        unbuilt.put(container.name(), systems.unbuilt(container.name()));
      }
    }
    return new HostRendering(files, zoneFiles, unbuilt);
  }

  public ContainerFiles render(Container container, List<Zone> zones, SystemBuilds systems) {
    String name = container.name();
    String owner = "Container " + name;
    Map<FileRole, HostFile> files = new EnumMap<>(FileRole.class);
    Optional<String> system =
        container.spec().image().isNixos() ? systems.systemOf(name) : Optional.empty();
    UnitFile nspawnUnit = nspawn.render(container, system);
    files.put(
        FileRole.NSPAWN,
        new HostFile(HostPaths.nspawn(name), Marker.wrap(owner, nspawnUnit.text())));
    files.put(
        FileRole.DROP_IN,
        new HostFile(HostPaths.dropIn(name), Marker.wrap(owner, dropIn.render(container).text())));
    // Decided on the merged .nspawn, so that raw settings (VirtualEthernet=no, Zone=) are honoured.
    boolean veth =
        !container.spec().hostNetwork()
            && !"no".equals(last(nspawnUnit.values("Network", "VirtualEthernet")))
            && !"no".equals(last(nspawnUnit.values("Network", "Private")));
    boolean ownVeth =
        veth
            && nspawnUnit.values("Network", "Zone").isEmpty()
            && nspawnUnit.values("Network", "Bridge").isEmpty();
    if (ownVeth) {
      files.put(
          FileRole.HOST_NETWORK,
          new HostFile(
              HostPaths.vethNetwork(name), Marker.wrap(owner, network.hostVeth(container).text())));
    }
    var net = container.spec().network();
    // A NixOS container's network comes from its own configuration; a busybox or Debian tree gets
    // berth's file for host0 (or its MACVLAN/IPVLAN link).
    if (!container.spec().hostNetwork() && !container.spec().image().isNixos()) {
      Optional<Zone> zone =
          net.zone() == null
              ? Optional.empty()
              : zones.stream().filter(z -> z.name().equals(net.zone())).findFirst();
      network
          .containerNetwork(container, zone)
          .ifPresent(
              unit ->
                  files.put(
                      FileRole.CONTAINER_NETWORK,
                      new HostFile(
                          HostPaths.host0Network(HostPaths.rootDir(container)),
                          Marker.wrap(owner, unit.text()))));
    }
    Map<String, HostFile> credentials = new TreeMap<>();
    for (Credential credential : container.spec().credentials()) {
      if (credential.sealed()) {
        credentials.put(
            credential.id(),
            new HostFile(HostPaths.credential(name, credential.id()), credential.ciphertext()));
      }
    }
    return new ContainerFiles(name, files, credentials);
  }

  private static String last(List<String> values) {
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }
}
