package dev.berth.reconciler.migrate;

import dev.berth.reconciler.render.HostPaths;
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
    Optional<Finding> control = controlCharacter(conf, parsed.entries());
    if (control.isPresent()) {
      skipped.add(control.get());
      return Optional.empty();
    }
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

  /**
   * No value of nixos-container holds a control character, and one in a comment or a string that
   * berth writes could end it and inject YAML, Nix or a unit file setting: the whole container is
   * refused, rather than one setting left out and the others (such as PRIVATE_NETWORK) kept.
   */
  private static Optional<Finding> controlCharacter(
      LegacyConf conf, Map<String, ConfEntry> entries) {
    for (ConfEntry entry : entries.values()) {
      int at = OneLine.firstUnsafe(entry.value());
      if (at >= 0) {
        return Optional.of(
            new Finding(
                conf.source(),
                entry.line(),
                entry.key()
                    + " holds the control character "
                    + OneLine.escape(entry.value().charAt(at))
                    + ", which no nixos-container setting has; not migrated (remove it from the"
                    + " file first)"));
      }
    }
    return Optional.empty();
  }

  /** The mapping of one configuration. */
  private final class Mapping {
    private final LegacyConf conf;
    private final ConfValues values;
    private final ContainerDraft draft;
    private final NixSystem nix;
    private final List<String> todo = new ArrayList<>();
    private final Map<String, String> files = new LinkedHashMap<>();

    Mapping(LegacyConf conf, Map<String, ConfEntry> entries, ContainerDraft draft) {
      this.conf = conf;
      this.values = new ConfValues(entries);
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
      draft.keepGeneratedBindsBesideRawOnes(HostPaths.NIX_STORE);
      Map<String, Object> network = new NetworkMapping(values, draft, nix).map();
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
      if (values.has("NETWORK_NAMESPACE_PATH")) {
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

    private void nixFiles() {
      String name = conf.name();
      String nixPath = "nix/" + name + ".nix";
      if (values.has("FLAKE") && !value("FLAKE").isBlank()) {
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
                + OneLine.escaped(conf.configurationNixSource())
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

    private String value(String key) {
      return values.value(key);
    }

    private int line(String key) {
      return values.line(key);
    }
  }
}
