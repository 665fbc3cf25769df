package dev.berth.agent.files;

import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One manifest file given on the command line ({@code berth create -f FILE}), as a tree of one
 * file: paths the manifest names (a Nix file) resolve in the file's directory, as in a repository.
 */
public final class SingleManifestTree implements ManifestTree {
  private final Path file;
  private final long maxFileBytes;
  private final DirectoryManifestTree directory;

  public SingleManifestTree(Path file, long maxFileBytes) throws IOException {
    this.file = file.toAbsolutePath().normalize();
    this.maxFileBytes = maxFileBytes;
    this.directory = new DirectoryManifestTree(this.file.getParent(), maxFileBytes);
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
    long size = Files.size(file);
    if (size > maxFileBytes) {
      return List.of(
          ManifestFile.refused(
              name(),
              "file is "
                  + size
                  + " bytes, more than the limit of "
                  + maxFileBytes
                  + " bytes for a manifest file"));
    }
    return List.of(new ManifestFile(name(), Files.readAllBytes(file)));
  }

  @Override
  public PathKind kindOf(String relativePath) throws IOException {
    return directory.kindOf(relativePath);
  }
}
