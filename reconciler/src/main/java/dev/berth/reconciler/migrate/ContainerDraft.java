package dev.berth.reconciler.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of a Container spec that several old settings contribute to, while they are read. */
final class ContainerDraft {
  final String file;
  final List<Finding> warnings = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  final List<Map<String, Object>> bindMounts = new ArrayList<>();
  final List<String> capabilities = new ArrayList<>();
  final List<String> macvlan = new ArrayList<>();
  final List<String> ipvlan = new ArrayList<>();
  final List<Map<String, Object>> forwardPorts = new ArrayList<>();
  final Map<String, Map<String, List<String>>> raw = new LinkedHashMap<>();
  Object privateUsers;
  Boolean ephemeral;
  String resolvConf;
  boolean privateNetwork;

  ContainerDraft(String file) {
    this.file = file;
  }

  void warn(int line, String message) {
    warnings.add(new Finding(file, line, message));
  }

  /** A raw .nspawn setting; values of one setting accumulate, as repeated lines would. */
  void raw(String section, String key, String value) {
    raw.computeIfAbsent(section, s -> new LinkedHashMap<>())
        .computeIfAbsent(key, k -> new ArrayList<>())
        .add(value);
  }
}
