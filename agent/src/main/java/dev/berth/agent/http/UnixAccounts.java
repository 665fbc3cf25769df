package dev.berth.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The user and group databases ({@code /etc/passwd}, {@code /etc/group}), read fresh for each
 * question so that a membership given or taken counts at once.
 */
final class UnixAccounts {
  /** Both files are tables of short lines; beyond this they are not read at all. */
  static final int MAX_FILE = 4 * 1024 * 1024;

  private final Map<String, Integer> uids;
  private final Map<String, Integer> gids;
  private final Map<String, Set<String>> members;

  private UnixAccounts(
      Map<String, Integer> uids, Map<String, Integer> gids, Map<String, Set<String>> members) {
    this.uids = uids;
    this.gids = gids;
    this.members = members;
  }

  /** Reads {@code etc/passwd} and {@code etc/group}; a missing file counts as empty. */
  static UnixAccounts read(Path etc) throws IOException {
    Map<String, Integer> uids = new HashMap<>();
    for (String[] fields : table(etc.resolve("passwd"))) {
      if (fields.length >= 3) {
        number(fields[2]).ifPresent(uid -> uids.putIfAbsent(fields[0], uid));
      }
    }
    Map<String, Integer> gids = new HashMap<>();
    Map<String, Set<String>> members = new HashMap<>();
    for (String[] fields : table(etc.resolve("group"))) {
      if (fields.length >= 3) {
        number(fields[2]).ifPresent(gid -> gids.putIfAbsent(fields[0], gid));
        Set<String> names = new LinkedHashSet<>();
        if (fields.length >= 4) {
          for (String name : fields[3].split(",")) {
            if (!name.isBlank()) {
              names.add(name.strip());
            }
          }
        }
        members.putIfAbsent(fields[0], names);
      }
    }
    return new UnixAccounts(uids, gids, members);
  }

  /** The uid of a user name; a name that is a number (a uid without an entry) is that number. */
  OptionalInt uid(String user) {
    Integer uid = uids.get(user);
    return uid != null ? OptionalInt.of(uid) : number(user);
  }

  /** Every group {@code user} belongs to: {@code primaryGroup} and those that list the user. */
  Set<String> groupsOf(String user, String primaryGroup) {
    Set<String> groups = new LinkedHashSet<>();
    groups.add(primaryGroup);
    members.forEach(
        (group, names) -> {
          if (names.contains(user)) {
            groups.add(group);
          }
        });
    return groups;
  }

  boolean hasGroup(String group) {
    return gids.containsKey(group);
  }

  OptionalInt gid(String group) {
    Integer gid = gids.get(group);
    return gid == null ? OptionalInt.empty() : OptionalInt.of(gid);
  }

  private static Iterable<String[]> table(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE + 1);
    } catch (NoSuchFileException e) {
      return java.util.List.of();
    }
    if (bytes.length > MAX_FILE) {
      throw new IOException(file + " is larger than " + MAX_FILE / (1024 * 1024) + " MiB");
    }
    return new String(bytes, StandardCharsets.UTF_8)
        .lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split(":", -1))
        .toList();
  }

  private static OptionalInt number(String text) {
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
      return OptionalInt.empty();
    }
    long value = Long.parseLong(text);
    return value > Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of((int) value);
  }
}
