package dev.berth.reconciler.plan;

import dev.berth.reconciler.render.UnitFile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The settings ({@code Section.Key}) whose values differ between two unit files. */
final class SettingsDiff {
  private SettingsDiff() {}

  static Set<String> between(String installed, String desired) {
    if (installed.equals(desired)) {
      return Set.of(); // most files of most passes
    }
    Map<String, List<String>> before = UnitFile.parse(installed).settings();
    Map<String, List<String>> after = UnitFile.parse(desired).settings();
    Set<String> changed = new TreeSet<>();
    for (Map.Entry<String, List<String>> entry : after.entrySet()) {
      if (!entry.getValue().equals(before.get(entry.getKey()))) {
        changed.add(entry.getKey());
      }
    }
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        changed.add(key);
      }
    }
    return changed;
  }
}
