package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.e2e.Fleet.Host;
import dev.berth.agent.e2e.Fleet.HostSpec;
import dev.berth.agent.e2e.PrometheusServer.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The multi-host harness for real: three testbed hosts on one network zone, each running the real
 * agent against one shared Git repository, and a real Prometheus on this machine scraping them all.
 */
class FleetHarnessE2E {
  private static final Path JAR_DIR = Path.of("target");

  @Test
  void threeAgentsOnOneZoneAreScrapedByPrometheusAndPlaceByTheirLabels() throws Exception {
    long start = System.nanoTime();
    try (Fleet fleet =
        Fleet.boot(
            JAR_DIR,
            List.of(
                new HostSpec("canary-1", Map.of("role", "web", "ring", "canary")),
                new HostSpec("web-1", Map.of("role", "web", "ring", "main")),
                new HostSpec("web-2", Map.of("role", "web", "ring", "main"))))) {
      System.out.printf("3 hosts booted in %.1f s%n", (System.nanoTime() - start) / 1e9);
      assertThat(
              fleet.hosts().stream().map(host -> systemdCgroup(host)).collect(Collectors.toSet()))
          .as("each host's systemd in a cgroup of its own")
          .hasSize(3);
      Path images = Files.createDirectories(fleet.shared().resolve("images"));
      BusyboxImage image = BusyboxImage.build(images);
      fleet.repo().write("apps/app.yaml", appOnTheMainRing(image));
      String revision = fleet.repo().commitAndPush("app on ring=main");
      PrometheusServer prometheus = fleet.startPrometheus();

      for (Host host : fleet.hosts()) {
        assertThat(
                host.exec(
                        "curl",
                        "-s",
                        "--max-time",
                        "5",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code}",
                        prometheus.url() + "/-/ready")
                    .out())
            .as(host + " reaches Prometheus at " + prometheus.url())
            .isEqualTo("200");
      }

      for (Host host : fleet.hosts()) {
        fleet.startAgent(host, fleet.agentConfig(host));
      }
      System.out.printf("3 agents ready after %.1f s%n", (System.nanoTime() - start) / 1e9);

      Await.until(
          "Prometheus scrapes all three agents, up",
          Duration.ofSeconds(30),
          () -> hostsWhere(fleet, "up{job=\"berth-agent\"} == 1").size() == 3,
          prometheus::log);
      assertThat(hostsWhere(fleet, "up{job=\"berth-agent\"} == 1"))
          .containsExactlyInAnyOrder("canary-1", "web-1", "web-2");

      Await.until("app runs on web-1", Duration.ofSeconds(60), fleet.host("web-1").running("app"));
      Await.until("app runs on web-2", Duration.ofSeconds(60), fleet.host("web-2").running("app"));
      Host canary = fleet.host("canary-1");
      Await.until(
          "canary-1 has applied " + revision,
          Duration.ofSeconds(30),
          () -> canary.testbed().agentApi("GET", "/api/v1/status").contains(revision),
          canary::agentLog);
      assertThat(canary.testbed().unitProperty("app", "ActiveState")).isEqualTo("inactive");
      assertThat(canary.exec("test", "-e", "/etc/systemd/nspawn/app.nspawn").exitCode())
          .as("app.nspawn on canary-1")
          .isNotZero();
      assertThat(
              fleet.host("web-1").exec("test", "-e", "/etc/systemd/nspawn/app.nspawn").exitCode())
          .as("app.nspawn on web-1")
          .isZero();
      Await.until(
          "Prometheus sees app on web-1 and web-2 alone",
          Duration.ofSeconds(30),
          () ->
              hostsWhere(fleet, "berth_container_info{container=\"app\"}")
                  .equals(Set.of("web-1", "web-2")));

      fleet.stopPrometheus();
      assertThat(prometheus.alive()).isFalse();
      Testbed.Result after =
          fleet
              .host("web-1")
              .exec(
                  "curl",
                  "-s",
                  "--max-time",
                  "5",
                  "-o",
                  "/dev/null",
                  prometheus.url() + "/-/ready");
      assertThat(after.exitCode()).as("curl to a stopped Prometheus").isNotZero();
    }
    System.out.printf("FleetHarnessE2E took %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  private static String appOnTheMainRing(BusyboxImage image) {
    return """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: app
        spec:
          placement:
            selector:
              matchLabels: {ring: main}
          image:
            tarball:
              url: file://%s/images/%s
              sha256: %s
          privateUsers: "no"
          nspawn:
            Exec:
              KillSignal: SIGUSR2
        """
        .formatted(Fleet.SHARED, image.tarball().getFileName(), image.sha256());
  }

  /** The cgroups of the host's PID 1, as this machine sees them (inside, a cgroup namespace). */
  private static String systemdCgroup(Host host) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(host.testbed().leader()), "cgroup"));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The hosts of the samples of {@code promql} now; empty while Prometheus cannot say. */
  private static Set<String> hostsWhere(Fleet fleet, String promql) {
    try {
      return fleet.query(promql).stream()
          .map(Sample::labels)
          .map(labels -> labels.get("host"))
          .collect(Collectors.toSet());
    } catch (Exception e) {
      return Set.of();
    }
  }
}
