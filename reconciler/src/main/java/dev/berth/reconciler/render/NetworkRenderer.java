package dev.berth.reconciler.render;

import dev.berth.reconciler.model.Cidr;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Network;
import dev.berth.reconciler.model.NetworkFamily;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.model.ZoneFamily;
import dev.berth.reconciler.validate.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders the networkd side of RFC 0108's networking: the host end of a container's veth, a zone's
 * bridge, and the container's own {@code host0} file when it has static addresses or DNS servers.
 * berth's files sort before systemd's shipped {@code 80-container-*.network}, so they win.
 */
final class NetworkRenderer {
  static final String DYNAMIC_V4 = "0.0.0.0/28";
  static final String DYNAMIC_ZONE_V4 = "0.0.0.0/24";
  static final String DYNAMIC_V6 = "::/64";

  /** The host side {@code ve-NAME} of a container with its own veth. */
  UnitFile hostVeth(Container container) {
    Network network = container.spec().network();
    UnitFile unit = new UnitFile();
    unit.add("Match", "Name", vethName(container.name())).add("Match", "Driver", "veth");
    List<String> addresses = new ArrayList<>();
    if (!network.v4().isStatic()) {
      addresses.add(DYNAMIC_V4);
    }
    addresses.addAll(network.v4().hostAddresses());
    if (!network.v6().isStatic()) {
      addresses.add(DYNAMIC_V6);
    }
    addresses.addAll(network.v6().hostAddresses());
    unit.addAll("Network", "Address", addresses);
    unit.add("Network", "LinkLocalAddressing", "yes");
    unit.add("Network", "DHCPServer", network.v4().isStatic() ? "no" : "yes");
    unit.add("Network", "IPv6SendRA", network.v6().isStatic() ? "no" : "yes");
    unit.add("Network", "IPv6AcceptRA", "no");
    unit.add(
        "Network",
        "IPMasquerade",
        masquerade(masquerades(network.v4(), true), masquerades(network.v6(), false)));
    unit.add("Link", "RequiredForOnline", "no");
    return unit;
  }

  /** The bridge {@code vz-ZONE}. */
  UnitFile zoneBridge(Zone zone) {
    ZoneFamily v4 = zone.spec().v4();
    ZoneFamily v6 = zone.spec().v6();
    List<String> v4Addresses = addresses(v4, DYNAMIC_ZONE_V4);
    List<String> v6Addresses = addresses(v6, DYNAMIC_V6);
    UnitFile unit = new UnitFile();
    unit.add("Match", "Name", "vz-" + zone.name()).add("Match", "Driver", "bridge");
    unit.addAll("Network", "Address", v4Addresses);
    unit.addAll("Network", "Address", v6Addresses);
    unit.add("Network", "LinkLocalAddressing", "yes");
    unit.add("Network", "DHCPServer", v4Addresses.isEmpty() ? "no" : "yes");
    unit.add("Network", "IPv6SendRA", v6Addresses.isEmpty() ? "no" : "yes");
    unit.add("Network", "IPv6AcceptRA", "no");
    unit.add("Network", "IPMasquerade", masquerade(v4.masquerades(), v6.masquerades()));
    unit.add("Link", "RequiredForOnline", "no");
    return unit;
  }

  /**
   * The container's {@code host0}, when the manifest says more than DHCP and SLAAC would: static
   * addresses with their gateway, or DNS servers. {@code zone} is the container's zone, if any.
   */
  Optional<UnitFile> containerHost0(Container container, Optional<Zone> zone) {
    Network network = container.spec().network();
    if (network == null || !network.hasVeth()) {
      return Optional.empty();
    }
    boolean v4Static = network.v4().isStatic();
    boolean v6Static = network.v6().isStatic();
    if (!v4Static && !v6Static && network.dns().isEmpty()) {
      return Optional.empty();
    }
    UnitFile unit = new UnitFile();
    unit.add("Match", "Virtualization", "container").add("Match", "Name", "host0");
    unit.add("Network", "DHCP", v4Static ? "no" : "ipv4");
    unit.add("Network", "IPv6AcceptRA", v6Static ? "no" : "yes");
    unit.add("Network", "LinkLocalAddressing", "ipv6");
    unit.addAll("Network", "Address", network.v4().containerPool());
    unit.addAll("Network", "Address", network.v6().containerPool());
    if (v4Static) {
      gateway(network.v4(), zone.map(z -> z.spec().v4().hostAddresses()))
          .ifPresent(g -> unit.add("Network", "Gateway", g));
    }
    if (v6Static) {
      gateway(network.v6(), zone.map(z -> z.spec().v6().hostAddresses()))
          .ifPresent(g -> unit.add("Network", "Gateway", g));
    }
    unit.addAll("Network", "DNS", network.dns());
    return Optional.of(unit);
  }

  /** The host interface nspawn creates; systemd shortens names over 15 bytes, so match a prefix. */
  static String vethName(String container) {
    String name = "ve-" + container;
    return name.length() <= Names.MAX_IFNAME ? name : "ve-" + container.substring(0, 4) + "*";
  }

  private static Optional<String> gateway(
      NetworkFamily family, Optional<List<String>> zoneHostAddresses) {
    if (family.gateway() != null) {
      return Optional.of(family.gateway());
    }
    List<String> hostSide = zoneHostAddresses.orElse(family.hostAddresses());
    return hostSide.stream().findFirst().map(Cidr::hostPart);
  }

  private static List<String> addresses(ZoneFamily family, String dynamic) {
    List<String> out = new ArrayList<>();
    if (family.addrPool() != null) {
      out.addAll(family.addrPool());
    } else if (family.hostAddresses().isEmpty()) {
      out.add(dynamic);
    }
    out.addAll(family.hostAddresses());
    return out;
  }

  /** v4 masquerades unless told not to; v6 by default only for its dynamic (ULA) prefix. */
  private static boolean masquerades(NetworkFamily family, boolean v4) {
    if (family.nat() != null) {
      return family.nat();
    }
    return v4 || !family.isStatic();
  }

  private static String masquerade(boolean v4, boolean v6) {
    if (v4 && v6) {
      return "both";
    }
    return v4 ? "ipv4" : v6 ? "ipv6" : "no";
  }
}
