package dev.berth.agent.images;

import dev.berth.agent.files.AtomicFiles;
import dev.berth.reconciler.apply.ImageInstaller;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Image;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Puts a new container's root in place: a tarball is fetched, checked and unpacked once into {@code
 * /var/lib/machines/NAME} (through a temporary directory, so a crash never leaves half a tree
 * there); a directory image must exist. An existing state directory is never touched.
 */
public final class HostImageInstaller implements ImageInstaller {
  private final Path root;
  private final TarballFetcher fetcher;
  private final TarUnpacker unpacker = new TarUnpacker();

  public HostImageInstaller(Path root, Path cacheDir) {
    this.root = root.toAbsolutePath().normalize();
    this.fetcher = new TarballFetcher(cacheDir);
  }

  @Override
  public String install(Container container) throws IOException {
    Image image = container.spec().image();
    if (image.directory() != null) {
      Path tree = root.resolve(image.directory().path().substring(1));
      if (!Files.isDirectory(tree)) {
        throw new IOException("directory image " + image.directory().path() + " does not exist");
      }
      return "booting the tree at " + image.directory().path();
    }
    Path stateDir = root.resolve(HostPaths.stateDir(container.name()));
    if (Files.exists(stateDir, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(stateDir)) {
      return "kept the existing state directory /" + HostPaths.stateDir(container.name());
    }
    if (image.isNixos()) {
      Skeleton.completeNixos(stateDir);
      AtomicFiles.syncDirectory(stateDir.getParent());
      return "bootstrapped /" + HostPaths.stateDir(container.name()) + " for the NixOS system";
    }
    if (image.tarball() == null) {
      throw new IOException("no installer for this image");
    }
    Path tarball = fetcher.fetch(image.tarball().url(), image.tarball().sha256());
    Path staging = stateDir.resolveSibling("." + container.name() + ".berth-unpack");
    new RootTree(staging).clear();
    TarUnpacker.Unpacked unpacked = unpacker.unpack(tarball, staging);
    Skeleton.complete(staging);
    Files.deleteIfExists(stateDir);
    Files.move(staging, stateDir, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.syncDirectory(stateDir.getParent());
    return "unpacked "
        + unpacked.entries()
        + " entries (sha256 checked)"
        + (unpacked.skippedSpecial() > 0
            ? ", skipped " + unpacked.skippedSpecial() + " device nodes"
            : "");
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** A leftover staging tree from an interrupted unpack, removed before a new one. */
  private record RootTree(Path path) {
    void clear() throws IOException {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        new dev.berth.agent.files.RootHostFiles(path.getParent())
            .deleteTree(path.getFileName().toString());
      }
    }
  }
}
