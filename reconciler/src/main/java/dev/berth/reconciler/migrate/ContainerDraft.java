package dev.berth.reconciler.migrate;

import java.util.ArrayList;
import java.util.Iterator;
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

  /**
   * A raw {@code Bind=} or {@code BindReadOnly=} replaces what berth generates for that key
   * (NspawnRenderer): the bindMounts of that kind and, read-only, RFC 0108's {@code /nix/store},
   * without which the NixOS system cannot start. Where the draft has such a raw key, they join it,
   * so that the container keeps every bind it had.
   */
  void keepGeneratedBindsBesideRawOnes(String nixStore) {
    Map<String, List<String>> files = raw.get("Files");
    if (files == null) {
      return;
    }
    List<String> readOnly = files.get("BindReadOnly");
    if (readOnly != null) {
      readOnly.add(0, nixStore);
      moveBindMounts(readOnly, true);
    }
    List<String> writable = files.get("Bind");
    if (writable != null) {
      moveBindMounts(writable, false);
    }
  }

  private void moveBindMounts(List<String> into, boolean readOnly) {
    for (Iterator<Map<String, Object>> it = bindMounts.iterator(); it.hasNext(); ) {
      Map<String, Object> mount = it.next();
      if (Boolean.TRUE.equals(mount.get("readOnly")) == readOnly) {
        Object container = mount.get("containerPath");
        into.add(mount.get("hostPath") + (container == null ? "" : ":" + container));
        it.remove();
      }
    }
  }

  /** A raw .nspawn setting; values of one setting accumulate, as repeated lines would. */
  void raw(String section, String key, String value) {
    raw.computeIfAbsent(section, s -> new LinkedHashMap<>())
        .computeIfAbsent(key, k -> new ArrayList<>())
        .add(value);
  }
}
