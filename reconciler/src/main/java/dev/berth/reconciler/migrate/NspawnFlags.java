package dev.berth.reconciler.migrate;

import dev.berth.reconciler.validate.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code EXTRA_NSPAWN_FLAGS}: the module's bind mounts ({@code --bind=HOST:CONTAINER}, {@code
 * --bind-ro=}) and the user's {@code extraFlags}, as the start script passes them (split at
 * whitespace). Each flag becomes a Container field where one fits, the equal raw {@code .nspawn}
 * setting where not, and a warning where {@code .nspawn} has no equal.
 */
final class NspawnFlags {
  private static final Pattern CAPABILITY = Pattern.compile("^CAP_[A-Z_]+$");

  /** Flags that are one raw setting each: flag name to section and setting. */
  private static final Map<String, String[]> RAW = new LinkedHashMap<>();

  static {
    RAW.put("tmpfs", new String[] {"Files", "TemporaryFileSystem"});
    RAW.put("overlay", new String[] {"Files", "Overlay"});
    RAW.put("overlay-ro", new String[] {"Files", "OverlayReadOnly"});
    RAW.put("inaccessible", new String[] {"Files", "Inaccessible"});
    RAW.put("private-users-ownership", new String[] {"Files", "PrivateUsersOwnership"});
    RAW.put("drop-capability", new String[] {"Exec", "DropCapability"});
    RAW.put("ambient-capability", new String[] {"Exec", "AmbientCapability"});
    RAW.put("setenv", new String[] {"Exec", "Environment"});
    RAW.put("timezone", new String[] {"Exec", "Timezone"});
    RAW.put("link-journal", new String[] {"Exec", "LinkJournal"});
    RAW.put("personality", new String[] {"Exec", "Personality"});
    RAW.put("hostname", new String[] {"Exec", "Hostname"});
    RAW.put("no-new-privileges", new String[] {"Exec", "NoNewPrivileges"});
    RAW.put("system-call-filter", new String[] {"Exec", "SystemCallFilter"});
    RAW.put("kill-signal", new String[] {"Exec", "KillSignal"});
    RAW.put("oom-score-adjust", new String[] {"Exec", "OOMScoreAdjust"});
    RAW.put("cpu-affinity", new String[] {"Exec", "CPUAffinity"});
    RAW.put("network-interface", new String[] {"Network", "Interface"});
    RAW.put("network-veth-extra", new String[] {"Network", "VirtualEthernetExtra"});
  }

  /** Flags that take a value (for the {@code --flag VALUE} spelling). */
  private static final List<String> WITH_VALUE =
      List.of(
          "bind",
          "bind-ro",
          "capability",
          "private-users",
          "network-macvlan",
          "network-ipvlan",
          "port",
          "resolv-conf");

  private NspawnFlags() {}

  static void add(ContainerDraft draft, int line, String flags) {
    List<String> tokens = new ArrayList<>();
    for (String token : flags.strip().split("\\s+")) {
      if (!token.isEmpty()) {
        tokens.add(token);
      }
    }
    for (int i = 0; i < tokens.size(); i++) {
      String token = expandShort(tokens.get(i));
      if (!token.startsWith("--")) {
        draft.warn(line, "EXTRA_NSPAWN_FLAGS: \"" + token + "\" is not a flag; not migrated");
        continue;
      }
      int equals = token.indexOf('=');
      String name = equals < 0 ? token.substring(2) : token.substring(2, equals);
      String value = equals < 0 ? null : token.substring(equals + 1);
      boolean takesValue = WITH_VALUE.contains(name) || RAW.containsKey(name);
      if (value == null
          && takesValue
          && i + 1 < tokens.size()
          && !tokens.get(i + 1).startsWith("-")) {
        value = tokens.get(++i);
      }
      if (value == null && takesValue) {
        draft.warn(line, "EXTRA_NSPAWN_FLAGS: " + token + " has no value; not migrated");
        continue;
      }
      flag(draft, line, name, value, token);
    }
  }

  private static void flag(
      ContainerDraft draft, int line, String name, String value, String token) {
    switch (name) {
      case "bind" -> bind(draft, line, value, false);
      case "bind-ro" -> bind(draft, line, value, true);
      case "capability" -> capabilities(draft, value);
      case "private-users" -> draft.privateUsers = privateUsers(value);
      case "network-macvlan" -> link(draft, line, token, value, draft.macvlan);
      case "network-ipvlan" -> link(draft, line, token, value, draft.ipvlan);
      case "port" -> PortForwards.add(draft, line, value);
      case "resolv-conf" -> draft.resolvConf = value;
      case "ephemeral" -> draft.ephemeral = true;
      case "read-only" -> draft.raw("Files", "ReadOnly", "yes");
      default -> {
        String[] setting = RAW.get(name);
        if (setting == null) {
          draft.warn(
              line,
              "EXTRA_NSPAWN_FLAGS: "
                  + token
                  + " has no .nspawn setting berth could write; not migrated"
                  + " (see systemd.nspawn(5) for an equal, and add it under spec.nspawn)");
        } else {
          draft.raw(setting[0], setting[1], value);
        }
      }
    }
  }

  private static void link(
      ContainerDraft draft, int line, String token, String iface, List<String> links) {
    if (Names.isInterfaceName(iface)) {
      links.add(iface);
      draft.privateNetwork = true;
    } else {
      draft.warn(
          line, "EXTRA_NSPAWN_FLAGS: " + token + " does not name an interface; not migrated");
    }
  }

  /** {@code --bind=SRC[:DST[:OPTIONS]]}; what berth's bindMounts cannot say stays a raw Bind=. */
  private static void bind(ContainerDraft draft, int line, String spec, boolean readOnly) {
    String[] parts = spec.split(":", -1);
    String host = parts[0];
    String container = parts.length > 1 ? parts[1] : host;
    boolean plain =
        parts.length <= 2 && !spec.contains("\\") && plainPath(host) && plainPath(container);
    if (!plain) {
      draft.raw("Files", readOnly ? "BindReadOnly" : "Bind", spec);
      draft.notes.add(
          "bind mount "
              + spec
              + " has options or paths that bindMounts cannot say; kept as a raw "
              + (readOnly ? "BindReadOnly=" : "Bind=")
              + " setting");
      return;
    }
    Map<String, Object> mount = new LinkedHashMap<>();
    mount.put("hostPath", host);
    if (!container.equals(host)) {
      mount.put("containerPath", container);
    }
    if (readOnly) {
      mount.put("readOnly", true);
    }
    draft.bindMounts.add(mount);
  }

  private static boolean plainPath(String path) {
    return path.startsWith("/") && !path.contains("/../") && !path.endsWith("/..");
  }

  private static void capabilities(ContainerDraft draft, String value) {
    for (String capability : value.split(",")) {
      if (CAPABILITY.matcher(capability).matches()) {
        draft.capabilities.add(capability);
      } else if (!capability.isEmpty()) {
        draft.raw("Exec", "Capability", capability);
      }
    }
  }

  static Object privateUsers(String value) {
    return value.matches("\\d{1,10}") ? (Object) Long.parseLong(value) : value;
  }

  private static String expandShort(String token) {
    return switch (token) {
      case "-x" -> "--ephemeral";
      case "-U" -> "--private-users=pick";
      case "-p" -> "--port";
      case "-E" -> "--setenv";
      default -> token;
    };
  }
}
