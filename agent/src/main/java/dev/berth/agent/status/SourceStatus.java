package dev.berth.agent.status;

import java.time.Instant;

/**
 * The Git source: what was fetched and verified, when, and the last error if the last poll failed.
 */
public record SourceStatus(
    String url,
    String ref,
    String fetchedRevision,
    String verifiedRevision,
    Instant lastFetchAttempt,
    Instant lastSuccessfulFetch,
    String lastErrorReason,
    String lastError) {}
