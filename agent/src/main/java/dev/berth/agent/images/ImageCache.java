package dev.berth.agent.images;

import dev.berth.agent.files.AtomicFiles;
import dev.berth.reconciler.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The garbage collection of the tarball cache ({@code /var/lib/berth/images/SHA256.tar}): a tarball
 * stays while a root on the host holds it (a current, staged or previous root that exists, by its
 * {@link RootRecord}) or a desired container needs it. It goes by the records on the host, not by
 * one pass's view of the containers, so that the pass over Git's containers never deletes what an
 * imperative container holds, or the other way round.
 */
final class ImageCache {
  private static final Pattern TARBALL = Pattern.compile("[0-9a-f]{64}\\.tar");

  private final Path dir;
  private final RootRecords records;
  private final RootSwap swap;

  ImageCache(Path dir, RootRecords records, RootSwap swap) {
    this.dir = dir;
    this.records = records;
    this.swap = swap;
  }

  /** Deletes the unused tarballs; says which, or nothing when none went. */
  String collect(List<Container> desired) throws IOException {
    if (!Files.isDirectory(dir)) {
      return "";
    }
    Set<String> used = new HashSet<>();
    for (Container container : desired) {
      if (container.spec().image().tarball() != null) {
        used.add(container.spec().image().tarball().sha256());
      }
    }
    for (String name : records.names()) {
      RootSwap.Trees trees = swap.trees(name);
      RootRecord record = records.read(name);
      boolean held =
          holds(trees.root(), record.root(), used)
              | holds(trees.staged(), record.next(), used)
              | holds(trees.previous(), record.previous(), used);
      if (!held) {
        records.delete(name); // its trees are gone: the container was removed with its state
      }
    }
    List<String> deleted = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String fileName = file.getFileName().toString();
        if (TARBALL.matcher(fileName).matches()
            && !used.contains(fileName.substring(0, 64))
            && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(file);
          deleted.add(RootSwap.describe(fileName.substring(0, 64)));
        }
      }
    }
    if (deleted.isEmpty()) {
      return "";
    }
    AtomicFiles.syncDirectory(dir);
    return "image cache: deleted "
        + String.join(", ", deleted)
        + " (no root on this host holds "
        + (deleted.size() == 1 ? "it" : "them")
        + " any more)";
  }

  /** Whether {@code tree} exists; if so, the image it holds is in use. */
  private static boolean holds(Path tree, String image, Set<String> used) {
    if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (image != null) {
      used.add(image);
    }
    return true;
  }
}
