package dev.berth.agent.dbus;

import dev.berth.reconciler.model.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/** A container's cgroup limits as the unit properties systemd's D-Bus API takes. */
final class CgroupLimits {
  static final long INFINITY = -1L; // UINT64_MAX
  private static final long UINT32_MAX = 0xffff_ffffL;

  private CgroupLimits() {}

  /**
   * The unit properties of {@code resources}. Runtime properties shadow the unit's files until the
   * next boot, so every limit is always set: the manifest's value, or the default when it has none
   * ({@code templateTasksMax}: systemd-nspawn@.service's own TasksMax=, as systemd has it, read
   * only when needed).
   */
  static List<Property> properties(Resources resources, LongSupplier templateTasksMax) {
    List<Property> properties = new ArrayList<>();
    long memory = resources.memoryMax() == null ? INFINITY : bytes(resources.memoryMax());
    properties.add(new Property("MemoryMax", uint64(memory)));
    long quota = INFINITY;
    if (resources.cpuQuota() != null) {
      double percent = Double.parseDouble(resources.cpuQuota().replace("%", ""));
      quota = Math.round(percent * 10_000);
    }
    properties.add(new Property("CPUQuotaPerSecUSec", uint64(quota)));
    String tasksMax = resources.tasksMax();
    if (tasksMax != null && tasksMax.endsWith("%")) {
      properties.add(new Property("TasksMaxScale", new Variant<>(new UInt32(scale(tasksMax)))));
    } else {
      long tasks =
          tasksMax == null
              ? templateTasksMax.getAsLong()
              : tasksMax.equals("infinity") ? INFINITY : Long.parseLong(tasksMax);
      properties.add(new Property("TasksMax", uint64(tasks)));
    }
    return properties;
  }

  private static Variant<UInt64> uint64(long value) {
    return new Variant<>(new UInt64(Long.toUnsignedString(value)));
  }

  /**
   * A percentage of the host's task limit as systemd's {@code TasksMaxScale}: a fraction of 2^32-1,
   * as {@code systemctl set-property TasksMax=N%} sends it.
   */
  static long scale(String percent) {
    return new BigDecimal(percent.substring(0, percent.length() - 1))
        .multiply(BigDecimal.valueOf(UINT32_MAX))
        .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP)
        .longValueExact();
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
