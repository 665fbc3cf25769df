package dev.berth.agent.images;

import dev.berth.agent.files.AtomicFiles;
import dev.berth.agent.tls.TlsRefusal;
import dev.berth.reconciler.apply.ImageInstaller;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Image;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts containers' roots in place. A new container's: a tarball is fetched, checked and unpacked
 * once into {@code /var/lib/machines/NAME} (through a temporary directory, so a crash never leaves
 * half a tree there); a directory image must exist; an existing state directory is never touched. A
 * new tarball image's: unpacked the same way into {@code .NAME.berth-next} beside the running root,
 * swapped in by renames when the unit is stopped ({@link RootSwap}). Which image each root holds is
 * recorded ({@link RootRecords}), so the cache keeps exactly the tarballs a root holds.
 */
public final class HostImageInstaller implements ImageInstaller {
  private final Path root;
  private final TarballFetcher fetcher;
  private final TarUnpacker unpacker = new TarUnpacker();
  private final RootRecords records;
  private final RootSwap swap;
  private final ImageCache cache;

  /**
   * An installer that trusts, for https tarballs, the CAs in the PEM file {@code caFile} (the
   * agent's {@code source.caFile}) besides the JVM's; null trusts the JVM's only.
   */
  public HostImageInstaller(Path root, Path cacheDir, Path caFile) {
    this(root, cacheDir, caFile, TlsRefusal.AGENT_CA_SETTING);
  }

  /**
   * As {@link #HostImageInstaller(Path, Path, Path)}, with {@code caSetting} the setting that names
   * {@code caFile} ({@code --ca-file} for the CLI), which an untrusted server's refusal points to.
   */
  public HostImageInstaller(Path root, Path cacheDir, Path caFile, String caSetting) {
    this.root = root.toAbsolutePath().normalize();
    this.fetcher = new TarballFetcher(cacheDir, caFile, caSetting);
    this.records = new RootRecords(cacheDir.resolve("roots"));
    this.swap = new RootSwap(this.root, records);
    this.cache = new ImageCache(cacheDir, records, swap);
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
      String kept = "kept the existing state directory /" + HostPaths.stateDir(container.name());
      if (image.isNixos()) {
        // A NixOS container's old state (berth migrate moved it) may lack what nspawn checks for.
        Skeleton.completeNixos(stateDir);
        return kept + ", its NixOS skeleton completed";
      }
      return kept;
    }
    if (image.isNixos()) {
      Skeleton.completeNixos(stateDir);
      AtomicFiles.syncDirectory(stateDir.getParent());
      return "bootstrapped /" + HostPaths.stateDir(container.name()) + " for the NixOS system";
    }
    if (image.tarball() == null) {
      throw new IOException("no installer for this image");
    }
    TarUnpacker.Unpacked unpacked = unpackInto(container, stateDir, true);
    records.write(container.name(), new RootRecord(image.tarball().sha256(), null, null, null));
    return "unpacked " + describe(unpacked);
  }

  @Override
  public String stage(Container container) throws IOException {
    Image.TarballImage tarball = container.spec().image().tarball();
    if (tarball == null) {
      return ""; // only an unpacked root is replaced by a new image
    }
    String name = container.name();
    String sha256 = tarball.sha256();
    RootSwap.Trees trees = swap.trees(name);
    RootRecord record = swap.settled(name);
    boolean staged = Files.isDirectory(trees.staged(), LinkOption.NOFOLLOW_LINKS);
    if (sha256.equals(record.next()) && staged) {
      return "the new root (" + RootSwap.describe(sha256) + ") was staged already";
    }
    if (record.next() != null) {
      records.write(name, record.withNext(null));
    }
    RootSwap.deleteTree(trees.staged());
    if (sha256.equals(record.root())) {
      return "the root holds " + RootSwap.describe(sha256) + " already";
    }
    TarUnpacker.Unpacked unpacked = unpackInto(container, trees.staged(), false);
    records.write(name, records.read(name).withNext(sha256));
    return "staged the new root beside the current one: unpacked " + describe(unpacked);
  }

  @Override
  public String swapIn(String name) throws IOException {
    return swap.swapIn(name);
  }

  @Override
  public String swapBack(String name) throws IOException {
    return swap.swapBack(name);
  }

  @Override
  public String releasePrevious(String name) throws IOException {
    return swap.releasePrevious(name);
  }

  @Override
  public String collectUnused(List<Container> desired) throws IOException {
    return cache.collect(desired);
  }

  /**
   * Fetches and checks the container's tarball and unpacks it into a temporary sibling of {@code
   * target}, renamed to it once complete; {@code replace} lets an empty directory stand there.
   */
  private TarUnpacker.Unpacked unpackInto(Container container, Path target, boolean replace)
      throws IOException {
    Image.TarballImage image = container.spec().image().tarball();
    Path tarball = fetcher.fetch(image.url(), image.sha256());
    Path unpacking = target.resolveSibling("." + container.name() + ".berth-unpack");
    RootSwap.deleteTree(unpacking);
    TarUnpacker.Unpacked unpacked = unpacker.unpack(tarball, unpacking);
    Skeleton.complete(unpacking);
    if (replace) {
      Files.deleteIfExists(target);
    }
    Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.syncDirectory(target.getParent());
    return unpacked;
  }

  private static String describe(TarUnpacker.Unpacked unpacked) {
    return unpacked.entries()
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
}
