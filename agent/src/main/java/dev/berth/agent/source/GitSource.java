package dev.berth.agent.source;

import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.source.SourceRevision.ServedBy;
import dev.berth.agent.tls.CaCertificates;
import dev.berth.reconciler.parse.YamlLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The manifests in a Git repository, polled with JGit: an ls-remote of the ref first, a fetch into
 * a bare cache only when the wanted revision moved, then the commit's signature checked (when a
 * policy is set) and its tree read without a work tree. Unchanged polls return the same revision.
 */
public final class GitSource implements ManifestSource {

  private final SourceSettings settings;
  private final String path;
  private final List<RemoteAccess> remotes;
  private final List<RemoteBackoff> backoffs;
  private final RefResolver resolver;
  private final BareCache cache;
  private final SignaturePolicy policy;
  private final Clock clock;

  private RewindGuard rewindGuard;
  private ObjectId currentWanted;
  private SourceRevision current;
  private ObjectId refusedWanted;
  private SourceFailure refusal;

  /**
   * A source that caches the repository under {@code cacheDirectory} (e.g. /var/lib/berth/git).
   * Invalid settings are an {@link IllegalArgumentException} that says which one and why.
   */
  public GitSource(SourceSettings settings, Path cacheDirectory) {
    this(settings, cacheDirectory, Clock.systemUTC());
  }

  GitSource(SourceSettings settings, Path cacheDirectory, Clock clock) {
    this(settings, cacheDirectory, clock, false);
  }

  /**
   * The source's cache as a reader beside the agent (berth diff) sees it: {@link #fromCache} reads
   * it, and nothing creates, repairs or fetches into it.
   */
  public static GitSource readingCache(SourceSettings settings, Path cacheDirectory) {
    return new GitSource(settings, cacheDirectory, Clock.systemUTC(), true);
  }

  private GitSource(SourceSettings settings, Path cacheDirectory, Clock clock, boolean readOnly) {
    if (settings.url() == null || settings.url().isBlank()) {
      throw new IllegalArgumentException("source.url is missing");
    }
    this.settings = settings;
    this.path = normalizePath(settings.path());
    this.resolver = new RefResolver(settings.ref());
    String key = digest(settings.url());
    Path work = cacheDirectory.toAbsolutePath().resolve(repositoryName(settings.url(), key));
    CaCertificates cas = trustedCas(settings.caFile());
    List<RemoteAccess> all = new ArrayList<>();
    all.add(
        new RemoteAccess(
            settings.url(),
            settings.timeout(),
            settings.auth(),
            work.resolveSibling(work.getFileName() + ".ssh"),
            cas));
    for (int i = 0; i < settings.mirrors().size(); i++) {
      String mirror = settings.mirrors().get(i);
      SourceSettings.Auth auth =
          settings.auth() == null ? SourceSettings.Auth.NONE : settings.auth();
      all.add(
          new RemoteAccess(
              mirror,
              settings.timeout(),
              auth.forScheme(RemoteAccess.scheme(mirror)),
              work.resolveSibling(work.getFileName() + ".mirror-" + (i + 1) + ".ssh"),
              cas));
    }
    this.remotes = List.copyOf(all);
    this.backoffs =
        all.stream()
            .map(r -> new RemoteBackoff(() -> ThreadLocalRandom.current().nextDouble()))
            .toList();
    this.cache = readOnly ? BareCache.readOnly(work) : new BareCache(work);
    this.policy =
        settings.verify() == null
            ? null
            : new SignaturePolicy(settings.verify(), cacheDirectory.toAbsolutePath());
    this.clock = clock;
  }

  // Read once: a new CA file takes effect at the agent's next start, as the rest of its config.
  private static CaCertificates trustedCas(Path caFile) {
    if (caFile == null) {
      return null;
    }
    try {
      return CaCertificates.read(caFile);
    } catch (IOException e) {
      throw new IllegalArgumentException("source.caFile: " + e.getMessage(), e);
    }
  }

  /**
   * From now on a wanted commit must descend from what {@code applied} records, unless {@code
   * source.allowRewind} is set or the ref pins a commit.
   */
  public synchronized GitSource refusingRewinds(AppliedCommit applied) {
    this.rewindGuard =
        settings.allowRewind() || resolver.isPinned() ? null : new RewindGuard(applied);
    return this;
  }

  /**
   * The wanted revision from the first remote that answers: the primary, or a mirror when the
   * primary is unreachable or refuses the credentials. Every remote passes the same signature
   * policy and rewind rule, so a stale mirror cannot roll the host back.
   */
  @Override
  public synchronized SourceRevision poll() throws SourceFailure {
    Instant now = clock.instant();
    SourceFailure primaryFailure = null;
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < remotes.size(); i++) {
      RemoteAccess remote = remotes.get(i);
      ServedBy servedBy =
          new ServedBy(i == 0 ? "primary" : "mirror-" + i, remote.displayUrl(), primaryFailure);
      try {
        return pollUnlessBackingOff(i, servedBy, now);
      } catch (SourceFailure failure) {
        if (!failsOver(failure) || remotes.size() == 1) {
          throw i == 0 ? failure : failure.fromMirror(servedBy.role(), servedBy.url());
        }
        primaryFailure = primaryFailure == null ? failure : primaryFailure;
        failed.add(remote.displayUrl());
      }
    }
    throw new SourceFailure(
        primaryFailure.reason(),
        primaryFailure.revision(),
        Failures.oneLine(
            primaryFailure.getMessage()
                + "; the mirrors failed too ("
                + String.join(", ", failed.subList(1, failed.size()))
                + ")"),
        primaryFailure);
  }

  @Override
  public synchronized Optional<SourceRevision> cached(String commit) throws SourceFailure {
    ObjectId id;
    try {
      id = ObjectId.fromString(commit);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    try {
      if (!cache.hasCommit(id)) {
        return Optional.empty();
      }
      return Optional.of(
          read(
              new WantedRevision(id, "applied commit " + commit, List.of()),
              remotes.get(0),
              ServedBy.UNKNOWN));
    } catch (IOException | RuntimeException e) {
      throw Failures.local(e, "reading the applied commit " + commit).failure();
    }
  }

  /**
   * The revision that {@code ref} (a branch, a tag or a commit) names in the cache, or without one
   * the revision that {@code source.ref} names there: the newest the agent fetched. Asks no remote,
   * and checks the signature policy as a poll does.
   */
  public synchronized SourceRevision fromCache(Optional<String> ref) throws SourceFailure {
    String where = "the Git cache " + cache.dir();
    if (!java.nio.file.Files.isDirectory(cache.dir())) {
      throw new SourceFailure(
          Reason.REF_NOT_FOUND,
          null,
          "no Git cache at "
              + cache.dir()
              + ": the agent has not fetched "
              + remotes.get(0).displayUrl()
              + " yet",
          null);
    }
    try {
      WantedRevision wanted;
      if (ref.isPresent()) {
        wanted = CacheRefs.resolve(cache.open(), ref.get(), where);
      } else {
        try (RemoteAccess fetched =
            new RemoteAccess(cache.dir().toString(), settings.timeout(), null, null, null)) {
          wanted = resolver.resolve(fetched);
        }
      }
      return read(wanted, remotes.get(0), ServedBy.UNKNOWN);
    } catch (IOException | RuntimeException e) {
      throw Failures.local(e, "reading " + where).failure();
    }
  }

  /**
   * Asks remote {@code i} unless it is backing off after a failure; then its last failure stands (a
   * mirror is asked meanwhile). A remote on this machine has no server to spare: never waits.
   */
  private SourceRevision pollUnlessBackingOff(int i, ServedBy servedBy, Instant now)
      throws SourceFailure {
    RemoteAccess remote = remotes.get(i);
    RemoteBackoff backoff = backoffs.get(i);
    Optional<SourceFailure> waiting = backoff.waiting(now);
    if (waiting.isPresent()) {
      SourceFailure last = waiting.get();
      throw new SourceFailure(
          last.reason(),
          last.revision(),
          Failures.oneLine(
              last.getMessage()
                  + "; not asked again before "
                  + backoff.until().truncatedTo(ChronoUnit.SECONDS)),
          last);
    }
    try {
      SourceRevision revision = poll(remote, servedBy);
      backoff.succeeded();
      return revision;
    } catch (SourceFailure failure) {
      if (backsOff(failure) && remote.localRefs().isEmpty()) {
        backoff.failed(failure, now);
      }
      throw failure;
    }
  }

  /**
   * A failure the remote's server answered or caused: asking again at once would cost it another
   * request for the same answer. A damaged cache or a refused commit is this host's, not retried
   * against the server (a refused commit is not even fetched again).
   */
  private static boolean backsOff(SourceFailure failure) {
    return failure.reason() == Reason.UNREACHABLE
        || failure.reason() == Reason.AUTH_FAILED
        || failure.reason() == Reason.REF_NOT_FOUND;
  }

  /** A remote that is down or refuses the credentials: the next one may serve. */
  private static boolean failsOver(SourceFailure failure) {
    return failure.reason() == Reason.UNREACHABLE || failure.reason() == Reason.AUTH_FAILED;
  }

  private SourceRevision poll(RemoteAccess remote, ServedBy servedBy) throws SourceFailure {
    WantedRevision wanted = resolver.resolve(remote);
    if (current != null && wanted.id().equals(currentWanted)) {
      // nothing moved: no fetch, the same tree
      return current.servedBy().equals(servedBy) ? current : (current = current.servedBy(servedBy));
    }
    if (refusal != null && wanted.id().equals(refusedWanted)) {
      throw refusal; // refused before, and the applied commit only moves forward
    }
    try {
      if (!cache.hasCommit(wanted.id())) {
        fetch(wanted, remote);
      }
      SourceRevision revision = read(wanted, remote, servedBy);
      current = revision;
      currentWanted = wanted.id();
      return revision;
    } catch (IOException | RuntimeException e) {
      Failures.Classified failure = Failures.local(e, "reading " + wanted.description());
      if (failure.cacheDamaged()) {
        cache.markDamaged();
      }
      throw failure.failure();
    }
  }

  private void fetch(WantedRevision wanted, RemoteAccess remote) throws SourceFailure, IOException {
    try {
      cache.fetch(remote, wanted.fetchSpecs());
    } catch (Exception e) {
      Failures.Classified failure = Failures.remote(e, "fetching", remote);
      if (failure.cacheDamaged()) {
        cache.markDamaged();
      }
      throw failure.failure();
    }
    if (!cache.hasCommit(wanted.id())) {
      throw new SourceFailure(
          resolver.isPinned() ? Reason.REF_NOT_FOUND : Reason.UNREACHABLE,
          wanted.id().name(),
          Failures.oneLine(
              resolver.isPinned()
                  ? wanted.description()
                      + " is not in any branch or tag of "
                      + remote.displayUrl()
                      + "; check source.ref.commit"
                  // The ref moved again (a force-push) between the ls-remote and the fetch.
                  : wanted.description()
                      + " moved while it was fetched from "
                      + remote.displayUrl()
                      + "; will retry"),
          null);
    }
  }

  private SourceRevision read(WantedRevision wanted, RemoteAccess remote, ServedBy servedBy)
      throws IOException, SourceFailure {
    Repository repository = cache.open();
    try (ObjectReader reader = repository.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      RevCommit commit;
      try {
        commit = walk.parseCommit(wanted.id());
      } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
        throw new SourceFailure(
            Reason.REF_NOT_FOUND,
            wanted.id().name(),
            Failures.oneLine(wanted.description() + " is not a commit; check source.ref"),
            null);
      }
      String signer = policy == null ? null : policy.verify(repository, commit);
      if (rewindGuard != null) {
        try {
          rewindGuard.check(walk, commit, wanted.description(), remote.displayUrl());
        } catch (SourceFailure refused) {
          refusedWanted = wanted.id();
          refusal = refused;
          throw refused;
        }
      }
      ObjectId tree = subtree(reader, commit, remote);
      CommitTree manifests =
          CommitTree.read(reader, tree, YamlLimits.DEFAULT).readingFrom(this::repository);
      return new SourceRevision(
          commit.name(),
          manifests,
          clock.instant(),
          signer,
          manifests.files(this::repository),
          servedBy);
    }
  }

  private ObjectId subtree(ObjectReader reader, RevCommit commit, RemoteAccess remote)
      throws IOException, SourceFailure {
    if (path.isEmpty()) {
      return commit.getTree();
    }
    try (TreeWalk walk = TreeWalk.forPath(reader, path, commit.getTree())) {
      if (walk == null || !FileMode.TREE.equals(walk.getRawMode(0))) {
        throw new SourceFailure(
            Reason.PATH_NOT_FOUND,
            commit.name(),
            Failures.oneLine(
                "source.path \""
                    + path
                    + "\" is "
                    + (walk == null ? "missing" : "not a directory")
                    + " in commit "
                    + commit.name()
                    + " of "
                    + remote.displayUrl()),
            null);
      }
      return walk.getObjectId(0);
    }
  }

  /** The cache's repository, for a build reading a revision's files after the poll. */
  private synchronized Repository repository() throws IOException {
    return cache.open();
  }

  /** How many fetches this source made (a poll that found nothing new makes none). */
  synchronized int fetchCount() {
    return cache.fetches();
  }

  /** The bare repository this source caches into. */
  Path cacheRepository() {
    return cache.dir();
  }

  @Override
  public synchronized void close() {
    cache.close();
    remotes.forEach(RemoteAccess::close);
  }

  @Override
  public String toString() {
    return "git "
        + remotes.get(0).displayUrl()
        + (remotes.size() > 1 ? " (+" + (remotes.size() - 1) + " mirrors)" : "")
        + " "
        + settings.ref().describe()
        + (path.isEmpty() ? "" : " path " + path);
  }

  private static String normalizePath(String path) {
    if (path == null) {
      return "";
    }
    StringBuilder normal = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new IllegalArgumentException(
            "source.path \"" + path + "\" must stay inside the " + "repository (no ..)");
      }
      normal.append(normal.length() == 0 ? "" : "/").append(part);
    }
    return normal.toString();
  }

  // One cache per URL: a changed url in the config never mixes two repositories' objects.
  private static String repositoryName(String url, String key) {
    String base = url.replaceAll("/+$", "").replaceAll("\\.git$", "");
    base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf(':')) + 1);
    base = base.replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT);
    if (base.isEmpty() || base.startsWith(".")) {
      base = "repo";
    }
    return base + "-" + key + ".git";
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
