package dev.berth.agent.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Every file of a revision below the source's path, as a build reads them: what a NixOS container's
 * Nix file may import. Read on demand, so that a revision without NixOS containers costs nothing.
 */
public interface SourceFiles {
  /** A revision without readable files: a Nix file in it is reported missing. */
  SourceFiles NONE =
      new SourceFiles() {
        @Override
        public List<SourceFile> list() {
          return List.of();
        }

        @Override
        public InputStream open(SourceFile file) throws IOException {
          throw new IOException(file.path() + " is not readable here");
        }
      };

  /** Sorted by path; directories are implied by the paths. */
  List<SourceFile> list() throws IOException;

  /** The content of a regular file of {@link #list()}. */
  InputStream open(SourceFile file) throws IOException;

  /** What a tree entry is. */
  enum Kind {
    FILE,
    EXECUTABLE,
    SYMLINK
  }

  /**
   * One entry: {@code id} identifies its content (a Git blob id or a sha256; a symlink's target),
   * so that equal ids mean equal files.
   */
  record SourceFile(String path, Kind kind, String id) {}
}
