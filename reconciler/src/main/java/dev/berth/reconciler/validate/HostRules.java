package dev.berth.reconciler.validate;

import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.diag.Mark;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.Cidr;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ForwardPort;
import dev.berth.reconciler.model.Network;
import dev.berth.reconciler.model.Zone;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks across the documents that land on one host: names, references, addresses, ports. */
final class HostRules {
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
        diagnostics.error(
            sourced.file(),
            sourced.mark("spec", "network", "zone"),
            "spec.network.zone: no Zone \"" + network.zone() + "\" is placed on host " + host);
      }
      List<String> dependsOn = sourced.value().spec().dependsOn();
      for (int i = 0; i < dependsOn.size(); i++) {
        if (!byName.containsKey(dependsOn.get(i)) && !maybeContainers.contains(dependsOn.get(i))) {
          diagnostics.error(
              sourced.file(),
              sourced.mark("spec", "dependsOn", i),
              "spec.dependsOn["
                  + i
                  + "]: no container \""
                  + dependsOn.get(i)
                  + "\" is placed on host "
                  + host);
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
            sourced.mark("metadata", "name"),
            kind
                + " \""
                + name
                + "\" is defined twice for host "
                + host
                + " (first at "
                + where(first, "metadata", "name")
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
      diagnostics.error(
          sourced.file(),
          sourced.mark("spec", "dependsOn"),
          "spec.dependsOn: dependency cycle on host " + host + ": " + String.join(" -> ", cycle));
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
      claim(host, owners, sourced, spec.v4().hostAddresses(), "spec", "v4", "hostAddresses");
      claim(host, owners, sourced, spec.v6().hostAddresses(), "spec", "v6", "hostAddresses");
    }
    for (Sourced<Container> sourced : containers) {
      Network network = sourced.value().spec().network();
      if (network == null) {
        continue;
      }
      claim(
          host,
          owners,
          sourced,
          network.v4().containerPool(),
          "spec",
          "network",
          "v4",
          "static",
          "containerPool");
      claim(
          host,
          owners,
          sourced,
          network.v4().hostAddresses(),
          "spec",
          "network",
          "v4",
          "static",
          "hostAddresses");
      claim(
          host,
          owners,
          sourced,
          network.v6().containerPool(),
          "spec",
          "network",
          "v6",
          "static",
          "containerPool");
      claim(
          host,
          owners,
          sourced,
          network.v6().hostAddresses(),
          "spec",
          "network",
          "v6",
          "static",
          "hostAddresses");
    }
  }

  private void claim(
      String host,
      Map<String, String> owners,
      Sourced<?> sourced,
      List<String> cidrs,
      Object... path) {
    for (int i = 0; i < cidrs.size(); i++) {
      var cidr = Cidr.parse(cidrs.get(i), true);
      if (cidr.isEmpty()) {
        continue; // reported by the document rules
      }
      Object[] at = java.util.Arrays.copyOf(path, path.length + 1);
      at[path.length] = i;
      String here = sourced.file() + ":" + sourced.mark(at).line();
      String first = owners.putIfAbsent(cidr.get().host(), here);
      if (first != null) {
        diagnostics.error(
            sourced.file(),
            sourced.mark(at),
            SchemaCheck.dotted(List.of(at))
                + ": address "
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
        String here =
            sourced.file() + ":" + sourced.mark("spec", "network", "forwardPorts", i).line();
        String first = owners.putIfAbsent(key, here);
        if (first != null || !own.add(key)) {
          diagnostics.error(
              sourced.file(),
              sourced.mark("spec", "network", "forwardPorts", i, "hostPort"),
              "spec.network.forwardPorts["
                  + i
                  + "]: host port "
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

  private static String where(Sourced<?> sourced, Object... path) {
    Mark mark = sourced.mark(path);
    return sourced.file() + ":" + mark.line();
  }
}
