package dev.berth.reconciler.plan;

import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The files currently on a host (or under a directory standing for one), read-only. */
public interface InstalledFiles {

  /** The text of the file at {@code path}, relative to the host root, if it exists. */
  Optional<String> read(String path) throws IOException;

  /**
   * The names of the regular files directly in {@code directory}, sorted; empty if it is absent.
   */
  List<String> list(String directory) throws IOException;

  /** The paths of the sealed credentials installed for {@code container}, sorted. */
  default List<String> credentials(String container) throws IOException {
    String directory = HostPaths.credentialsDir(container);
    return list(directory).stream()
        .filter(name -> name.endsWith(HostPaths.CREDENTIAL_SUFFIX))
        .map(name -> directory + "/" + name)
        .toList();
  }
}
