package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code berth agent} with {@code source.urls: [primary, mirror]} on a real systemd host, both bare
 * repositories made with the git CLI: while the primary is gone (its directory moved away) the
 * mirror serves, status and metrics say so, and the mirror's commit runs; a mirror then given older
 * history than what was applied is refused ({@code RewindRefused}) and nothing changes. The
 * scenarios build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String PRIMARY = "file:///opt/e2e/repo.git";
  private static final String MIRROR = "file:///opt/e2e/mirror.git";

  private Path work;
  private Path mirror;
  private Testbed testbed;
  private TestbedAgent agent;
  private BusyboxImage image;
  private GitRepo repo;
  private String first;
  private String second;

  @BeforeAll
  void boot() throws Exception {
    work = Files.createTempDirectory("berth-mirror-e2e");
    image = BusyboxImage.build(work);
    repo = GitRepo.create(work);
    mirror = work.resolve("mirror.git");
    GitRepo.git(work, "init", "--quiet", "--bare", "--initial-branch=main", mirror.toString());
    Files.writeString(
        work.resolve("agent.yaml"),
        """
        apiVersion: berth.dev/v1alpha1
        kind: AgentConfig
        host:
          name: tb
        source:
          urls: [%s, %s]
          ref: {branch: main}
          interval: 1s
        sync:
          resyncInterval: 1m
        http:
          listen: 127.0.0.1:9480
        """
            .formatted(PRIMARY, MIRROR));
    repo.write("apps/one.yaml", image.killable("one"));
    first = repo.commitAndPush("one");
    syncMirror();
    testbed = Testbed.boot(JAR_DIR, work);
    agent = TestbedAgent.underOneName(testbed, work).uncollected();
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  /** The mirror takes the primary's branches as they are now. */
  private void syncMirror() throws Exception {
    GitRepo.git(mirror, "fetch", "--quiet", repo.bare.toString(), "+refs/heads/*:refs/heads/*");
  }

  private void startAgent() throws Exception {
    agent.launch();
    Await.until(
        "the agent is ready", Duration.ofSeconds(60), () -> get("/readyz").startsWith("200"));
  }

  /** GET on the agent's loopback port from inside the host (busybox wget): "CODE BODY". */
  private String get(String path) {
    try {
      Testbed.Result result =
          testbed.exec(
              "sh",
              "-c",
              "busybox wget -q -O - 'http://127.0.0.1:9480" + path + "' && echo && echo CODE=200");
      String out = result.out();
      int at = out.lastIndexOf("CODE=");
      return at < 0 ? "000 " + result.err() : "200 " + out.substring(0, at).strip();
    } catch (Exception e) {
      return "000 " + e.getMessage();
    }
  }

  private String status() {
    return testbed.agentApi("GET", "/api/v1/status");
  }

  private String log() {
    try {
      return "\nstatus: " + status() + agent.journal();
    } catch (Exception e) {
      return "";
    }
  }

  /** A string field of the status JSON (the first one of that name). */
  private static String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    return matcher.find() ? matcher.group(1) : null;
  }

  private long fetches(String remote, String result) {
    Matcher matcher =
        Pattern.compile(
                "(?m)^berth_source_fetch_total\\{remote=\""
                    + remote
                    + "\",result=\""
                    + result
                    + "\"\\} (\\S+)$")
            .matcher(get("/metrics"));
    return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
  }

  private String applied() throws Exception {
    return testbed.exec("cat", "/var/lib/berth/applied-revision").out();
  }

  private void reconcile() {
    testbed.agentApi("POST", "/api/v1/reconcile");
  }

  @Test
  @Order(1)
  void thePrimaryServesWhileItIsThere() throws Exception {
    Files.copy(image.tarball(), work.resolve("busybox.tar"));
    startAgent();

    Await.until("one runs", Duration.ofSeconds(60), testbed.running("one"), this::log);
    Await.until(
        "the pass records " + first,
        Duration.ofSeconds(30),
        () -> {
          try {
            return applied().startsWith(first);
          } catch (Exception e) {
            return false;
          }
        },
        this::log);

    assertThat(field(status(), "servedBy")).isEqualTo(PRIMARY);
    assertThat(fetches("primary", "success")).isPositive();
  }

  @Test
  @Order(2)
  void withThePrimaryGoneTheMirrorServesAndItsCommitRuns() throws Exception {
    // The primary goes before "two" exists anywhere the agent polls, so that no poll (every 1 s)
    // can fetch it from the primary and leave the mirror only an unchanged answer.
    Files.move(repo.bare, work.resolve("repo.git.away"));
    repo.write("apps/two.yaml", image.killable("two"));
    second = repo.commit("two");
    GitRepo.git(repo.clone, "push", "--quiet", mirror.toString(), "main");
    reconcile();

    Await.until("two runs", Duration.ofSeconds(60), testbed.running("two"), this::log);
    Await.until(
        "the pass records " + second,
        Duration.ofSeconds(30),
        () -> {
          try {
            return applied().startsWith(second);
          } catch (Exception e) {
            return false;
          }
        },
        this::log);

    String status = status();
    assertThat(field(status, "servedBy")).isEqualTo(MIRROR);
    assertThat(field(status, "fetchedRevision")).isEqualTo(second);
    assertThat(fetches("mirror-1", "success")).isPositive();
    assertThat(fetches("primary", "SourceUnreachable")).isPositive();
    assertThat(testbed.unitProperty("one", "ActiveState")).isEqualTo("active");
  }

  @Test
  @Order(3)
  void aMirrorWithOlderHistoryIsRefusedAndNothingChanges() throws Exception {
    GitRepo.git(mirror, "update-ref", "refs/heads/main", first);
    reconcile();

    Await.until(
        "the stale mirror is refused",
        Duration.ofSeconds(30),
        () -> status().contains("RewindRefused"),
        this::log);
    assertThat(status()).contains("does not descend from " + second);
    assertThat(fetches("mirror-1", "RewindRefused")).isPositive();
    reconcile();
    Thread.sleep(2000);

    assertThat(testbed.unitProperty("two", "ActiveState"))
        .as("two, which the older history lacks, keeps running")
        .isEqualTo("active");
    assertThat(testbed.unitProperty("one", "ActiveState")).isEqualTo("active");
    assertThat(applied()).startsWith(second);
    assertThat(status()).contains("RewindRefused");
  }
}
