package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code berth agent} with a NixOS container on a real systemd host: builds run beside the passes
 * and a finished build triggers the pass that uses it; the same inputs are built once; a failed
 * build leaves the container on its system with the log's tail in its status, and a fix recovers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NixosAgentE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String ROOT = "/var/lib/machines/app";

  private Path work;
  private Testbed testbed;
  private GitRepo repo;
  private TestbedAgent agent;

  @BeforeAll
  void boot() throws Exception {
    work = Files.createTempDirectory("berth-nixos-agent-e2e");
    repo = GitRepo.create(work);
    Files.writeString(
        work.resolve("agent.yaml"),
        """
        apiVersion: berth.dev/v1alpha1
        kind: AgentConfig
        host:
          name: tb
        source:
          url: file:///opt/e2e/repo.git
          ref: {branch: main}
          interval: 2s
        http:
          listen: 127.0.0.1:9480
        """);
    repo.write("nix/system.nix", NixosE2E.SYSTEM_NIX);
    repo.write("nix/app.nix", generation("1"));
    repo.write("app.yaml", manifest(""));
    repo.commitAndPush("app, generation 1");
    testbed = Testbed.boot(JAR_DIR, work);
    agent = TestbedAgent.underOneName(testbed, work).uncollected().withDefaultKillMode();
    testbed.sh(NixosE2E.OFFLINE_NIX_CONF).orFail("writing nix.conf");
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  private static String generation(String gen) {
    return "import ./system.nix { gen = \"" + gen + "\"; }\n";
  }

  private static String manifest(String labels) {
    return """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: app
        %s
        spec:
          placement:
            hosts: [tb]
          image:
            nixos:
              file: nix/app.nix
          privateUsers: "no"
        """
        .formatted(labels);
  }

  private String read(String path) {
    try {
      return testbed.exec("cat", path).out().strip();
    } catch (Exception e) {
      return "";
    }
  }

  private String leader() throws Exception {
    return testbed.exec("machinectl", "show", "--property=Leader", "--value", "app").out().strip();
  }

  private String journal() throws Exception {
    return testbed.exec("journalctl", "--unit=" + agent.unit(), "--no-pager", "-o", "cat").out();
  }

  private String status() throws Exception {
    String answer = testbed.agentApi("GET", "/api/v1/status");
    return answer.substring(answer.indexOf(' ') + 1);
  }

  private void await(String what, Duration timeout, BooleanSupplier condition) throws Exception {
    Await.until(
        what,
        timeout,
        condition,
        () -> {
          try {
            return "\nstatus: " + status() + "\nagent's log:\n" + journal();
          } catch (Exception e) {
            return "";
          }
        });
  }

  private long builds() throws Exception {
    return journal().lines().filter(line -> line.contains("msg=\"build finished\"")).count();
  }

  @Test
  @Order(1)
  void theAgentBuildsTheSystemAndBootsIt() throws Exception {
    agent.launch();

    await("generation 1 boots", Duration.ofSeconds(90), () -> read(ROOT + "/booted").equals("1"));
    assertThat(builds()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void aPushedSystemIsBuiltAndReloadedInside() throws Exception {
    String leader = leader();
    repo.write("nix/app.nix", generation("2"));
    repo.commitAndPush("generation 2");

    await(
        "generation 2 is active",
        Duration.ofSeconds(60),
        () -> read(ROOT + "/activated").equals("2"));
    assertThat(leader()).isEqualTo(leader);
    assertThat(builds()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void aManifestOnlyChangeBuildsNothing() throws Exception {
    repo.write("app.yaml", manifest("  labels: {tier: web}"));
    String commit = repo.commitAndPush("a label");

    await(
        "the agent applied the commit",
        Duration.ofSeconds(30),
        () -> {
          try {
            return status().matches("(?s).*\"lastAppliedRevision\"\\s*:\\s*\"" + commit + "\".*");
          } catch (Exception e) {
            return false;
          }
        });
    assertThat(builds()).as("the same inputs are not built twice").isEqualTo(2);
  }

  @Test
  @Order(4)
  void aBrokenBuildKeepsTheSystemAndAFixRecovers() throws Exception {
    String leader = leader();
    repo.write("nix/app.nix", "import ./system.nix { gen = brokenName; }\n");
    repo.commitAndPush("broken");

    await(
        "the failed build is reported",
        Duration.ofSeconds(60),
        () -> {
          try {
            return status().contains("undefined variable 'brokenName'");
          } catch (Exception e) {
            return false;
          }
        });
    assertThat(journal()).contains("msg=\"build failed\"");
    assertThat(leader()).isEqualTo(leader);
    assertThat(read(ROOT + "/activated")).isEqualTo("2");

    repo.write("nix/app.nix", generation("3"));
    repo.commitAndPush("fixed");
    await(
        "generation 3 is active",
        Duration.ofSeconds(60),
        () -> read(ROOT + "/activated").equals("3"));
  }
}
