package dev.berth.reconciler.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * The Nix file that a migrated container's {@code image.nixos} names: it builds a NixOS toplevel
 * (as the examples do, with {@code eval-config.nix}) from the container's own configuration plus
 * what the old {@code container-init} script did from the environment: the addresses and gateways
 * it put on {@code eth0}, which is {@code host0} under {@code systemd-nspawn@.service}, now set by
 * networkd (RFC 0108's migration plan).
 */
final class NixSystem {
  private final String name;
  private final List<String> addresses = new ArrayList<>();
  private final List<String> gateways = new ArrayList<>();
  private String mac;

  NixSystem(String name) {
    this.name = name;
  }

  void address(String cidr) {
    addresses.add(cidr);
  }

  void gateway(String address) {
    gateways.add(address);
  }

  /** The MAC address container-init gave eth0 ({@code LOCAL_MAC_ADDRESS}). */
  void mac(String address) {
    mac = address;
  }

  /** A system whose configuration is the module file {@code module}, relative to this file. */
  String fromModule(String source, String module, String origin) {
    StringBuilder out = new StringBuilder();
    out.append("# The NixOS system of container ").append(name);
    out.append(", written by `berth migrate` from ").append(comment(source)).append(".\n");
    out.append("# ").append(comment(origin)).append('\n');
    out.append("{ pkgs ? import <nixpkgs> { } }:\n");
    out.append("(import <nixpkgs/nixos/lib/eval-config.nix> {\n");
    out.append("  modules = [\n");
    out.append("    ").append(module).append('\n');
    out.append(migrationModule("    "));
    out.append("  ];\n");
    out.append("}).config.system.build.toplevel\n");
    return out.toString();
  }

  /** A system from a flake's {@code nixosConfigurations.ATTR}, extended by the migration module. */
  String fromFlake(String source, String flake, String attr) {
    StringBuilder out = new StringBuilder();
    out.append("# The NixOS system of container ").append(name);
    out.append(", written by `berth migrate` from ").append(comment(source)).append(".\n");
    out.append("# The old container was built from the flake ").append(comment(flake));
    out.append(" (nixosConfigurations.").append(comment(attr)).append(");\n");
    out.append("# building this needs the nix-command and flakes features.\n");
    out.append("{ }:\n");
    out.append("((builtins.getFlake ").append(string(flake)).append(").nixosConfigurations.");
    out.append(string(attr)).append(".extendModules {\n");
    out.append("  modules = [\n");
    out.append(migrationModule("    "));
    out.append("  ];\n");
    out.append("}).config.system.build.toplevel\n");
    return out.toString();
  }

  private String migrationModule(String indent) {
    StringBuilder out = new StringBuilder();
    out.append(indent).append("({ lib, ... }: {\n");
    String body = indent + "  ";
    out.append(body).append("boot.isContainer = true;\n");
    out.append(body).append("networking.hostName = lib.mkDefault ").append(string(name));
    out.append(";\n");
    out.append(body).append("networking.useDHCP = false;\n");
    if (!addresses.isEmpty() || !gateways.isEmpty() || mac != null) {
      out.append(body)
          .append("# What container-init set on eth0; it is host0 now, and networkd's.\n");
      out.append(body).append("networking.useNetworkd = true;\n");
      out.append(body).append("systemd.network.networks.\"20-host0\" = {\n");
      out.append(body).append("  matchConfig.Name = \"host0\";\n");
      if (!addresses.isEmpty()) {
        out.append(body).append("  address = ").append(list(addresses)).append(";\n");
      }
      if (!gateways.isEmpty()) {
        out.append(body).append("  gateway = ").append(list(gateways)).append(";\n");
      }
      if (mac != null) {
        out.append(body).append("  linkConfig.MACAddress = ").append(string(mac)).append(";\n");
      }
      out.append(body).append("};\n");
    }
    out.append(indent).append("})\n");
    return out.toString();
  }

  private static String list(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (String value : values) {
      out.append(' ').append(string(value));
    }
    return out.append(" ]").toString();
  }

  /**
   * A Nix string literal. Nix has escapes for newline, carriage return and tab only; any other
   * control character is refused (the migrator refuses a configuration that holds one first).
   */
  static String string(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '$' -> out.append(value.startsWith("{", i + 1) ? "\\$" : "$");
        default -> {
          if (OneLine.unsafe(c)) {
            throw new IllegalArgumentException(
                "a Nix string cannot hold the control character " + OneLine.escape(c));
          }
          out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }

  /** Text inside a Nix comment, which a carriage return or a newline would end. */
  private static String comment(String text) {
    return OneLine.escaped(text);
  }
}
