package dev.berth.reconciler.migrate;

import dev.berth.reconciler.model.Cidr;
import dev.berth.reconciler.validate.CrdSchemas;
import dev.berth.reconciler.validate.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one {@code /etc/nixos-containers/NAME.conf}, in the format nixpkgs' {@code
 * nixos-containers.nix} and {@code nixos-container create} write, into a berth Container manifest
 * for one host and the Nix files its {@code image.nixos} needs.
 */
public final class ContainerMigrator {
  static final Set<String> KNOWN =
      Set.of(
          "SYSTEM_PATH",
          "FLAKE",
          "COPY_RESOLV_CONF",
          "PRIVATE_NETWORK",
          "HOST_BRIDGE",
          "HOST_PORT",
          "HOST_ADDRESS",
          "HOST_ADDRESS6",
          "LOCAL_ADDRESS",
          "LOCAL_ADDRESS6",
          "LOCAL_MAC_ADDRESS",
          "NETWORK_NAMESPACE_PATH",
          "PRIVATE_USERS",
          "INTERFACES",
          "MACVLANS",
          "AUTO_START",
          "EXTRA_NSPAWN_FLAGS");

  private final String host;

  /** Migrates for the host named {@code host} (the manifests' placement). */
  public ContainerMigrator(String host) {
    this.host = host;
  }

  /** Whether {@code text} reads as a nixos-container configuration at all (not podman's). */
  public static boolean looksLikeContainerConf(String text) {
    EnvironmentFile parsed = EnvironmentFile.parse("", text);
    return parsed.entries().keySet().stream().anyMatch(KNOWN::contains);
  }

  /** The container, or empty with the reason in {@code skipped} when its name cannot be kept. */
  public Optional<MigratedContainer> migrate(LegacyConf conf, List<Finding> skipped) {
    if (!Names.isDnsLabel(conf.name())) {
      skipped.add(
          new Finding(
              conf.source(),
              0,
              "container name \""
                  + conf.name()
                  + "\" is not a DNS label (lowercase letters, digits, '-'), which berth's"
                  + " machine names must be; not migrated (rename the container first)"));
      return Optional.empty();
    }
    EnvironmentFile parsed = EnvironmentFile.parse(conf.source(), conf.text());
    ContainerDraft draft = new ContainerDraft(conf.source());
    draft.warnings.addAll(parsed.findings());
    Map<String, ConfEntry> entries = parsed.entries();
    for (ConfEntry entry : entries.values()) {
      if (!KNOWN.contains(entry.key())) {
        draft.warn(
            entry.line(),
            entry.key() + " is not a setting of nixos-container that berth knows; not migrated");
      }
    }
    return Optional.of(new Mapping(conf, entries, draft).build());
  }

  /** The mapping of one configuration. */
  private final class Mapping {
    private final LegacyConf conf;
    private final Map<String, ConfEntry> entries;
    private final ContainerDraft draft;
    private final NixSystem nix;
    private final List<String> todo = new ArrayList<>();
    private final Map<String, String> files = new LinkedHashMap<>();

    Mapping(LegacyConf conf, Map<String, ConfEntry> entries, ContainerDraft draft) {
      this.conf = conf;
      this.entries = entries;
      this.draft = draft;
      this.nix = new NixSystem(conf.name());
    }

    MigratedContainer build() {
      String name = conf.name();
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("placement", Map.of("hosts", List.of(host)));
      boolean autoStart = value("AUTO_START").equals("1");
      spec.put("autoStart", autoStart);
      if (!autoStart) {
        draft.notes.add(
            "AUTO_START was not 1: autoStart is false (not started at boot), but berth keeps the"
                + " container running; say state: stopped to keep it down");
      }
      spec.put("image", Map.of("nixos", Map.of("file", "nix/" + name + ".nix")));
      privateUsers(spec);
      String flags = value("EXTRA_NSPAWN_FLAGS");
      if (!flags.isBlank()) {
        NspawnFlags.add(draft, line("EXTRA_NSPAWN_FLAGS"), flags);
      }
      Map<String, Object> network = network();
      if (network != null) {
        spec.put("network", network);
      } else if (draft.resolvConf != null) {
        draft.raw("Exec", "ResolvConf", draft.resolvConf);
      }
      if (!draft.bindMounts.isEmpty()) {
        spec.put("bindMounts", draft.bindMounts);
      }
      if (draft.ephemeral != null) {
        spec.put("ephemeral", draft.ephemeral);
      }
      spec.put("privateUsers", draft.privateUsers);
      if (!draft.capabilities.isEmpty()) {
        spec.put("capabilities", draft.capabilities);
      }
      if (!draft.raw.isEmpty()) {
        spec.put("nspawn", draft.raw);
      }
      if (entries.containsKey("NETWORK_NAMESPACE_PATH")) {
        draft.warn(
            line("NETWORK_NAMESPACE_PATH"),
            "NETWORK_NAMESPACE_PATH has no .nspawn setting (only the command line"
                + " --network-namespace-path= has); not migrated");
      }
      nixFiles();
      draft.warnings.sort(java.util.Comparator.comparingInt(Finding::line));

      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("apiVersion", CrdSchemas.API_VERSION);
      manifest.put("kind", "Container");
      manifest.put("metadata", Map.of("name", name));
      manifest.put("spec", spec);
      String manifestPath = name + ".yaml";
      Map<String, String> ordered = new LinkedHashMap<>();
      ordered.put(manifestPath, ManifestYaml.write(comments(), manifest));
      ordered.putAll(files);
      return new MigratedContainer(
          name,
          conf.source(),
          manifestPath,
          ordered,
          List.copyOf(draft.warnings),
          List.copyOf(draft.notes),
          List.copyOf(todo));
    }

    private void privateUsers(Map<String, Object> spec) {
      String value = value("PRIVATE_USERS");
      // Absent (older modules) or "no": no user namespace. It must be said, since nspawn@.service
      // would otherwise pick a range and shift the ownership of the whole tree.
      if (value.isEmpty() || value.equals("no")) {
        draft.privateUsers = "no";
      } else if (value.equals("pick") || value.equals("identity") || value.matches("\\d{1,10}")) {
        draft.privateUsers = NspawnFlags.privateUsers(value);
      } else {
        draft.warn(
            line("PRIVATE_USERS"),
            "PRIVATE_USERS=" + value + " is not no, identity, pick or a UID; \"no\" is used");
        draft.privateUsers = "no";
      }
    }

    /** The network, or null for the host's. */
    private Map<String, Object> network() {
      String bridge = value("HOST_BRIDGE");
      List<String> macvlans = words(value("MACVLANS"));
      List<String> interfaces = words(value("INTERFACES"));
      FamilyAddresses.Written host4 = address("HOST_ADDRESS", true);
      FamilyAddresses.Written local4 = address("LOCAL_ADDRESS", true);
      FamilyAddresses.Written host6 = address("HOST_ADDRESS6", false);
      FamilyAddresses.Written local6 = address("LOCAL_ADDRESS6", false);
      String mac = value("LOCAL_MAC_ADDRESS");
      if (!bridge.isEmpty() && !Names.isInterfaceName(bridge)) {
        draft.warn(line("HOST_BRIDGE"), "HOST_BRIDGE \"" + bridge + "\" is not an interface name");
        bridge = "";
      }
      String ports = value("HOST_PORT");
      if (!ports.isBlank()) {
        PortForwards.add(draft, line("HOST_PORT"), ports);
      }
      draft.macvlan.addAll(0, interfaceNames("MACVLANS", macvlans));
      boolean anyAddress = host4 != null || local4 != null || host6 != null || local6 != null;
      boolean veth = anyAddress || !bridge.isEmpty() || !mac.isEmpty();
      boolean isPrivate =
          value("PRIVATE_NETWORK").equals("1")
              || veth
              || draft.privateNetwork
              || !draft.macvlan.isEmpty()
              || !interfaces.isEmpty();
      for (String iface : interfaceNames("INTERFACES", interfaces)) {
        draft.raw("Network", "Interface", iface);
      }
      resolvConf();
      if (!isPrivate) {
        if (!draft.forwardPorts.isEmpty()) {
          draft.warn(
              line("HOST_PORT"),
              "port forwards need a private network, and PRIVATE_NETWORK is not 1; not migrated");
        }
        return null;
      }
      Map<String, Object> network = new LinkedHashMap<>();
      if (!bridge.isEmpty()) {
        network.put("bridge", bridge);
      }
      boolean onBridge = !bridge.isEmpty();
      family(network, "v4", FamilyAddresses.of(local4, host4, onBridge), onBridge);
      family(network, "v6", FamilyAddresses.of(local6, host6, onBridge), onBridge);
      if (!draft.forwardPorts.isEmpty()) {
        network.put("forwardPorts", draft.forwardPorts);
      }
      if (!draft.macvlan.isEmpty()) {
        network.put("macvlan", draft.macvlan);
      }
      if (!draft.ipvlan.isEmpty()) {
        network.put("ipvlan", draft.ipvlan);
      }
      if (draft.resolvConf != null) {
        network.put("resolvConf", draft.resolvConf);
      }
      if (!mac.isEmpty()) {
        if (mac.matches("^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")) {
          nix.mac(mac);
        } else {
          draft.warn(line("LOCAL_MAC_ADDRESS"), "\"" + mac + "\" is not a MAC address");
        }
      }
      boolean getsVeth = veth || !draft.forwardPorts.isEmpty();
      if (!getsVeth && draft.macvlan.isEmpty() && draft.ipvlan.isEmpty()) {
        // The old module gave such a container no veth at all: loopback and moved interfaces.
        draft.raw("Network", "VirtualEthernet", "no");
        draft.notes.add(
            "PRIVATE_NETWORK=1 without addresses or a bridge: no veth, as before"
                + " (VirtualEthernet=no)");
      }
      return network;
    }

    private void family(
        Map<String, Object> network, String key, FamilyAddresses family, boolean onBridge) {
      if (family.isEmpty()) {
        return;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      Map<String, Object> addresses = new LinkedHashMap<>();
      if (!family.containerPool().isEmpty()) {
        addresses.put("containerPool", family.containerPool());
      }
      if (!family.hostAddresses().isEmpty()) {
        addresses.put("hostAddresses", family.hostAddresses());
      }
      if (!addresses.isEmpty()) {
        out.put("static", addresses);
      }
      if (family.gateway() != null) {
        out.put("gateway", family.gateway());
      }
      if (!onBridge && key.equals("v4") && !family.hostAddresses().isEmpty()) {
        // The old module never masqueraded; hosts did it with networking.nat if they wanted.
        out.put("nat", false);
      }
      network.put(key, out);
      family.containerPool().forEach(nix::address);
      if (family.gateway() != null) {
        nix.gateway(family.gateway());
      } else if (!family.hostAddresses().isEmpty() && !family.containerPool().isEmpty()) {
        nix.gateway(Cidr.hostPart(family.hostAddresses().get(0)));
      }
      if (family.note() != null) {
        draft.notes.add(family.note());
      }
    }

    private void resolvConf() {
      if (draft.resolvConf != null || !entries.containsKey("COPY_RESOLV_CONF")) {
        return;
      }
      String value = value("COPY_RESOLV_CONF");
      if (value.equals("1")) {
        draft.resolvConf = "copy-host";
      } else if (value.equals("0")) {
        draft.resolvConf = "off";
      } else {
        draft.warn(line("COPY_RESOLV_CONF"), "COPY_RESOLV_CONF=" + value + " is not 0 or 1");
      }
    }

    private void nixFiles() {
      String name = conf.name();
      String nixPath = "nix/" + name + ".nix";
      if (entries.containsKey("FLAKE") && !value("FLAKE").isBlank()) {
        String flake = value("FLAKE");
        String attr = "container";
        int hash = flake.lastIndexOf('#');
        if (hash > 0) {
          attr = flake.substring(hash + 1);
          flake = flake.substring(0, hash);
        }
        files.put(nixPath, nix.fromFlake(conf.source(), flake, attr));
        draft.notes.add(
            "built from the flake "
                + flake
                + "#"
                + attr
                + "; "
                + nixPath
                + " evaluates it with builtins.getFlake");
        return;
      }
      String modulePath = "nix/" + name + "-configuration.nix";
      String origin;
      if (conf.configurationNix() != null) {
        files.put(
            modulePath,
            "# Copied by `berth migrate` from "
                + conf.configurationNixSource()
                + ".\n"
                + conf.configurationNix());
        origin = "The container's configuration is " + name + "-configuration.nix, its old one.";
      } else {
        String system = value("SYSTEM_PATH");
        origin =
            "Supply "
                + name
                + "-configuration.nix: the NixOS module of containers."
                + name
                + ".config in the host's configuration"
                + (system.isEmpty() ? "." : " (it last built " + system + ").");
        todo.add(
            "write "
                + modulePath
                + ": the module that containers."
                + name
                + ".config held in the host's NixOS configuration ({ config, pkgs, lib, ... }:"
                + " { ... })");
      }
      files.put(nixPath, nix.fromModule(conf.source(), "./" + name + "-configuration.nix", origin));
    }

    private List<String> comments() {
      List<String> out = new ArrayList<>();
      out.add("Migrated by `berth migrate` from " + conf.source() + " (nixos-container).");
      out.add(
          "State: "
              + conf.stateFrom()
              + " moves to "
              + conf.stateTo()
              + " (berth migrate --move, with the container stopped).");
      for (String note : draft.notes) {
        out.add("Note: " + note + ".");
      }
      for (Finding warning : draft.warnings) {
        out.add("Warning: " + warning + ".");
      }
      for (String item : todo) {
        out.add("To do: " + item + ".");
      }
      return out;
    }

    private FamilyAddresses.Written address(String key, boolean v4) {
      String text = value(key);
      if (text.isEmpty()) {
        return null;
      }
      Optional<Cidr> cidr = Cidr.parse(text, false);
      if (cidr.isEmpty() || cidr.get().isV4() != v4) {
        draft.warn(
            line(key),
            key + "=" + text + " is not an IP" + (v4 ? "v4" : "v6") + " address; not migrated");
        return null;
      }
      return new FamilyAddresses.Written(cidr.get(), text.contains("/"), text);
    }

    private List<String> interfaceNames(String key, List<String> names) {
      List<String> out = new ArrayList<>();
      for (String iface : names) {
        if (Names.isInterfaceName(iface)) {
          out.add(iface);
        } else {
          draft.warn(line(key), key + ": \"" + iface + "\" is not an interface name; not migrated");
        }
      }
      return out;
    }

    private String value(String key) {
      ConfEntry entry = entries.get(key);
      return entry == null ? "" : entry.value().strip();
    }

    private int line(String key) {
      ConfEntry entry = entries.get(key);
      return entry == null ? 0 : entry.line();
    }
  }

  private static List<String> words(String value) {
    List<String> out = new ArrayList<>();
    for (String word : value.strip().split("\\s+")) {
      if (!word.isEmpty()) {
        out.add(word);
      }
    }
    return out;
  }
}
