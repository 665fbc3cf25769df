package dev.berth.agent.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/** The polls of one phase of the fleet benchmark: when each ran, and whether it fetched. */
final class PollTimeline {
  /** One poll: start and end in nanoseconds since the phase began. */
  record Poll(long start, long end, boolean fetched, boolean failed) {}

  private final List<Poll> polls = Collections.synchronizedList(new ArrayList<>());
  private final java.util.concurrent.atomic.AtomicReference<String> firstFailure =
      new java.util.concurrent.atomic.AtomicReference<>();

  void failedWith(SourceFailure failure) {
    firstFailure.compareAndSet(null, failure.reason().camelCase() + ": " + failure.getMessage());
  }

  java.util.Optional<String> firstFailure() {
    return java.util.Optional.ofNullable(firstFailure.get());
  }

  void add(Poll poll) {
    polls.add(poll);
  }

  List<Poll> polls() {
    synchronized (polls) {
      return List.copyOf(polls);
    }
  }

  long count() {
    return polls().size();
  }

  long failures() {
    return polls().stream().filter(Poll::failed).count();
  }

  long fetches() {
    return polls().stream().filter(Poll::fetched).count();
  }

  /** Seconds from the phase's start until the last fetch ended. */
  double lastFetchEnd() {
    return polls().stream().filter(Poll::fetched).mapToLong(Poll::end).max().orElse(0) / 1e9;
  }

  /** The most fetches in flight at once. */
  int maxFetchesInFlight() {
    List<long[]> events = new ArrayList<>();
    for (Poll p : polls()) {
      if (p.fetched()) {
        events.add(new long[] {p.start(), 1});
        events.add(new long[] {p.end(), -1});
      }
    }
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int max = 0;
    for (long[] e : events) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }

  /** Fetches that started in each second of the phase (second 0 first; empty seconds too). */
  int[] fetchesPerSecond() {
    TreeMap<Integer, Integer> perSecond = new TreeMap<>();
    for (Poll p : polls()) {
      if (p.fetched()) {
        perSecond.merge((int) (p.start() / 1_000_000_000L), 1, Integer::sum);
      }
    }
    if (perSecond.isEmpty()) {
      return new int[0];
    }
    int[] out = new int[perSecond.lastKey() + 1];
    perSecond.forEach((second, n) -> out[second] = n);
    return out;
  }

  /** The {@code q} quantile (0..1) of the polls' wall time, in milliseconds. */
  double latencyMillis(double q) {
    long[] walls = polls().stream().mapToLong(p -> p.end() - p.start()).sorted().toArray();
    if (walls.length == 0) {
      return 0;
    }
    return walls[(int) Math.min(walls.length - 1, Math.floor(q * walls.length))] / 1e6;
  }

  static String histogram(int[] perSecond) {
    return Arrays.toString(perSecond);
  }
}
