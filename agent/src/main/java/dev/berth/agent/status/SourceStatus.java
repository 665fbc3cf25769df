package dev.berth.agent.status;

import java.time.Instant;

/**
 * The Git source: what was fetched and verified, when, which remote served it ({@code servedBy}:
 * the primary's URL or a mirror's), and the last error if the last poll failed.
 */
public record SourceStatus(
    String url,
    String ref,
    String fetchedRevision,
    String verifiedRevision,
    Instant lastFetchAttempt,
    Instant lastSuccessfulFetch,
    String lastErrorReason,
    String lastError,
    String servedBy) {

  /** Before the first poll: nothing fetched, nothing failed. */
  public static SourceStatus initial(String url, String ref) {
    return new SourceStatus(url, ref, null, null, null, null, null, null, null);
  }
}
