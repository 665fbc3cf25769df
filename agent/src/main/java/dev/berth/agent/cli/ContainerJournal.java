package dev.berth.agent.cli;

import dev.berth.agent.files.JsonInventoryStore;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a name is a container on this host, and which journal entries are its: those of its unit
 * {@code systemd-nspawn@NAME.service} (the container's console, systemd's own lines about it) and,
 * where the container's journal is linked into the host's {@code /var/log/journal/MACHINE-ID}
 * (nspawn's {@code LinkJournal=}: berth's NixOS containers say {@code guest}, the unit's default is
 * {@code try-guest}), those the guest wrote itself. The answer is journalctl's arguments.
 */
final class ContainerJournal {
  private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-f]{32}");

  /** Where machined records a running machine, with its {@code ID=} (systemd's machine.c). */
  private static final String MACHINED_STATE = "run/systemd/machines";

  private static final String JOURNAL_DIR = "var/log/journal";

  private final Path root;

  /**
   * @param root the host's root directory ({@code /}; a tree of its files in tests)
   */
  ContainerJournal(Path root) {
    this.root = root;
  }

  /**
   * Whether {@code name} is a container on this host: berth has its {@code .nspawn} file, its tree
   * in /var/lib/machines or an entry in its inventory, or machined runs it.
   */
  boolean exists(String name) {
    return Files.exists(root.resolve(HostPaths.nspawn(name)))
        || Files.isDirectory(root.resolve(HostPaths.stateDir(name)))
        || Files.exists(root.resolve(MACHINED_STATE).resolve(name))
        || inventoried(name).isPresent();
  }

  /** {@code name}'s entry in berth's inventory, if berth made it and the inventory is readable. */
  private Optional<InventoryEntry> inventoried(String name) {
    try {
      return Optional.ofNullable(
          new JsonInventoryStore(root.resolve("var/lib/berth")).load().containers().get(name));
    } catch (IOException unreadable) {
      // Not root: the other signs in exists() are readable by anyone.
      return Optional.empty();
    }
  }

  /**
   * {@code name}'s root tree: where berth's inventory says (a directory image's own path), else its
   * state directory under /var/lib/machines.
   */
  private Path tree(String name) {
    return root.resolve(
        inventoried(name).map(InventoryEntry::stateDir).orElse(HostPaths.stateDir(name)));
  }

  /**
   * The arguments of journalctl that select {@code name}'s entries: {@code --unit=} alone, or, with
   * a linked guest journal, the same matches as {@code --unit=} spelled out (journalctl ANDs {@code
   * --unit=} with any other match) OR the guest's machine ID, over all journals.
   */
  List<String> matches(String name) {
    String unit = HostPaths.unit(name);
    Optional<String> guest = linkedGuest(name);
    if (guest.isEmpty()) {
      return List.of("--unit=" + unit);
    }
    List<String> matches = new ArrayList<>();
    matches.add("--merge");
    matches.addAll(List.of("_SYSTEMD_UNIT=" + unit, "+"));
    matches.addAll(List.of("_PID=1", "UNIT=" + unit, "+"));
    matches.addAll(List.of("_UID=0", "OBJECT_SYSTEMD_UNIT=" + unit, "+"));
    matches.add("_MACHINE_ID=" + guest.get());
    return matches;
  }

  /**
   * The guest's machine ID when its journal is linked into the host's journal directory: the ID
   * machined has for the running machine, else the one in the container's own /etc/machine-id (in
   * its root tree, {@link #tree}).
   */
  Optional<String> linkedGuest(String name) {
    Optional<String> id =
        field(root.resolve(MACHINED_STATE).resolve(name), "ID=")
            .or(() -> firstLine(tree(name).resolve("etc/machine-id")));
    return id.filter(MACHINE_ID.asMatchPredicate())
        .filter(guest -> !guest.equals(firstLine(root.resolve("etc/machine-id")).orElse("")))
        .filter(guest -> Files.isDirectory(root.resolve(JOURNAL_DIR).resolve(guest)));
  }

  private static Optional<String> field(Path file, String prefix) {
    return lines(file).stream()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()).strip())
        .findFirst();
  }

  private static Optional<String> firstLine(Path file) {
    return lines(file).stream().findFirst().map(String::strip);
  }

  private static List<String> lines(Path file) {
    try {
      // A machine ID or machined's few lines; a file much larger is not one of them.
      return Files.size(file) > 64 * 1024
          ? List.of()
          : Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException missingOrUnreadable) {
      return List.of();
    }
  }
}
