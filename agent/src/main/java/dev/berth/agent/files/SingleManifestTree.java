package dev.berth.agent.files;

import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One manifest file given on the command line ({@code berth create -f FILE}), as a tree of one
 * file: paths the manifest names (a Nix file) resolve in the file's directory, as in a repository.
 */
public final class SingleManifestTree implements ManifestTree {
  private final Path file;
  private final YamlLimits limits;
  private final DirectoryManifestTree directory;

  public SingleManifestTree(Path file, YamlLimits limits) throws IOException {
    this.file = file.toAbsolutePath().normalize();
    this.limits = limits;
    this.directory = new DirectoryManifestTree(this.file.getParent(), limits);
  }

  /** The name findings carry: the file's name, shown next to its directory. */
  public String name() {
    return file.getFileName().toString();
  }

  @Override
  public List<ManifestFile> manifests() throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of(ManifestFile.refused(name(), "not a regular file"));
    }
    Optional<String> tooLarge = limits.fileRefusal(Files.size(file));
    if (tooLarge.isPresent()) {
      return List.of(ManifestFile.refused(name(), tooLarge.get()));
    }
    return List.of(DirectoryManifestTree.readBounded(file, name(), limits.maxFileBytes()));
  }

  @Override
  public PathKind kindOf(String relativePath) throws IOException {
    return directory.kindOf(relativePath);
  }

  @Override
  public Optional<byte[]> read(String relativePath, int maxBytes) throws IOException {
    return directory.read(relativePath, maxBytes);
  }
}
