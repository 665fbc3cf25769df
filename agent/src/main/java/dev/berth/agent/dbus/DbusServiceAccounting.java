package dev.berth.agent.dbus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.interfaces.Properties;

/**
 * What systemd accounts of a service unit (memory, CPU time, tasks, IP traffic, and whether it
 * accounts IP traffic at all): properties of its {@code org.freedesktop.systemd1.Service}
 * interface, one {@code Get} each, all sent before the first answer is awaited, over berth's one
 * bus connection. The unit's path is computed, not looked up, so that a unit systemd has not loaded
 * costs no failure: systemd loads it to answer, and an inactive unit accounts nothing.
 */
public final class DbusServiceAccounting {
  private static final String SERVICE = "org.freedesktop.systemd1.Service";

  private final SystemBus bus;

  public DbusServiceAccounting(SystemBus bus) {
    this.bus = bus;
  }

  /**
   * The named unsigned 64-bit properties of {@code unit}, each in a long's 64 bits (UINT64_MAX,
   * systemd's "not accounted", is -1), and its named boolean ones as 1 or 0; a {@link
   * dev.berth.reconciler.host.RuntimeFailure} when the bus or systemd answers with an error.
   */
  public Map<String, Long> read(String unit, List<String> properties) {
    String what = "read the accounting of " + unit;
    Properties object =
        SystemBus.call(
            what, () -> bus.properties(Systemd1Manager.BUS_NAME, UnitObjectPath.of(unit)));
    List<Object[]> gets = properties.stream().map(p -> new Object[] {SERVICE, p}).toList();
    List<Object> answers = bus.callAll(what, object, "Get", gets);
    Map<String, Long> values = new LinkedHashMap<>();
    for (int i = 0; i < properties.size(); i++) {
      if (answers.get(i) instanceof Number number) {
        values.put(properties.get(i), number.longValue());
      } else if (answers.get(i) instanceof Boolean on) {
        values.put(properties.get(i), on ? 1L : 0L);
      }
    }
    return values;
  }
}
