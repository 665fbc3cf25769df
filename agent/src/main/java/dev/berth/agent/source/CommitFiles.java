package dev.berth.agent.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;

/** The files of one commit's tree, read from the source's object database when asked. */
final class CommitFiles implements SourceFiles {
  /** Opens the repository the commit was read from (the source's cache). */
  @FunctionalInterface
  interface RepositoryOpener {
    Repository open() throws IOException;
  }

  private final TreeIndex index;
  private final RepositoryOpener repository;

  CommitFiles(TreeIndex index, RepositoryOpener repository) {
    this.index = index;
    this.repository = repository;
  }

  @Override
  public List<SourceFile> list() {
    List<SourceFile> files = new ArrayList<>();
    for (String path : index.paths()) {
      TreeIndex.Entry entry = index.entry(path);
      switch (entry.type()) {
        case FILE ->
            files.add(
                new SourceFile(
                    path, entry.executable() ? Kind.EXECUTABLE : Kind.FILE, entry.blob().name()));
        case SYMLINK -> {
          if (entry.linkTarget() != null) {
            files.add(new SourceFile(path, Kind.SYMLINK, entry.linkTarget()));
          }
        }
        case DIRECTORY -> {}
      }
    }
    files.sort(java.util.Comparator.comparing(SourceFile::path));
    return files;
  }

  @Override
  public InputStream open(SourceFile file) throws IOException {
    ObjectReader reader = repository.open().newObjectReader();
    try {
      InputStream content =
          reader.open(ObjectId.fromString(file.id()), Constants.OBJ_BLOB).openStream();
      return new java.io.FilterInputStream(content) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            reader.close();
          }
        }
      };
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }
}
