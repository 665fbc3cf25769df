package dev.berth.agent.source;

import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * The manifests of one commit, below the source's path, read straight from the object database.
 * Everything is read when the tree is built, so the tree stays valid whatever later happens to the
 * cache (a fetch, a re-clone), and reading it again costs nothing.
 */
public final class CommitTree implements ManifestTree {

  /** Manifest files above this size are refused unread, as a checkout's would be. */
  public static final long MAX_FILE_BYTES = 1024 * 1024;

  private final TreeIndex index;
  private final List<ManifestFile> manifests;

  private CommitTree(TreeIndex index, List<ManifestFile> manifests) {
    this.index = index;
    this.manifests = manifests;
  }

  /** Reads the tree {@code tree} (the source's path in a commit) with its manifests. */
  static CommitTree read(ObjectReader reader, ObjectId tree, long maxFileBytes) throws IOException {
    TreeIndex index = TreeIndex.read(reader, tree);
    List<String> candidates = new ArrayList<>();
    for (String path : index.paths()) {
      if (isManifest(path) && index.entry(path).type() != TreeIndex.Type.DIRECTORY) {
        candidates.add(path);
      }
    }
    candidates.sort(null);
    List<ManifestFile> files = new ArrayList<>(candidates.size());
    for (String path : candidates) {
      files.add(readManifest(reader, index, path, maxFileBytes));
    }
    return new CommitTree(index, List.copyOf(files));
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

  private static ManifestFile readManifest(
      ObjectReader reader, TreeIndex index, String path, long maxFileBytes) throws IOException {
    TreeIndex.Resolution resolution = index.resolve(path);
    switch (resolution.kind()) {
      case OUTSIDE:
        return ManifestFile.refused(path, "symlink leads outside the repository; not read");
      case MISSING:
        return ManifestFile.refused(path, "symlink to a missing file");
      case DIRECTORY:
        return ManifestFile.refused(path, "not a regular file");
      default:
        break;
    }
    ObjectId blob = resolution.entry().blob();
    long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
    if (size > maxFileBytes) {
      return ManifestFile.refused(
          path,
          "file is "
              + size
              + " bytes, more than the limit of "
              + maxFileBytes
              + " bytes for a manifest file");
    }
    return new ManifestFile(path, reader.open(blob, Constants.OBJ_BLOB).getBytes());
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
}
