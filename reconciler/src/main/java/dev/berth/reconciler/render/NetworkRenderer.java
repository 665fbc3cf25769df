package dev.berth.reconciler.render;

import dev.berth.reconciler.model.Cidr;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.InterfaceName;
import dev.berth.reconciler.model.Network;
import dev.berth.reconciler.model.NetworkFamily;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.model.ZoneFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders the networkd side of RFC 0108's networking: the host end of a container's veth, a zone's
 * bridge, and the container's own network file when it has static addresses or DNS servers. berth's
 * files sort before systemd's shipped {@code 80-container-*.network}, so they win.
 *
 * <p>IPv6 for dynamic families: networkd advertises only the prefixes it is told in {@code
 * [IPv6Prefix]} sections, not one it allocated itself from {@code Address=::/64}, so berth derives
 * a stable ULA /64 from the container's or zone's name ({@link UlaPrefix}) and advertises that.
 */
final class NetworkRenderer {
  static final String DYNAMIC_V4 = "0.0.0.0/28";
  static final String DYNAMIC_ZONE_V4 = "0.0.0.0/24";
  static final String DYNAMIC_V6 = "::/64";

  /** The host side {@code ve-NAME} of a container with its own veth. */
  UnitFile hostVeth(Container container) {
    Network network = container.spec().network();
    UnitFile unit = new UnitFile();
    unit.add("Match", "Name", String.join(" ", vethNames(container.name())));
    unit.add("Match", "Driver", "veth");
    List<String> addresses = new ArrayList<>();
    if (!network.v4().isStatic()) {
      addresses.add(DYNAMIC_V4);
    }
    addresses.addAll(network.v4().hostAddresses());
    Optional<UlaPrefix> ula =
        network.v6().isStatic()
            ? Optional.empty()
            : Optional.of(UlaPrefix.of("container", container.name()));
    ula.ifPresent(prefix -> addresses.add(prefix.hostAddress()));
    addresses.addAll(network.v6().hostAddresses());
    unit.addAll("Network", "Address", addresses);
    unit.add("Network", "LinkLocalAddressing", "ipv6");
    unit.add("Network", "DHCPServer", network.v4().isStatic() ? "no" : "yes");
    unit.add("Network", "IPv6SendRA", ula.isPresent() ? "yes" : "no");
    unit.add("Network", "IPv6AcceptRA", "no");
    unit.add(
        "Network",
        "IPMasquerade",
        masquerade(masquerades(network.v4(), true), masquerades(network.v6(), false)));
    ula.ifPresent(prefix -> unit.addSection("IPv6Prefix", "Prefix", prefix.prefix()));
    unit.add("Link", "RequiredForOnline", "no");
    return unit;
  }

  /** The bridge {@code vz-ZONE}. */
  UnitFile zoneBridge(Zone zone) {
    ZoneFamily v4 = zone.spec().v4();
    ZoneFamily v6 = zone.spec().v6();
    List<String> v4Addresses = v4Addresses(v4);
    List<String> v6Addresses = v6Addresses(zone);
    UnitFile unit = new UnitFile();
    unit.add("Match", "Name", "vz-" + zone.name()).add("Match", "Driver", "bridge");
    unit.addAll("Network", "Address", v4Addresses);
    unit.addAll("Network", "Address", v6Addresses);
    unit.add("Network", "LinkLocalAddressing", "ipv6");
    unit.add("Network", "DHCPServer", v4Addresses.isEmpty() ? "no" : "yes");
    List<String> prefixes = v6Prefixes(v6Addresses);
    unit.add("Network", "IPv6SendRA", prefixes.isEmpty() ? "no" : "yes");
    unit.add("Network", "IPv6AcceptRA", "no");
    unit.add("Network", "IPMasquerade", masquerade(v4.masquerades(), v6.masquerades()));
    prefixes.forEach(prefix -> unit.addSection("IPv6Prefix", "Prefix", prefix));
    unit.add("Link", "RequiredForOnline", "no");
    return unit;
  }

  /**
   * The container's own network file, when the manifest says more than DHCP and SLAAC would: static
   * addresses with their gateway, or DNS servers; on {@code host0}, or on the MACVLAN/IPVLAN link
   * of a container without a veth. {@code zone} is the container's zone, if any.
   */
  Optional<UnitFile> containerNetwork(Container container, Optional<Zone> zone) {
    Network network = container.spec().network();
    if (network == null) {
      return Optional.empty();
    }
    boolean v4Static = network.v4().isStatic();
    boolean v6Static = network.v6().isStatic();
    if (!v4Static && !v6Static && network.dns().isEmpty()) {
      return Optional.empty();
    }
    UnitFile unit = new UnitFile();
    unit.add("Match", "Virtualization", "container")
        .add("Match", "Name", network.containerInterface());
    if (network.hasVeth()) {
      unit.add("Network", "DHCP", v4Static ? "no" : "ipv4");
      unit.add("Network", "IPv6AcceptRA", v6Static ? "no" : "yes");
    }
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

  /**
   * The names the host side of the container's veth may have: {@code ve-NAME}, or, above 15 bytes,
   * the name nspawn shortens it to (hashed, systemd 250 and later; cut, before).
   */
  static List<String> vethNames(String container) {
    return InterfaceName.candidates("ve-" + container);
  }

  private static Optional<String> gateway(
      NetworkFamily family, Optional<List<String>> zoneHostAddresses) {
    if (family.gateway() != null) {
      return Optional.of(family.gateway());
    }
    List<String> hostSide = zoneHostAddresses.orElse(family.hostAddresses());
    return hostSide.stream().findFirst().map(Cidr::hostPart);
  }

  private static List<String> v4Addresses(ZoneFamily family) {
    List<String> out = new ArrayList<>();
    if (family.addrPool() != null) {
      out.addAll(family.addrPool());
    } else if (family.hostAddresses().isEmpty()) {
      out.add(DYNAMIC_ZONE_V4);
    }
    out.addAll(family.hostAddresses());
    return out;
  }

  /**
   * A zone's IPv6 addresses: the pool ({@code ::/64}, the default without host addresses, is the
   * zone's derived ULA prefix; another prefix is used as written, with {@code ::1} for the bridge)
   * and the host addresses.
   */
  private static List<String> v6Addresses(Zone zone) {
    ZoneFamily family = zone.spec().v6();
    List<String> pool = family.addrPool();
    if (pool == null) {
      pool = family.hostAddresses().isEmpty() ? List.of(DYNAMIC_V6) : List.of();
    }
    List<String> out = new ArrayList<>();
    for (String entry : pool) {
      out.add(
          entry.equals(DYNAMIC_V6)
              ? UlaPrefix.of("zone", zone.name()).hostAddress()
              : UlaPrefix.firstHost(entry));
    }
    out.addAll(family.hostAddresses());
    return out;
  }

  /** The /64 prefixes of the addresses, which SLAAC can use, each once. */
  private static List<String> v6Prefixes(List<String> addresses) {
    List<String> out = new ArrayList<>();
    for (String address : addresses) {
      Cidr.parse(address, true)
          .filter(cidr -> cidr.prefixLength() == 64)
          .map(UlaPrefix::network)
          .filter(prefix -> !out.contains(prefix))
          .ifPresent(out::add);
    }
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
