package dev.berth.agent.dbus;

import dev.berth.reconciler.model.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/** A container's cgroup limits as the unit properties systemd's D-Bus API takes. */
final class CgroupLimits {
  static final long INFINITY = -1L; // UINT64_MAX

  private CgroupLimits() {}

  /**
   * systemd-nspawn@.service's own TasksMax=, which a container without a tasksMax gets back.
   * Runtime properties shadow the unit's files until the next boot, so every limit is always set:
   * the manifest's value, or the template's default when the manifest has none.
   */
  static final long TEMPLATE_TASKS_MAX = 16384;

  static List<Property> properties(Resources resources) {
    List<Property> properties = new ArrayList<>();
    long memory = resources.memoryMax() == null ? INFINITY : bytes(resources.memoryMax());
    properties.add(
        new Property("MemoryMax", new Variant<>(new UInt64(Long.toUnsignedString(memory)))));
    long quota = INFINITY;
    if (resources.cpuQuota() != null) {
      double percent = Double.parseDouble(resources.cpuQuota().replace("%", ""));
      quota = Math.round(percent * 10_000);
    }
    properties.add(
        new Property(
            "CPUQuotaPerSecUSec", new Variant<>(new UInt64(Long.toUnsignedString(quota)))));
    String tasksMax = resources.tasksMax();
    if (tasksMax == null || !tasksMax.endsWith("%")) {
      long tasks =
          tasksMax == null
              ? TEMPLATE_TASKS_MAX
              : tasksMax.equals("infinity") ? INFINITY : Long.parseLong(tasksMax);
      properties.add(
          new Property("TasksMax", new Variant<>(new UInt64(Long.toUnsignedString(tasks)))));
    }
    return properties;
  }

  /**
   * {@code 512M}, {@code 1G}, {@code 1073741824} or {@code infinity} as bytes (1024-based, as
   * systemd).
   */
  static long bytes(String value) {
    String v = value.toUpperCase(Locale.ROOT);
    if (v.equals("INFINITY")) {
      return INFINITY;
    }
    char unit = v.charAt(v.length() - 1);
    int shift =
        switch (unit) {
          case 'K' -> 10;
          case 'M' -> 20;
          case 'G' -> 30;
          case 'T' -> 40;
          case 'P' -> 50;
          case 'E' -> 60;
          default -> 0;
        };
    String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
    return Long.parseLong(digits) << shift;
  }
}
