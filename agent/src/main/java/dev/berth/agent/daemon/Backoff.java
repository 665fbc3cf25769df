package dev.berth.agent.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-container exponential backoff after failures (10 s, 20 s, 40 s, ... up to 5 min), reset on
 * success, so that a container that keeps failing does not hold the others or flood the journal.
 */
final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(5);

  private record State(int failures, Instant until) {}

  private final Map<String, State> states = new HashMap<>();

  Duration failed(String container, Instant now) {
    int failures = states.containsKey(container) ? states.get(container).failures() + 1 : 1;
    Duration delay = FIRST.multipliedBy(1L << Math.min(failures - 1, 10));
    if (delay.compareTo(MAX) > 0) {
      delay = MAX;
    }
    states.put(container, new State(failures, now.plus(delay)));
    return delay;
  }

  void succeeded(String container) {
    states.remove(container);
  }

  /** A new revision deserves a fresh try: the failure may be fixed by it. */
  void reset() {
    states.clear();
  }

  Optional<Instant> waitingUntil(String container, Instant now) {
    State state = states.get(container);
    return state == null || !state.until().isAfter(now)
        ? Optional.empty()
        : Optional.of(state.until());
  }

  Map<String, Instant> waiting(Instant now) {
    Map<String, Instant> out = new HashMap<>();
    states.forEach(
        (name, state) -> {
          if (state.until().isAfter(now)) {
            out.put(name, state.until());
          }
        });
    return out;
  }
}
