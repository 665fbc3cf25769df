package dev.berth.agent.source;

import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * The manifests of one commit, below the source's path, read straight from the object database.
 * Everything is read when the tree is built, so the tree stays valid whatever later happens to the
 * cache (a fetch, a re-clone), and reading it again costs nothing.
 */
public final class CommitTree implements ManifestTree {

  private final TreeIndex index;
  private final List<ManifestFile> manifests;
  private final CommitFiles.RepositoryOpener repository;

  private CommitTree(TreeIndex index, List<ManifestFile> manifests) {
    this(index, manifests, null);
  }

  private CommitTree(
      TreeIndex index, List<ManifestFile> manifests, CommitFiles.RepositoryOpener repository) {
    this.index = index;
    this.manifests = manifests;
    this.repository = repository;
  }

  /**
   * This tree, its other files (such as a sealed credential) read from {@code repository} when the
   * loader asks.
   */
  CommitTree readingFrom(CommitFiles.RepositoryOpener repository) {
    return new CommitTree(index, manifests, repository);
  }

  /**
   * Reads the tree {@code tree} (the source's path in a commit) with its manifests, within {@code
   * limits}. A tree whose manifests are more or larger than the limits for one revision allow is
   * refused whole before any blob is read: its sizes come from the object database's headers.
   */
  static CommitTree read(ObjectReader reader, ObjectId tree, YamlLimits limits) throws IOException {
    return read(reader, tree, limits, TreeIndex.MAX_ENTRIES);
  }

  static CommitTree read(ObjectReader reader, ObjectId tree, YamlLimits limits, int maxEntries)
      throws IOException {
    TreeIndex index;
    try {
      index = TreeIndex.read(reader, tree, maxEntries);
    } catch (TreeIndex.TooLarge e) {
      return new CommitTree(
          TreeIndex.empty(), List.of(ManifestFile.refused(e.path(), e.getMessage())));
    }
    List<String> candidates = new ArrayList<>();
    for (String path : index.paths()) {
      if (isManifest(path) && index.entry(path).type() != TreeIndex.Type.DIRECTORY) {
        candidates.add(path);
      }
    }
    candidates.sort(null);
    if (candidates.size() > limits.maxFiles()) {
      String refusal = limits.repositoryRefusal(candidates.size(), 0).orElseThrow();
      return new CommitTree(index, List.of(ManifestFile.refused(candidates.get(0), refusal)));
    }
    List<Candidate> sized = new ArrayList<>(candidates.size());
    long total = 0;
    for (String path : candidates) {
      Candidate candidate = inspect(reader, index, path, limits);
      sized.add(candidate);
      total += candidate.refusal() == null ? candidate.size() : 0;
    }
    Optional<String> tooMuch = limits.repositoryRefusal(sized.size(), total);
    if (tooMuch.isPresent()) {
      String largest =
          sized.stream()
              .filter(candidate -> candidate.refusal() == null)
              .max(Comparator.comparingLong(Candidate::size))
              .orElseThrow()
              .path();
      return new CommitTree(index, List.of(ManifestFile.refused(largest, tooMuch.get())));
    }
    List<ManifestFile> files = new ArrayList<>(sized.size());
    for (Candidate candidate : sized) {
      files.add(
          candidate.refusal() != null
              ? ManifestFile.refused(candidate.path(), candidate.refusal())
              : ManifestFile.ofBlob(
                  candidate.path(),
                  reader.open(candidate.blob(), Constants.OBJ_BLOB).getBytes(),
                  candidate.blob().name()));
    }
    return new CommitTree(index, List.copyOf(files));
  }

  /** A manifest of the tree: its blob and size, or why it is not read. */
  private record Candidate(String path, ObjectId blob, long size, String refusal) {
    static Candidate refused(String path, String refusal) {
      return new Candidate(path, null, 0, refusal);
    }
  }

  // *.yaml and *.yml files, not hidden, and not inside a hidden directory (.git, .github).
  private static boolean isManifest(String path) {
    if (!(path.endsWith(".yaml") || path.endsWith(".yml"))) {
      return false;
    }
    for (String part : path.split("/")) {
      if (part.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  private static Candidate inspect(
      ObjectReader reader, TreeIndex index, String path, YamlLimits limits) throws IOException {
    TreeIndex.Resolution resolution = index.resolve(path);
    switch (resolution.kind()) {
      case OUTSIDE:
        return Candidate.refused(path, "symlink leads outside the repository; not read");
      case MISSING:
        return Candidate.refused(path, "symlink to a missing file");
      case DIRECTORY:
        return Candidate.refused(path, "not a regular file");
      default:
        break;
    }
    ObjectId blob = resolution.entry().blob();
    long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
    return new Candidate(path, blob, size, limits.fileRefusal(size).orElse(null));
  }

  /** Every file of the tree, read from {@code repository} when a build asks. */
  SourceFiles files(CommitFiles.RepositoryOpener repository) {
    return new CommitFiles(index, repository);
  }

  @Override
  public List<ManifestFile> manifests() {
    return manifests;
  }

  @Override
  public PathKind kindOf(String relativePath) {
    return index.resolve(relativePath).kind();
  }

  @Override
  public Optional<byte[]> read(String relativePath, int maxBytes) throws IOException {
    TreeIndex.Resolution resolution = index.resolve(relativePath);
    if (resolution.kind() != PathKind.FILE) {
      throw new IOException(relativePath + " is not a file inside the repository");
    }
    if (repository == null) {
      throw new IOException("the repository of " + relativePath + " is not open here");
    }
    try (ObjectReader reader = repository.open().newObjectReader()) {
      ObjectId blob = resolution.entry().blob();
      if (reader.getObjectSize(blob, Constants.OBJ_BLOB) > maxBytes) {
        return Optional.empty();
      }
      return Optional.of(reader.open(blob, Constants.OBJ_BLOB).getBytes(maxBytes));
    }
  }
}
