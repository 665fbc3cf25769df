package dev.berth.reconciler.plan;

import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.UnitFile;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * What a change of a zone's {@code .network} does on a live host. networkd's reload reconfigures
 * the bridge {@code vz-ZONE} in place (addresses, DHCP server, router advertisements, masquerading)
 * and its containers keep running; but it never changes a device that exists already, so a {@code
 * .netdev} that defines the bridge only takes effect once the bridge is recreated.
 */
final class ZoneUpdate {
  private ZoneUpdate() {}

  static String reason(String zone, Set<String> changed, Optional<String> netdev) {
    StringBuilder reason =
        new StringBuilder("changed ")
            .append(String.join(", ", changed))
            .append("; networkd reloads and reconfigures vz-")
            .append(zone)
            .append(" in place, its containers keep running");
    if (changed.contains("Network.Address") || changed.contains("Network.DHCPServer")) {
      reason
          .append("; containers keep the DHCP leases and SLAAC addresses they have until they")
          .append(" renew them or restart");
    }
    netdev.ifPresent(
        path ->
            reason
                .append("; /")
                .append(path)
                .append(" defines the bridge vz-")
                .append(zone)
                .append(", and networkd's reload does not change an existing device: it changes")
                .append(" when vz-")
                .append(zone)
                .append(" is recreated (stop the zone's containers, or networkctl delete vz-")
                .append(zone)
                .append(")"));
    return reason.toString();
  }

  /** A {@code .netdev} in networkd's directory that defines the zone's bridge, if any. */
  static Optional<String> netdevOf(String zone, InstalledFiles installed) throws IOException {
    for (String file : installed.list(HostPaths.NETWORK_DIR)) {
      if (!file.endsWith(".netdev")) {
        continue;
      }
      String path = HostPaths.NETWORK_DIR + "/" + file;
      Optional<String> text = installed.read(path);
      if (text.isPresent()
          && UnitFile.parse(text.get()).values("NetDev", "Name").contains("vz-" + zone)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }
}
