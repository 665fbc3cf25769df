package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.e2e.Fleet.Host;
import dev.berth.agent.e2e.Fleet.HostSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fleet rollouts on three real hosts at once (docs/rollouts.md): {@code canary-1}, {@code web-1}
 * and {@code web-2}, each running the real agent against one Git repository, and a real Prometheus
 * scraping all three, which the agents read their gate from. The scenarios build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final Duration SOAK = Duration.ofSeconds(5);
  private static final Duration CONVERGE = Duration.ofSeconds(120);
  private static final String HEALTHY =
      "  command: [/bin/busybox, test, -e, /etc/inittab]\n    timeoutSec: 20";
  private static final String UNHEALTHY =
      "  command: [/bin/busybox, test, -e, /does-not-exist]\n    timeoutSec: 5";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Fleet fleet;
  private static BusyboxImage image;
  private static String gateUrl;
  private static String windows = "";

  @BeforeAll
  static void bootTheFleet() throws Exception {
    fleet =
        Fleet.boot(
            JAR_DIR,
            List.of(
                new HostSpec("canary-1", Map.of("wave", "canary")),
                new HostSpec("web-1", Map.of("tier", "web")),
                new HostSpec("web-2", Map.of("tier", "web"))));
    image = BusyboxImage.build(Files.createDirectories(fleet.shared().resolve("images")));
    gateUrl = fleet.startPrometheus().url();
  }

  @AfterAll
  static void shutDown() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** The Rollout: the canary first, then every other host once the canary ran it for SOAK. */
  private static String rollout() {
    return """
        apiVersion: berth.dev/v1alpha1
        kind: Rollout
        metadata:
          name: fleet
        spec:
          waves:
            - {name: canary, selector: {matchLabels: {wave: canary}}}
            - {name: web, after: {wave: canary, soak: %ds}}
          gate: {prometheus: {url: "%s", timeout: 2s}}
        %s"""
        .formatted(SOAK.toSeconds(), gateUrl, windows);
  }

  /** A busybox container on {@code placement}, with these spec lines. */
  private static String container(String name, String placement, String... spec) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: berth.dev/v1alpha1
            kind: Container
            metadata:
              name: %s
            spec:
              placement:
                %s
              image:
                tarball:
                  url: file://%s/images/%s
                  sha256: %s
              privateUsers: "no"
              nspawn:
                Exec:
                  KillSignal: SIGUSR2
            """
                .formatted(
                    name, placement, Fleet.SHARED, image.tarball().getFileName(), image.sha256()));
    for (String line : spec) {
      yaml.append("  ").append(line).append('\n');
    }
    return yaml.toString();
  }

  private static final String EVERYWHERE = "hosts: [canary-1, web-1, web-2]";
  private static final String ON_WEB = "selector: {matchLabels: {tier: web}}";

  /**
   * Writes the repository: the Rollout, app (everywhere, with capability and health), site (web-*
   * only) and cache (everywhere, activated by reload: SIGHUP to its init, PID 1 kept).
   */
  private static String push(
      String message, String capability, String health, String cacheCapability) throws Exception {
    fleet.repo().write("rollout.yaml", rollout());
    fleet
        .repo()
        .write(
            "app.yaml",
            container("app", EVERYWHERE, "capabilities: [" + capability + "]", "health:", health));
    fleet.repo().write("site.yaml", container("site", ON_WEB));
    fleet
        .repo()
        .write(
            "cache.yaml",
            container(
                "cache",
                EVERYWHERE,
                "activation: {strategy: reload}",
                "capabilities: [" + cacheCapability + "]"));
    return fleet.repo().commitAndPush(message);
  }

  /** The agent's status document ({@code agentApi} answers "CODE BODY"). */
  private static JsonNode status(Host host) throws Exception {
    String answer = host.testbed().agentApi("GET", "/api/v1/status");
    if (!answer.startsWith("200 ")) {
      throw new IllegalStateException(host.name() + ": status answered " + answer);
    }
    return JSON.readTree(answer.substring(4));
  }

  private static String appliedRevision(Host host) {
    try {
      return status(host).path("lastAppliedRevision").asText("");
    } catch (Exception e) {
      return "";
    }
  }

  private static String heldReason(Host host) {
    try {
      JsonNode held = status(host).path("rollout").path("held");
      return held.path("status").asBoolean() ? held.path("reason").asText() : "";
    } catch (Exception e) {
      return "";
    }
  }

  /** When this host's own agent activated the newest generation of {@code container}. */
  private static Instant lastActivation(Host host, String container) throws Exception {
    JsonNode history =
        JSON.readTree(
            host.exec("java", "-jar", "/opt/berth/berth.jar", "history", container, "-o", "json")
                .orFail("berth history " + container)
                .out());
    JsonNode generations = history.path("generations");
    return Instant.parse(generations.get(generations.size() - 1).path("time").asText());
  }

  private static String property(Host host, String container, String property) throws Exception {
    return host.testbed().unitProperty(container, property);
  }

  private static void awaitApplied(Host host, String revision) throws Exception {
    Await.until(
        host.name() + " applies " + revision,
        CONVERGE,
        () -> appliedRevision(host).equals(revision),
        host::agentLog);
  }

  private static void awaitHeld(Host host, String reason) throws Exception {
    Await.until(
        host.name() + " holds with " + reason,
        Duration.ofSeconds(60),
        () -> heldReason(host).equals(reason),
        host::agentLog);
  }

  /** What Prometheus says the canary converged on its revision at. */
  private static Instant canaryConvergedAt() throws Exception {
    return Instant.ofEpochMilli(
        (long)
            (fleet
                    .query("berth_applied_revision_converged_timestamp_seconds{host=\"canary-1\"}")
                    .get(0)
                    .value()
                * 1000));
  }

  private static Testbed.Result berthFleet() throws Exception {
    Process process =
        new ProcessBuilder(
                "java",
                "-jar",
                JAR_DIR.resolve("berth.jar").toString(),
                "fleet",
                "--prometheus",
                gateUrl)
            .redirectErrorStream(false)
            .start();
    String out = new String(process.getInputStream().readAllBytes());
    String err = new String(process.getErrorStream().readAllBytes());
    return new Testbed.Result(process.waitFor(), out, err);
  }

  @Test
  @Order(1)
  void aGoodRevisionReachesTheCanaryFirstAndTheWebHostsAfterItsSoakPlacedByLabels()
      throws Exception {
    String revision = push("first", "CAP_CHOWN", HEALTHY, "CAP_CHOWN");
    for (Host host : fleet.hosts()) {
      fleet.startAgent(host, fleet.agentConfig(host));
    }
    Host canary = fleet.host("canary-1");
    awaitApplied(canary, revision);
    for (Host web : List.of(fleet.host("web-1"), fleet.host("web-2"))) {
      awaitApplied(web, revision);
    }

    Instant canaryDone = canaryConvergedAt();
    for (Host web : List.of(fleet.host("web-1"), fleet.host("web-2"))) {
      assertThat(lastActivation(web, "app"))
          .as(web.name() + " created app only after the canary ran it for the soak")
          .isAfter(canaryDone.plus(SOAK).minusMillis(1));
      assertThat(web.running("app").getAsBoolean()).isTrue();
      assertThat(web.running("site").getAsBoolean()).as("site on " + web.name()).isTrue();
    }
    assertThat(lastActivation(canary, "app")).isBefore(canaryDone.plusMillis(1));
    assertThat(canary.running("app").getAsBoolean()).isTrue();
    assertThat(canary.exec("test", "-e", "/etc/systemd/nspawn/site.nspawn").exitCode())
        .as("site is placed on tier=web only: no site.nspawn on the canary")
        .isNotZero();
    assertThat(status(canary).path("rollout").path("wave").asText()).isEqualTo("canary");
    assertThat(status(fleet.host("web-1")).path("rollout").path("wave").asText()).isEqualTo("web");
  }

  @Test
  @Order(2)
  void aRevisionThatBreaksTheCanaryIsRolledBackThereAndNeverReachesTheWebHosts() throws Exception {
    Host canary = fleet.host("canary-1");
    List<Host> webs = List.of(fleet.host("web-1"), fleet.host("web-2"));
    Map<String, String> pids = new HashMap<>();
    Map<String, String> nspawns = new HashMap<>();
    for (Host web : webs) {
      pids.put(web.name(), property(web, "app", "MainPID"));
      nspawns.put(web.name(), web.exec("cat", "/etc/systemd/nspawn/app.nspawn").out());
    }

    String bad = push("bad", "CAP_KILL", UNHEALTHY, "CAP_CHOWN");

    Await.until(
        "the canary rolls app back",
        CONVERGE,
        () -> {
          try {
            return status(canary).path("containers").toString().contains("RolledBack");
          } catch (Exception e) {
            return false;
          }
        },
        canary::agentLog);
    for (Host web : webs) {
      awaitHeld(web, "GateFailed");
      JsonNode held = status(web).path("rollout").path("held");
      assertThat(held.path("message").asText()).contains("canary-1");
      assertThat(status(web).path("rollout").path("revision").asText()).isEqualTo(bad);
    }
    // Several more passes: the web hosts still never take it.
    Thread.sleep(6_000);
    for (Host web : webs) {
      assertThat(appliedRevision(web)).isNotEqualTo(bad);
      assertThat(property(web, "app", "MainPID")).isEqualTo(pids.get(web.name()));
      assertThat(web.exec("cat", "/etc/systemd/nspawn/app.nspawn").out())
          .isEqualTo(nspawns.get(web.name()));
      assertThat(heldReason(web)).isEqualTo("GateFailed");
    }
    Testbed.Result table = berthFleet();
    assertThat(table.exitCode()).as(table.out() + table.err()).isZero();
    assertThat(table.out().lines().filter(line -> line.startsWith("web-")))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("GateFailed"));
    assertThat(table.out().lines().filter(line -> line.startsWith("canary-1")).findFirst())
        .get()
        .asString()
        .contains(bad.substring(0, 7));

    String fix = push("fix", "CAP_NET_RAW", HEALTHY, "CAP_CHOWN");
    awaitApplied(canary, fix);
    for (Host web : webs) {
      awaitApplied(web, fix);
    }
    Instant canaryDone = canaryConvergedAt();
    for (Host web : webs) {
      assertThat(lastActivation(web, "app"))
          .as(web.name() + " restarted into the fix only after the canary's soak")
          .isAfter(canaryDone.plus(SOAK).minusMillis(1));
      assertThat(property(web, "app", "MainPID")).isNotEqualTo(pids.get(web.name()));
      assertThat(heldReason(web)).isEmpty();
    }
  }

  @Test
  @Order(3)
  void outsideItsWindowARestartWaitsWhileAReloadInTheSameCommitGoesOn() throws Exception {
    Host canary = fleet.host("canary-1");
    ZonedDateTime opens = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(40).withNano(0);
    windows =
        """
          windows:
            - {cron: "%d %d %d * * ?", duration: 10m, actions: [restart]}
        """
            .formatted(opens.getSecond(), opens.getMinute(), opens.getHour());
    String appPid = property(canary, "app", "MainPID");
    String cachePid = property(canary, "cache", "MainPID");

    String revision = push("window", "CAP_SYS_NICE", HEALTHY, "CAP_KILL");

    String appNspawn = canary.exec("cat", "/etc/systemd/nspawn/app.nspawn").out();
    Await.until(
        "the canary reloads cache into its new files at once",
        Duration.ofSeconds(30),
        () -> {
          try {
            return canary.exec("cat", "/etc/systemd/nspawn/cache.nspawn").out().contains("CAP_KILL")
                && canary.agentLog().contains("container=cache action=reload revision=" + revision);
          } catch (Exception e) {
            return false;
          }
        },
        canary::agentLog);
    assertThat(Instant.now()).as("the reload came before the window").isBefore(opens.toInstant());
    assertThat(canary.agentLog())
        .containsPattern(
            "container=cache action=reload revision=" + revision + " result=converged");
    assertThat(property(canary, "cache", "MainPID")).as("cache's PID 1 kept").isEqualTo(cachePid);
    assertThat(property(canary, "app", "MainPID")).as("app waits").isEqualTo(appPid);
    assertThat(canary.exec("cat", "/etc/systemd/nspawn/app.nspawn").out())
        .as("app's files not written before its window")
        .isEqualTo(appNspawn);
    awaitHeld(canary, "OutsideWindow");
    assertThat(status(canary).path("containers").toString()).contains("OutsideWindow");

    Await.until(
        "app restarts on the canary once the window opens",
        Duration.ofSeconds(90),
        () -> {
          try {
            return !property(canary, "app", "MainPID").equals(appPid)
                && canary.running("app").getAsBoolean();
          } catch (Exception e) {
            return false;
          }
        },
        canary::agentLog);
    assertThat(lastActivation(canary, "app")).isAfter(opens.toInstant().minusMillis(1));
    for (Host host : fleet.hosts()) {
      awaitApplied(host, revision);
    }
  }

  @Test
  @Order(4)
  void withPrometheusStoppedTheWebHostsHoldAndSayWhyWhileTheCanaryGoesOn() throws Exception {
    Host canary = fleet.host("canary-1");
    List<Host> webs = List.of(fleet.host("web-1"), fleet.host("web-2"));
    List<String> pids = new ArrayList<>();
    for (Host web : webs) {
      pids.add(property(web, "app", "MainPID"));
    }
    fleet.stopPrometheus();

    String revision = push("blind", "CAP_AUDIT_WRITE", HEALTHY, "CAP_KILL");

    awaitApplied(canary, revision);
    for (Host web : webs) {
      awaitHeld(web, "GateUnavailable");
      assertThat(status(web).path("rollout").path("held").path("message").asText())
          .startsWith("GateUnavailable");
    }
    Thread.sleep(4_000);
    for (int i = 0; i < webs.size(); i++) {
      assertThat(appliedRevision(webs.get(i))).isNotEqualTo(revision);
      assertThat(property(webs.get(i), "app", "MainPID")).isEqualTo(pids.get(i));
    }
  }
}
