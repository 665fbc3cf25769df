package dev.berth.agent.source;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * One remote's backoff after it failed to serve: it is not asked again for 30 s, then 1, 2, 4, 8
 * min, at most 10 min, each delay drawn at random from its upper half so that a fleet that failed
 * together does not come back together; a success resets it. A broken Git server sees each host
 * about once per delay instead of at every poll, webhook and retry.
 */
final class RemoteBackoff {
  static final Duration FIRST = Duration.ofSeconds(30);
  static final Duration MAX = Duration.ofMinutes(10);

  private final DoubleSupplier random;
  private int failures;
  private Instant until;
  private SourceFailure last;

  /** {@code random} gives numbers in [0, 1), as {@code ThreadLocalRandom::nextDouble}. */
  RemoteBackoff(DoubleSupplier random) {
    this.random = random;
  }

  /** The remote failed with {@code failure} at {@code now}; returns when it may be asked again. */
  Instant failed(SourceFailure failure, Instant now) {
    failures++;
    Duration delay = FIRST.multipliedBy(1L << Math.min(failures - 1, 20));
    if (delay.compareTo(MAX) > 0) {
      delay = MAX;
    }
    long half = delay.toMillis() / 2;
    until = now.plusMillis(half + (long) (random.getAsDouble() * half));
    last = failure;
    return until;
  }

  void succeeded() {
    failures = 0;
    until = null;
    last = null;
  }

  /** The remote's last failure while its backoff lasts: the remote is not to be asked now. */
  Optional<SourceFailure> waiting(Instant now) {
    return until != null && until.isAfter(now) ? Optional.of(last) : Optional.empty();
  }

  /** When the current backoff ends; null when the remote did not fail. */
  Instant until() {
    return until;
  }
}
