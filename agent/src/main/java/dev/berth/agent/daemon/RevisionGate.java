package dev.berth.agent.daemon;

import dev.berth.agent.source.ManifestSource;
import dev.berth.agent.source.SourceFailure;
import dev.berth.agent.source.SourceRevision;
import dev.berth.agent.status.SourceStatus;
import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.load.ManifestCache;
import dev.berth.reconciler.load.ManifestLoader;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Lets only valid revisions through to the host: each poll fetches the wanted revision, checks its
 * manifests and keeps the newest valid one as desired. A failing source or an invalid revision is
 * reported in the status, the metrics and the journal, and the last good revision stays desired; an
 * invalid revision is remembered, so that it is not loaded again at every poll.
 */
final class RevisionGate {
  private final Host host;
  private final ManifestSource source;
  private final boolean verifies;
  private final StatusBook status;
  private final AgentMetrics metrics;
  private final Backoff backoff;
  private final ActionLog log;
  private final AgentEvents events;
  private final Clock clock;
  // One cache for every poll: a new revision re-reads only the manifest files it changed.
  private final ManifestCache manifestCache = new ManifestCache();
  private final ManifestLoader loader = new ManifestLoader().withCache(manifestCache);

  private volatile DesiredRevision desired;
  private String rejected;

  /**
   * With {@code verifies} when the source checks signatures (a fetched revision is then also the
   * verified one), and the {@code backoff} that a new revision resets: it may hold the fix.
   */
  RevisionGate(
      Host host,
      ManifestSource source,
      boolean verifies,
      StatusBook status,
      AgentMetrics metrics,
      Backoff backoff,
      ActionLog log,
      AgentEvents events,
      Clock clock) {
    this.host = host;
    this.source = source;
    this.verifies = verifies;
    this.status = status;
    this.metrics = metrics;
    this.backoff = backoff;
    this.log = log;
    this.events = events;
    this.clock = clock;
  }

  /** The newest valid revision, or null before the first one. */
  DesiredRevision desired() {
    return desired;
  }

  /** Whether the newest revision fetched was invalid: the host runs an older one. */
  boolean newestRejected() {
    return rejected != null;
  }

  /**
   * Fetches the wanted revision; a new valid one becomes desired, an invalid one is reported.
   * Returns the desired revision after the poll, or null while there is none.
   */
  DesiredRevision poll() {
    SourceRevision fetched = fetch();
    if (fetched != null && !checked(fetched.commit())) {
      check(fetched);
    }
    return desired;
  }

  /**
   * The revision this host applied, read again from the source's cache (after a restart, while a
   * rollout holds the newest one back): null when the cache lacks it or it no longer loads (an
   * unreadable one is logged).
   */
  DesiredRevision applied(String commit) {
    try {
      Optional<SourceRevision> cached = source.cached(commit);
      if (cached.isEmpty()) {
        return null;
      }
      LoadResult loaded = load(cached.get());
      return loaded.valid() ? desired(cached.get(), loaded) : null;
    } catch (SourceFailure | IOException e) {
      log.event("applied revision unreadable", "revision", commit, "error", e.getMessage());
      return null;
    }
  }

  /** Whether {@code commit} was checked before: it is the desired revision or the rejected one. */
  private boolean checked(String commit) {
    return desired != null && commit.equals(desired.revision()) || commit.equals(rejected);
  }

  /** The source's revision, or null when the source failed (reported here). */
  private SourceRevision fetch() {
    Instant now = clock.instant();
    SourceStatus before = status.source();
    SourceRevision fetched;
    try {
      fetched = source.poll();
    } catch (SourceFailure failure) {
      metrics.fetch(failure.remote(), failure.reason().camelCase());
      status.source(
          new SourceStatus(
              before.url(),
              before.ref(),
              before.fetchedRevision(),
              before.verifiedRevision(),
              now,
              before.lastSuccessfulFetch(),
              failure.reason().camelCase(),
              failure.getMessage(),
              before.servedBy()));
      events.sourceFailed(failure);
      return null;
    }
    events.sourceFetched();
    boolean moved = !fetched.commit().equals(before.fetchedRevision());
    SourceRevision.ServedBy servedBy = fetched.servedBy();
    SourceFailure primary = servedBy.primaryFailure();
    if (primary != null) {
      metrics.fetch(primary.remote(), primary.reason().camelCase());
      log.event(
          "source failed over",
          "reason",
          primary.reason().camelCase(),
          "error",
          primary.getMessage(),
          "served_by",
          servedBy.url());
    }
    metrics.fetch(servedBy.role(), moved ? "success" : "unchanged");
    metrics.sourceRevision(fetched.commit());
    status.source(
        new SourceStatus(
            before.url(),
            before.ref(),
            fetched.commit(),
            verifies ? fetched.commit() : null,
            now,
            now,
            null,
            null,
            servedBy.url().isEmpty() ? null : servedBy.url()));
    return fetched;
  }

  /** Loads and validates a revision not seen before: it becomes desired or is rejected. */
  private void check(SourceRevision fetched) {
    LoadResult loaded;
    try {
      loaded = load(fetched);
    } catch (IOException e) {
      status.errors(List.of("cannot read revision " + fetched.commit() + ": " + e.getMessage()));
      return;
    }
    if (!loaded.valid()) {
      rejected = fetched.commit();
      List<String> errors =
          loaded.diagnostics().stream()
              .filter(Diagnostic::isError)
              .map(Diagnostic::format)
              .toList();
      status.errors(errors);
      status.attempted(fetched.commit());
      events.rejected(fetched.commit(), errors);
      return;
    }
    status.errors(List.of());
    rejected = null;
    desired = desired(fetched, loaded);
    backoff.reset();
    log.event(
        "revision accepted",
        "revision",
        fetched.commit(),
        "containers",
        desired.containers().size());
  }

  /** Loads a revision's manifests for this host through the cache, and reports the cache's size. */
  private LoadResult load(SourceRevision revision) throws IOException {
    LoadResult loaded = loader.load(revision.tree(), SemanticCheck.forHost(host));
    metrics.manifestCache(manifestCache.stats());
    return loaded;
  }

  /** What this host should run of a valid revision. */
  private DesiredRevision desired(SourceRevision revision, LoadResult loaded) {
    return new DesiredRevision(
        revision.commit(),
        loaded.manifests().containersOn(host),
        loaded.manifests().zonesOn(host),
        revision.files(),
        loaded.manifests().rollout());
  }
}
