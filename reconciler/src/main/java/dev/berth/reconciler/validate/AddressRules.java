package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.Cidr;
import dev.berth.reconciler.model.Network;
import dev.berth.reconciler.model.NetworkFamily;
import dev.berth.reconciler.model.ZoneFamily;
import dev.berth.reconciler.model.ZoneSpec;
import dev.berth.reconciler.parse.FieldPath;
import java.util.List;
import java.util.Optional;

/**
 * The rules of IP addresses, of a container's network and of a zone: each of its family, and host
 * addresses only where berth sets them.
 */
final class AddressRules {
  private AddressRules() {}

  /** One family of a container's network; {@code at} is {@code spec.network.v4} or {@code v6}. */
  static void family(
      Network network, NetworkFamily family, FieldPath at, boolean v4, DocumentFindings findings) {
    FieldPath hostAddresses = at.field("static").field("hostAddresses");
    cidrs(family.containerPool(), v4, false, at.field("static").field("containerPool"), findings);
    cidrs(family.hostAddresses(), v4, false, hostAddresses, findings);
    if (network.zone() != null && !family.hostAddresses().isEmpty()) {
      findings.error(
          hostAddresses,
          "a container in a zone uses the zone's hostAddresses; set them on Zone "
              + network.zone());
    }
    if (network.bridge() != null && !family.hostAddresses().isEmpty()) {
      findings.error(
          hostAddresses, "the addresses of bridge " + network.bridge() + " are not berth's to set");
    }
    if (family.gateway() != null) {
      Optional<Cidr> gateway = Cidr.parse(family.gateway(), false);
      if (gateway.isEmpty() || gateway.get().isV4() != v4) {
        findings.error(
            at.field("gateway"),
            "\"" + family.gateway() + "\" is not an IP" + (v4 ? "v4" : "v6") + " address");
      }
    }
  }

  static void zone(ZoneSpec spec, DocumentFindings findings) {
    zoneFamily(spec.v4(), FieldPath.of("spec", "v4"), true, findings);
    zoneFamily(spec.v6(), FieldPath.of("spec", "v6"), false, findings);
  }

  private static void zoneFamily(
      ZoneFamily family, FieldPath at, boolean v4, DocumentFindings findings) {
    cidrs(family.hostAddresses(), v4, false, at.field("hostAddresses"), findings);
    if (family.addrPool() != null) {
      cidrs(family.addrPool(), v4, true, at.field("addrPool"), findings);
    }
  }

  /**
   * Addresses with a prefix length, of one family; none of length 0, whose prefix route would take
   * every address of the family (and a pool of length 0 would be all of them).
   */
  private static void cidrs(
      List<String> values, boolean v4, boolean pools, FieldPath at, DocumentFindings findings) {
    for (int i = 0; i < values.size(); i++) {
      Optional<Cidr> cidr = Cidr.parse(values.get(i), true);
      if (cidr.isPresent() && cidr.get().isV4() == v4 && cidr.get().prefixLength() == 0) {
        findings.error(
            at.item(i),
            "\""
                + values.get(i)
                + (pools
                    ? "\" is every address; give the pool's prefix length, such as "
                        + (v4 ? "0.0.0.0/24" : "::/64")
                    : "\" has prefix length 0, a route to every address through this link; give"
                        + " the subnet's length, such as "
                        + (v4 ? "10.0.0.2/24" : "fd00::2/64")));
      } else if (cidr.isEmpty() || cidr.get().isV4() != v4) {
        findings.error(
            at.item(i),
            "\""
                + values.get(i)
                + "\" is not an IP"
                + (v4 ? "v4" : "v6")
                + " address with a prefix length, such as "
                + (v4 ? "10.0.0.2/24" : "fd00::2/64"));
      }
    }
  }
}
