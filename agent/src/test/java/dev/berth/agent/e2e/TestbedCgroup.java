package dev.berth.agent.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cgroup of one testbed's own, a child of the caller's, in the unified hierarchy and in the
 * legacy name=systemd one (whichever are mounted).
 *
 * <p>Why: with {@code --keep-unit} and no systemd outside, nspawn puts the booted host under the
 * cgroup of whoever started it, as {@code payload/}. Testbeds started from one JVM would all get
 * the same {@code /payload} tree, and their systemd instances would manage one another's unit
 * cgroups: booting several at once, one host removed a unit's cgroup while another was starting the
 * unit there ({@code systemd-tmpfiles-setup.service} failed, and then that host's system bus was
 * missing), and every console said "Couldn't move remaining userspace processes".
 */
final class TestbedCgroup {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final Path CGROUP = Path.of("/proc/self/cgroup");

  private final List<Path> dirs;

  private TestbedCgroup(List<Path> dirs) {
    this.dirs = dirs;
  }

  /** Creates cgroup {@code name} beside the caller's in each hierarchy found. */
  static TestbedCgroup create(String name) throws IOException {
    List<String> mounts = Files.readAllLines(MOUNTINFO);
    List<String> memberships = Files.readAllLines(CGROUP);
    List<Path> dirs = new ArrayList<>();
    for (String mount : mounts) {
      // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
      String[] halves = mount.split(" - ", 2);
      String[] fields = halves[0].split(" ");
      String[] tail = halves.length == 2 ? halves[1].split(" ") : new String[0];
      if (fields.length < 5 || tail.length < 3 || !fields[3].equals("/")) {
        continue;
      }
      String prefix;
      if (tail[0].equals("cgroup2")) {
        prefix = "0::";
      } else if (tail[0].equals("cgroup") && List.of(tail[2].split(",")).contains("name=systemd")) {
        prefix = ":name=systemd:";
      } else {
        continue;
      }
      for (String line : memberships) {
        int at = prefix.equals("0::") ? (line.startsWith("0::") ? 0 : -1) : line.indexOf(prefix);
        if (at >= 0) {
          String own = line.substring(at + prefix.length());
          Path dir = Path.of(fields[4], own.substring(1), name);
          Files.createDirectories(dir);
          dirs.add(dir);
        }
      }
    }
    return new TestbedCgroup(List.copyOf(dirs));
  }

  /** {@code command} run in this cgroup: a shell moves itself there, then execs it. */
  List<String> wrap(List<String> command) {
    List<String> wrapped = new ArrayList<>();
    wrapped.add("sh");
    wrapped.add("-c");
    wrapped.add(
        "n=$0; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1/cgroup.procs\" || exit 125; shift;"
            + " n=$((n - 1)); done; exec \"$@\"");
    wrapped.add(Integer.toString(dirs.size()));
    dirs.forEach(dir -> wrapped.add(dir.toString()));
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * Removes the cgroups, deepest first, once nothing runs in them; one still in use stays (rmdir
   * refuses it).
   */
  void remove() {
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> tree = Files.walk(dir)) {
        for (Path sub :
            tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(sub);
        }
      } catch (IOException e) {
        // Busy: a process of the testbed outlived its supervisor; nothing else is touched.
      }
    }
  }
}
