package dev.berth.agent.source;

import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Every entry of one Git tree by path, with symlink targets read, so that paths resolve the way a
 * checkout would resolve them, without a checkout and without the repository once it is built.
 */
final class TreeIndex {

  /** What a tree entry is; a gitlink (submodule) is an empty directory in a checkout. */
  enum Type {
    DIRECTORY,
    FILE,
    SYMLINK
  }

  record Entry(Type type, ObjectId blob, String linkTarget, boolean executable) {
    Entry(Type type, ObjectId blob, String linkTarget) {
      this(type, blob, linkTarget, false);
    }
  }

  /** Where a path leads: its kind and, for a file, the entry at the end of any symlinks. */
  record Resolution(PathKind kind, Entry entry) {}

  // Linux refuses paths through more symlinks than this (ELOOP).
  private static final int MAX_SYMLINKS = 40;
  // A symlink target longer than PATH_MAX is not one a checkout could create.
  private static final int MAX_LINK_BYTES = 4096;

  /**
   * The entries (files, directories, symlinks) one tree may have: the index holds them all, and a
   * manifest repository, Nix files included, has a few thousand.
   */
  static final int MAX_ENTRIES = 100_000;

  // All symlink targets together: the index holds them too.
  private static final int MAX_LINK_TOTAL = 1 << 20;

  /** A tree that is not indexed: more entries, or longer symlink targets, than the bounds. */
  static final class TooLarge extends IOException {
    private final String path;

    TooLarge(String path, String message) {
      super(message);
      this.path = path;
    }

    /** The entry at which the bound was crossed. */
    String path() {
      return path;
    }
  }

  private final Map<String, Entry> entries;

  private TreeIndex(Map<String, Entry> entries) {
    this.entries = entries;
  }

  /** A tree with nothing in it. */
  static TreeIndex empty() {
    return new TreeIndex(Map.of("", new Entry(Type.DIRECTORY, null, null)));
  }

  static TreeIndex read(ObjectReader reader, ObjectId tree) throws IOException {
    return read(reader, tree, MAX_ENTRIES);
  }

  /** Throws {@link TooLarge}, before reading further, past {@code maxEntries} entries. */
  static TreeIndex read(ObjectReader reader, ObjectId tree, int maxEntries) throws IOException {
    Map<String, Entry> entries = new HashMap<>();
    entries.put("", new Entry(Type.DIRECTORY, null, null));
    long linkBytes = 0;
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      walk.setRecursive(false);
      while (walk.next()) {
        int mode = walk.getRawMode(0);
        String path = walk.getPathString();
        if (entries.size() > maxEntries) {
          throw new TooLarge(
              path,
              "the repository holds more than "
                  + maxEntries
                  + " files and directories; none is read: "
                  + YamlLimits.REMEDY);
        }
        if (FileMode.TREE.equals(mode)) {
          entries.put(path, new Entry(Type.DIRECTORY, null, null));
          walk.enterSubtree();
        } else if (FileMode.GITLINK.equals(mode)) {
          entries.put(path, new Entry(Type.DIRECTORY, null, null));
        } else if (FileMode.SYMLINK.equals(mode)) {
          String target = linkTarget(reader, walk.getObjectId(0));
          linkBytes += target == null ? 0 : target.length();
          if (linkBytes > MAX_LINK_TOTAL) {
            throw new TooLarge(
                path,
                "the repository's symlinks point at more than "
                    + MAX_LINK_TOTAL
                    + " bytes of paths together; none is read: "
                    + YamlLimits.REMEDY);
          }
          entries.put(path, new Entry(Type.SYMLINK, null, target));
        } else {
          entries.put(
              path,
              new Entry(
                  Type.FILE, walk.getObjectId(0), null, FileMode.EXECUTABLE_FILE.equals(mode)));
        }
      }
    }
    return new TreeIndex(entries);
  }

  private static String linkTarget(ObjectReader reader, ObjectId blob) throws IOException {
    if (reader.getObjectSize(blob, Constants.OBJ_BLOB) > MAX_LINK_BYTES) {
      return null; // resolves as a dangling link
    }
    return new String(reader.open(blob, Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8);
  }

  Entry entry(String path) {
    return entries.get(path);
  }

  List<String> paths() {
    return new ArrayList<>(entries.keySet());
  }

  /**
   * Resolves a path relative to the tree: {@code ..} in the path itself is lexical (as in {@code
   * Path.normalize()}); symlinks are followed while they stay inside the tree.
   */
  Resolution resolve(String relativePath) {
    if (relativePath.startsWith("/")) {
      return new Resolution(PathKind.OUTSIDE, null);
    }
    Deque<String> lexical = new ArrayDeque<>();
    for (String part : relativePath.split("/")) {
      if (part.equals("..")) {
        if (lexical.isEmpty()) {
          return new Resolution(PathKind.OUTSIDE, null);
        }
        lexical.removeLast();
      } else if (!part.isEmpty() && !part.equals(".")) {
        lexical.addLast(part);
      }
    }
    return follow(lexical);
  }

  private Resolution follow(Deque<String> remaining) {
    List<String> at = new ArrayList<>();
    int links = 0;
    while (!remaining.isEmpty()) {
      String part = remaining.removeFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (at.isEmpty()) {
          return new Resolution(PathKind.OUTSIDE, null);
        }
        at.remove(at.size() - 1);
        continue;
      }
      at.add(part);
      Entry entry = entries.get(String.join("/", at));
      if (entry == null) {
        return new Resolution(PathKind.MISSING, null);
      }
      if (entry.type() == Type.SYMLINK) {
        at.remove(at.size() - 1);
        String target = entry.linkTarget();
        if (++links > MAX_SYMLINKS || target == null || target.isEmpty()) {
          return new Resolution(PathKind.MISSING, null);
        }
        if (target.startsWith("/")) {
          return new Resolution(PathKind.OUTSIDE, null);
        }
        String[] parts = target.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
          remaining.addFirst(parts[i]);
        }
      } else if (entry.type() == Type.FILE && !remaining.isEmpty()) {
        return new Resolution(PathKind.MISSING, null); // a file used as a directory
      }
    }
    Entry end = entries.get(String.join("/", at));
    return end.type() == Type.DIRECTORY
        ? new Resolution(PathKind.DIRECTORY, end)
        : new Resolution(PathKind.FILE, end);
  }
}
