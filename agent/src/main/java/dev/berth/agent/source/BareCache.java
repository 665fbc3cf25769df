package dev.berth.agent.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;

/**
 * The bare repository that caches the remote's objects. Created on first use; when it is found
 * damaged it is deleted and created again at the next use, so a failure never sticks.
 */
final class BareCache implements AutoCloseable {

  /** The cache cannot be opened as a repository. */
  static final class Damaged extends IOException {
    Damaged(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Path dir;
  private final boolean readOnly;
  private Repository repository;
  private boolean damaged;
  private boolean locksCleared;
  private int fetches;

  BareCache(Path dir) {
    this(dir, false);
  }

  private BareCache(Path dir, boolean readOnly) {
    this.dir = dir;
    this.readOnly = readOnly;
  }

  /**
   * The cache as a reader beside the agent sees it: never created, cleared of locks, configured or
   * deleted, since the agent may be fetching into it right now.
   */
  static BareCache readOnly(Path dir) {
    return new BareCache(dir, true);
  }

  Path dir() {
    return dir;
  }

  /** How many fetches this cache made since it was created (tests check that polls are cheap). */
  int fetches() {
    return fetches;
  }

  Repository open() throws IOException {
    if (readOnly) {
      if (repository == null) {
        repository = openReadOnly();
      }
      return repository;
    }
    if (repository != null && !Files.isDirectory(dir)) {
      close(); // deleted while the agent runs (by hand, or a cleanup): cloned again below
    }
    if (damaged) {
      close();
      deleteTree(dir);
      damaged = false;
    }
    if (repository == null) {
      repository = Files.isDirectory(dir) ? openExisting() : create();
    }
    return repository;
  }

  /** Marks the cache for deletion: the next {@link #open()} starts from an empty repository. */
  void markDamaged() {
    damaged = !readOnly;
    close();
  }

  boolean hasCommit(ObjectId id) throws IOException {
    return open().getObjectDatabase().has(id);
  }

  void fetch(RemoteAccess remote, List<RefSpec> specs) throws IOException, GitAPIException {
    Repository repo = open();
    fetches++;
    remote
        .configure(
            Git.wrap(repo)
                .fetch()
                .setRemote(remote.url())
                .setRefSpecs(specs)
                .setTagOpt(TagOpt.NO_TAGS)
                .setCheckFetchedObjects(true))
        .call();
  }

  private Repository openReadOnly() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no Git cache");
    }
    try {
      return new FileRepositoryBuilder()
          .setGitDir(dir.toFile())
          .setMustExist(true)
          .setBare()
          .build();
    } catch (IOException | RuntimeException e) {
      throw new Damaged(
          "the Git cache " + dir + " is not a valid repository: " + Failures.describe(e), e);
    }
  }

  private Repository openExisting() throws IOException {
    if (!locksCleared) {
      clearStaleLocks();
      locksCleared = true;
    }
    try {
      Repository repo =
          new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).setBare().build();
      askForProtocolV2(repo.getConfig()); // fails now, not later, when the config is damaged
      return repo;
    } catch (IOException | RuntimeException e) {
      throw new Damaged(
          "the Git cache " + dir + " is not a valid repository: " + Failures.describe(e), e);
    }
  }

  // JGit fetches with v2 unless a config says otherwise; the host's ~/.gitconfig or /etc/gitconfig
  // (this repository's config inherits them) must not turn a fetch's ref-prefix off.
  private static void askForProtocolV2(StoredConfig config) throws IOException {
    if (!"2".equals(config.getString("protocol", null, "version"))) {
      config.setString("protocol", null, "version", "2");
      config.save();
    }
  }

  // Created beside and renamed into place, so a killed agent never leaves half a repository.
  private Repository create() throws IOException {
    Files.createDirectories(dir.getParent());
    Path temp = dir.resolveSibling(dir.getFileName() + ".new");
    deleteTree(temp);
    try {
      Git.init().setBare(true).setGitDir(temp.toFile()).setInitialBranch("main").call().close();
    } catch (GitAPIException e) {
      throw new IOException("cannot create the Git cache " + dir + ": " + Failures.describe(e), e);
    }
    Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
    return openExisting();
  }

  // Lock files left by a killed agent would make every later ref update fail. Only berth uses this
  // repository and only one poll runs at a time, so a lock found at start is stale.
  private void clearStaleLocks() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path lock : files.filter(p -> p.getFileName().toString().endsWith(".lock")).toList()) {
        Files.deleteIfExists(lock);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void close() {
    if (repository != null) {
      repository.close();
      repository = null;
    }
  }
}
