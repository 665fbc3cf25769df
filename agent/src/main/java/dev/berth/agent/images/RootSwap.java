package dev.berth.agent.images;

import dev.berth.agent.files.AtomicFiles;
import dev.berth.agent.files.RootHostFiles;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.ImageIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Swaps a container's roots under /var/lib/machines by renames in one directory, each made durable
 * by an fsync of it: the staged root in (the current one kept as the previous) and back. The swap's
 * direction is saved in the {@link RootRecord} before the first rename and cleared with the last,
 * so a call after a kill between the renames finishes that swap instead of guessing from the trees
 * (mid-way, both swaps leave the same ones).
 */
final class RootSwap {
  private final Path root;
  private final RootRecords records;

  RootSwap(Path root, RootRecords records) {
    this.root = root;
    this.records = records;
  }

  /** A container's three trees. */
  record Trees(Path root, Path staged, Path previous) {}

  Trees trees(String name) {
    return new Trees(
        root.resolve(HostPaths.stateDir(name)),
        root.resolve(HostPaths.stagedRoot(name)),
        root.resolve(HostPaths.previousRoot(name)));
  }

  String swapIn(String name) throws IOException {
    Trees trees = trees(name);
    RootRecord record = unfinished(name, RootRecord.Move.BACK);
    if (record.moving() == null) {
      if (record.next() == null || !isDirectory(trees.staged())) {
        return "no staged root; the root stays as it is";
      }
      if (exists(trees.previous())) {
        record = record.withPrevious(null);
        records.write(name, record);
        deleteTree(trees.previous());
      }
      record = record.moving(RootRecord.Move.IN);
      records.write(name, record);
    }
    return completeIn(name, record);
  }

  String swapBack(String name) throws IOException {
    Trees trees = trees(name);
    RootRecord record = unfinished(name, RootRecord.Move.IN);
    if (record.moving() == null) {
      if (record.previous() == null || !isDirectory(trees.previous())) {
        throw new IOException("no previous root of " + name + " to swap back to");
      }
      if (exists(trees.staged())) {
        record = record.withNext(null);
        records.write(name, record);
        deleteTree(trees.staged());
      }
      record = record.moving(RootRecord.Move.BACK);
      records.write(name, record);
    }
    return completeBack(name, record);
  }

  String releasePrevious(String name) throws IOException {
    Trees trees = trees(name);
    RootRecord record = settled(name);
    if (!exists(trees.previous())) {
      return "";
    }
    // The record first: a tree half deleted by a kill is never swapped back.
    records.write(name, record.withPrevious(null));
    deleteTree(trees.previous());
    return "released the previous root";
  }

  /** The record once any swap a killed call left half done is finished. */
  RootRecord settled(String name) throws IOException {
    unfinished(name, RootRecord.Move.IN);
    return unfinished(name, RootRecord.Move.BACK);
  }

  /**
   * The record, after finishing the swap in direction {@code move} if a killed call left it half
   * done; a swap the other way is left to its caller, which carries it on.
   */
  private RootRecord unfinished(String name, RootRecord.Move move) throws IOException {
    RootRecord record = records.read(name);
    if (record.moving() != move) {
      return record;
    }
    if (move == RootRecord.Move.IN) {
      completeIn(name, record);
    } else {
      completeBack(name, record);
    }
    return records.read(name);
  }

  private String completeIn(String name, RootRecord record) throws IOException {
    Trees trees = trees(name);
    renameInto(trees.staged(), trees.root(), trees.previous());
    RootRecord swapped =
        new RootRecord(
            record.next(), null, record.root() == null ? RootRecord.UNKNOWN : record.root(), null);
    records.write(name, swapped);
    return "swapped in the new root ("
        + describe(swapped.root())
        + "); the old one is /"
        + HostPaths.previousRoot(name);
  }

  private String completeBack(String name, RootRecord record) throws IOException {
    Trees trees = trees(name);
    renameInto(trees.previous(), trees.root(), trees.staged());
    RootRecord back =
        new RootRecord(
            record.previous() == null ? RootRecord.UNKNOWN : record.previous(), null, null, null);
    records.write(name, back);
    // The replaced root is no staged image (the record names none): it goes.
    deleteTree(trees.staged());
    return "swapped the previous root back in (" + describe(back.root()) + ")";
  }

  /**
   * {@code from} becomes {@code to}, and what was {@code to} becomes {@code aside}; repeatable from
   * any point: a missing {@code to} means the first rename happened.
   */
  private static void renameInto(Path from, Path to, Path aside) throws IOException {
    if (exists(from)) {
      if (exists(to)) {
        Files.move(to, aside, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(to.getParent());
      }
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
    AtomicFiles.syncDirectory(to.getParent());
  }

  static String describe(String image) {
    return image == null || image.equals(RootRecord.UNKNOWN)
        ? "image not recorded"
        : ImageIdentity.sha256(image);
  }

  static void deleteTree(Path tree) throws IOException {
    if (exists(tree)) {
      new RootHostFiles(tree.getParent()).deleteTree(tree.getFileName().toString());
    }
  }

  private static boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean isDirectory(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }
}
