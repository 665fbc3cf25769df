package dev.berth.agent.source;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefDatabase;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

/**
 * The refs of a remote on this machine's file system ({@code file://} or a plain path), read
 * straight from its repository. What an ls-remote says, without what JGit's local transport does
 * for one: open the repository anew, start an upload-pack thread and speak the pack protocol to it
 * through pipes (a quarter of a warm pass's CPU). The repository stays open between polls; its ref
 * database notices changed files itself. When the path is no repository (gone, moved), this says
 * nothing and the transport's ls-remote reports the failure as before.
 */
final class LocalRefs implements AutoCloseable {
  private final File path;
  private Repository open;
  private File openDir;

  private LocalRefs(File path) {
    this.path = path;
  }

  /** For a remote on the local file system; empty for any other URL. */
  static Optional<LocalRefs> of(String url) {
    try {
      URIish uri = new URIish(url);
      boolean local =
          uri.getScheme() == null ? uri.getHost() == null : uri.getScheme().equals("file");
      return local && uri.getPath() != null
          ? Optional.of(new LocalRefs(new File(uri.getPath())))
          : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * The branches ({@code heads}) or the tags, annotated ones peeled to their commit as an
   * ls-remote's {@code ^{}} entries say; empty when the path holds no repository now.
   */
  synchronized Optional<Map<String, Ref>> list(boolean heads) throws IOException {
    File dir = RepositoryCache.FileKey.resolve(path, FS.DETECTED);
    if (dir == null) {
      close();
      return Optional.empty();
    }
    if (open == null || !dir.equals(openDir)) {
      close();
      open = new FileRepositoryBuilder().setGitDir(dir).setMustExist(true).build();
      openDir = dir;
    }
    RefDatabase refs = open.getRefDatabase();
    Map<String, Ref> listed = new HashMap<>();
    for (Ref ref : refs.getRefsByPrefix(heads ? Constants.R_HEADS : Constants.R_TAGS)) {
      listed.put(ref.getName(), heads ? ref : refs.peel(ref));
    }
    return Optional.of(listed);
  }

  @Override
  public synchronized void close() {
    if (open != null) {
      open.close();
      open = null;
      openDir = null;
    }
  }
}
