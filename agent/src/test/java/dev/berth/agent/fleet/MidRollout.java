package dev.berth.agent.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fleet in the middle of a rollout, as its agents' metrics say. */
public final class MidRollout {
  public static final String R1 = "0123456789abcdef0123456789abcdef01234567";
  public static final String R2 = "fedcba9876543210fedcba9876543210fedcba98";
  public static final Instant CONVERGED = Instant.parse("2024-05-01T12:00:00.250Z");

  private MidRollout() {}

  /** The mid-rollout agents and a real Prometheus that has scraped all three. */
  public record Scraped(List<ScrapedAgent> agents, RealPrometheus prometheus) {}

  /**
   * Serves {@link #agents()}, starts a real Prometheus in {@code dir} scraping them, and waits
   * until it has; everything started goes into {@code open}, for the test to close.
   */
  public static Scraped scraped(java.nio.file.Path dir, List<AutoCloseable> open) throws Exception {
    List<ScrapedAgent> agents = agents();
    open.addAll(agents);
    RealPrometheus prometheus =
        new RealPrometheus(dir, agents.stream().map(ScrapedAgent::target).toList());
    open.add(prometheus);
    prometheus.awaitCount("berth_host_info", 3);
    return new Scraped(agents, prometheus);
  }

  /** Three hosts mid-rollout: two canaries on R2 (one converged, one broken), one waiting on R1. */
  public static List<ScrapedAgent> agents() throws Exception {
    ScrapedAgent h1 = new ScrapedAgent();
    h1.metrics().host("h1", Map.of("topology.kubernetes.io/zone", "eu-1a", "tier", "canary"));
    h1.metrics().wave("canary");
    h1.metrics().appliedRevision(R2, Optional.of(CONVERGED), Map.of("ready", 2));
    h1.metrics().rolloutHeld(Optional.empty());
    h1.metrics()
        .containers(
            List.of(
                new dev.berth.agent.status.ContainerStatus(
                    "web", "Running", List.of(), R2, R2, null, true, false)),
            R2);
    ScrapedAgent h2 = new ScrapedAgent();
    h2.metrics().host("h2", Map.of("tier", "canary"));
    h2.metrics().wave("canary");
    h2.metrics()
        .appliedRevision(R2, Optional.empty(), Map.of("ready", 1, "failed", 1, "rolled_back", 1));
    h2.metrics().rolloutHeld(Optional.of("GateFailed"));
    ScrapedAgent h3 = new ScrapedAgent();
    h3.metrics().host("h3", Map.of());
    h3.metrics().wave("rest");
    h3.metrics().appliedRevision(R1, Optional.of(CONVERGED), Map.of("ready", 4, "pending", 1));
    h3.metrics().rolloutHeld(Optional.of("WaitingForWave"));
    return List.of(h1, h2, h3);
  }
}
