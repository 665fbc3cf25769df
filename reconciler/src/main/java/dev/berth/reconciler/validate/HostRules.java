package dev.berth.reconciler.validate;

import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.Cidr;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ForwardPort;
import dev.berth.reconciler.model.Network;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.parse.FieldPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks across the documents that land on one host: names, references, addresses, ports. */
final class HostRules {
  private static final FieldPath NAME = FieldPath.of("metadata", "name");
  private static final FieldPath DEPENDS_ON = FieldPath.of("spec", "dependsOn");
  private static final FieldPath NETWORK = FieldPath.of("spec", "network");

  private final Diagnostics diagnostics;

  HostRules(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  void check(String host, List<Sourced<Container>> containers, List<Sourced<Zone>> zones) {
    check(host, containers, zones, Set.of(), Set.of());
  }

  /**
   * Like {@link #check(String, List, List)}, where containers and zones of the names {@code
   * maybeContainers} and {@code maybeZones} may be on the host too (placed by a selector, without
   * the host's labels to tell): references to them are not reported as missing.
   */
  void check(
      String host,
      List<Sourced<Container>> containers,
      List<Sourced<Zone>> zones,
      Set<String> maybeContainers,
      Set<String> maybeZones) {
    Map<String, Sourced<Container>> byName = unique(host, containers, "container");
    Map<String, Sourced<Zone>> zonesByName = unique(host, zones, "zone");
    for (Sourced<Container> sourced : containers) {
      Network network = sourced.value().spec().network();
      if (network != null
          && network.zone() != null
          && !zonesByName.containsKey(network.zone())
          && !maybeZones.contains(network.zone())) {
        findings(sourced)
            .error(
                NETWORK.field("zone"),
                "no Zone \"" + network.zone() + "\" is placed on host " + host);
      }
      List<String> dependsOn = sourced.value().spec().dependsOn();
      for (int i = 0; i < dependsOn.size(); i++) {
        if (!byName.containsKey(dependsOn.get(i)) && !maybeContainers.contains(dependsOn.get(i))) {
          findings(sourced)
              .error(
                  DEPENDS_ON.item(i),
                  "no container \"" + dependsOn.get(i) + "\" is placed on host " + host);
        }
      }
    }
    cycles(host, byName);
    addresses(host, containers, zones);
    ports(host, containers);
  }

  private <T> Map<String, Sourced<T>> unique(String host, List<Sourced<T>> resources, String kind) {
    Map<String, Sourced<T>> byName = new HashMap<>();
    for (Sourced<T> sourced : resources) {
      String name = sourced.document().root().path("metadata").path("name").asText();
      Sourced<T> first = byName.putIfAbsent(name, sourced);
      if (first != null) {
        diagnostics.error(
            sourced.file(),
            sourced.mark(NAME),
            kind
                + " \""
                + name
                + "\" is defined twice for host "
                + host
                + " (first at "
                + where(first, NAME)
                + ")");
      }
    }
    return byName;
  }

  private void cycles(String host, Map<String, Sourced<Container>> byName) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
    for (String name : byName.keySet().stream().sorted().toList()) {
      visit(host, name, byName, state, new ArrayList<>());
    }
  }

  private void visit(
      String host,
      String name,
      Map<String, Sourced<Container>> byName,
      Map<String, Integer> state,
      List<String> path) {
    Integer seen = state.get(name);
    if (seen != null && seen == 2) {
      return;
    }
    Sourced<Container> sourced = byName.get(name);
    if (sourced == null) {
      return;
    }
    if (seen != null && seen == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      findings(sourced)
          .error(
              DEPENDS_ON, "dependency cycle on host " + host + ": " + String.join(" -> ", cycle));
      return;
    }
    state.put(name, 1);
    path.add(name);
    for (String target : sourced.value().spec().dependsOn()) {
      visit(host, target, byName, state, path);
    }
    path.remove(path.size() - 1);
    state.put(name, 2);
  }

  private void addresses(
      String host, List<Sourced<Container>> containers, List<Sourced<Zone>> zones) {
    Map<String, String> owners = new HashMap<>();
    for (Sourced<Zone> sourced : zones) {
      var spec = sourced.value().spec();
      claim(
          host,
          owners,
          sourced,
          spec.v4().hostAddresses(),
          FieldPath.of("spec", "v4", "hostAddresses"));
      claim(
          host,
          owners,
          sourced,
          spec.v6().hostAddresses(),
          FieldPath.of("spec", "v6", "hostAddresses"));
    }
    for (Sourced<Container> sourced : containers) {
      Network network = sourced.value().spec().network();
      if (network == null) {
        continue;
      }
      FieldPath v4 = NETWORK.field("v4").field("static");
      FieldPath v6 = NETWORK.field("v6").field("static");
      claim(host, owners, sourced, network.v4().containerPool(), v4.field("containerPool"));
      claim(host, owners, sourced, network.v4().hostAddresses(), v4.field("hostAddresses"));
      claim(host, owners, sourced, network.v6().containerPool(), v6.field("containerPool"));
      claim(host, owners, sourced, network.v6().hostAddresses(), v6.field("hostAddresses"));
    }
  }

  private void claim(
      String host,
      Map<String, String> owners,
      Sourced<?> sourced,
      List<String> cidrs,
      FieldPath path) {
    for (int i = 0; i < cidrs.size(); i++) {
      var cidr = Cidr.parse(cidrs.get(i), true);
      if (cidr.isEmpty()) {
        continue; // reported by the document rules
      }
      FieldPath at = path.item(i);
      String here = where(sourced, at);
      String first = owners.putIfAbsent(cidr.get().host(), here);
      if (first != null) {
        findings(sourced)
            .error(
                at,
                "address "
                    + Cidr.hostPart(cidrs.get(i))
                    + " is used twice on host "
                    + host
                    + " (first at "
                    + first
                    + ")");
      }
    }
  }

  private void ports(String host, List<Sourced<Container>> containers) {
    Map<String, String> owners = new HashMap<>();
    for (Sourced<Container> sourced : containers) {
      Network network = sourced.value().spec().network();
      if (network == null) {
        continue;
      }
      Set<String> own = new HashSet<>();
      for (int i = 0; i < network.forwardPorts().size(); i++) {
        ForwardPort port = network.forwardPorts().get(i);
        String key = port.protocol() + "/" + port.hostPort();
        FieldPath at = NETWORK.field("forwardPorts").item(i);
        String first = owners.putIfAbsent(key, where(sourced, at));
        if (first != null || !own.add(key)) {
          findings(sourced)
              .error(
                  at,
                  at.field("hostPort"),
                  "host port "
                      + key
                      + " is forwarded twice on host "
                      + host
                      + " (first at "
                      + first
                      + ")");
        }
      }
    }
  }

  private DocumentFindings findings(Sourced<?> sourced) {
    return new DocumentFindings(sourced, diagnostics);
  }

  /** Where a first use stands, for the finding about the second: {@code FILE:LINE}. */
  private static String where(Sourced<?> sourced, FieldPath path) {
    return sourced.file() + ":" + sourced.mark(path).line();
  }
}
