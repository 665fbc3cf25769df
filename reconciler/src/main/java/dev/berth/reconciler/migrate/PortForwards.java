package dev.berth.reconciler.migrate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code HOST_PORT} and {@code --port=}: systemd-nspawn's {@code
 * [PROTOCOL:]HOSTPORT[:CONTAINERPORT]}. The module writes them comma-separated ({@code
 * tcp:8080:80,udp:53:53}); {@code nixos-container create --port} passed its argument through as it
 * was.
 */
final class PortForwards {
  private static final Pattern PORT =
      Pattern.compile("^(?:(tcp|udp):)?(\\d{1,5})(?::(\\d{1,5}))?$");

  private PortForwards() {}

  static void add(ContainerDraft draft, int line, String value) {
    for (String item : value.split("[,\\s]+")) {
      if (item.isEmpty()) {
        continue;
      }
      Matcher m = PORT.matcher(item);
      int host = m.matches() ? Integer.parseInt(m.group(2)) : 0;
      int container = m.matches() && m.group(3) != null ? Integer.parseInt(m.group(3)) : host;
      if (!m.matches() || !valid(host) || !valid(container)) {
        draft.warn(
            line,
            "port forward \""
                + item
                + "\" is not [tcp|udp:]HOSTPORT[:CONTAINERPORT] with ports 1-65535; not migrated");
        continue;
      }
      Map<String, Object> port = new LinkedHashMap<>();
      port.put("protocol", m.group(1) == null ? "tcp" : m.group(1));
      port.put("hostPort", host);
      port.put("containerPort", container);
      draft.forwardPorts.add(port);
    }
  }

  private static boolean valid(int port) {
    return port >= 1 && port <= 65535;
  }
}
