package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code berth create|update|remove|list} on a real systemd host, beside a running agent whose Git
 * repository manages other containers with prune on: the imperative container is created, updated
 * by restart and by forced reload, never pruned or taken over by the agent, left stopped when an
 * administrator stops it with machinectl, listed, and removed with its state kept. Scenarios build
 * on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImperativeE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String BERTH = "/opt/berth/berth.jar";

  private Path work;
  private Testbed testbed;
  private TestbedAgent agent;
  private BusyboxImage image;
  private GitRepo repo;
  private String impPid;

  @BeforeAll
  void boot() throws Exception {
    assertThat(JAR_DIR.resolve("berth.jar")).as("the built agent (mvn package)").exists();
    work = Files.createTempDirectory("berth-imperative-e2e");
    image = BusyboxImage.build(work);
    Files.copy(image.tarball(), work.resolve("busybox.tar"));
    repo = GitRepo.create(work);
    Files.writeString(
        work.resolve("agent.yaml"),
        TestbedAgent.config()
            .source("ref: {branch: main}")
            .sync("prune: true", "selfHeal: true", "maxRemovals: 5")
            .yaml());
    repo.write("apps/g1.yaml", container("g1"));
    repo.write("apps/g2.yaml", container("g2"));
    repo.commitAndPush("g1 and g2");
    testbed = Testbed.boot(JAR_DIR, work);
    agent = TestbedAgent.underOneName(testbed, work).uncollected();
    testbed.sh(NixosE2E.OFFLINE_NIX_CONF).orFail("writing nix.conf");
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  private String container(String name, String... spec) {
    return image.killable(name, spec);
  }

  /** An imperative manifest: no placement (the command places it), written to /opt/e2e/FILE. */
  private String manifest(String file, String name, String... spec) throws Exception {
    String yaml = container(name, spec).replace("  placement:\n    hosts: [tb]\n", "");
    Files.writeString(work.resolve(file), yaml);
    return "/opt/e2e/" + file;
  }

  private Testbed.Result berth(String... args) throws Exception {
    String[] command = new String[args.length + 3];
    command[0] = "java";
    command[1] = "-jar";
    command[2] = BERTH;
    System.arraycopy(args, 0, command, 3, args.length);
    return testbed.exec(command);
  }

  private String show(String name, String property) throws Exception {
    return testbed
        .exec(
            "systemctl",
            "show",
            "--property=" + property,
            "--value",
            "systemd-nspawn@" + name + ".service")
        .out()
        .strip();
  }

  private BooleanSupplier state(String name, String activeState) {
    return () -> {
      try {
        return show(name, "ActiveState").equals(activeState);
      } catch (Exception e) {
        return false;
      }
    };
  }

  /** The agent's control API over its unix socket: the answer's body. */
  private String http(String method, String path) throws Exception {
    String answer = testbed.agentApi(method, path);
    return answer.substring(answer.indexOf(' ') + 1);
  }

  /** Asks the agent for a pass and waits until it has finished two more. */
  private void twoAgentPasses() throws Exception {
    int before = passes();
    http("POST", "/api/v1/reconcile");
    Await.until(
        "two more agent passes",
        Duration.ofSeconds(30),
        () -> {
          try {
            return passes() >= Math.min(before + 2, 20);
          } catch (Exception e) {
            return false;
          }
        });
  }

  private int passes() throws Exception {
    String status = http("GET", "/api/v1/status");
    if (!status.startsWith("{")) {
      return -1;
    }
    return new ObjectMapper().readTree(status).path("passes").size();
  }

  private boolean exists(String path) throws Exception {
    return testbed.exec("test", "-e", path).exitCode() == 0;
  }

  private String agentLog() throws Exception {
    return testbed.exec("journalctl", "-u", agent.unit(), "--no-pager", "-o", "cat").out();
  }

  @Test
  @Order(1)
  void createStartsTheContainerAtOnce() throws Exception {
    String file = manifest("imp.yaml", "imp");

    Testbed.Result created = berth("create", "imp", "-f", file);

    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("create imp: converged (unpacked");
    assertThat(show("imp", "ActiveState")).isEqualTo("active");
    assertThat(testbed.exec("machinectl", "list", "--no-legend").out()).contains("imp");
    impPid = show("imp", "MainPID");
  }

  @Test
  @Order(2)
  void updateRestartsForAChangedSettingAndReloadsWhenForced() throws Exception {
    Testbed.Result restarted =
        berth("update", "imp", "-f", manifest("imp.yaml", "imp", "capabilities: [CAP_NET_ADMIN]"));

    assertThat(restarted.exitCode()).as(restarted.err()).isZero();
    assertThat(restarted.out()).contains("restart imp: converged (restarted)");
    assertThat(show("imp", "MainPID")).isNotEqualTo(impPid);
    impPid = show("imp", "MainPID");
    assertThat(testbed.exec("cat", "/etc/systemd/nspawn/imp.nspawn").out())
        .contains("Capability=CAP_NET_ADMIN");

    Testbed.Result reloaded =
        berth(
            "update",
            "imp",
            "-f",
            manifest("imp.yaml", "imp", "capabilities: [CAP_NET_ADMIN, CAP_SYS_TIME]"),
            "--reload");

    assertThat(reloaded.exitCode()).as(reloaded.err()).isZero();
    assertThat(reloaded.out()).contains("reload imp: converged (reloaded");
    assertThat(show("imp", "MainPID")).isEqualTo(impPid);
    assertThat(show("imp", "ActiveState")).isEqualTo("active");
  }

  @Test
  @Order(3)
  void theAgentWithPruneOnLeavesTheImperativeContainerAlone() throws Exception {
    agent.launch();
    Await.until("g1 runs", Duration.ofSeconds(90), state("g1", "active"));
    Await.until("g2 runs", Duration.ofSeconds(30), state("g2", "active"));

    repo.delete("apps/g2.yaml");
    repo.commitAndPush("g2 goes");
    http("POST", "/api/v1/reconcile");
    Await.until(
        "g2 is pruned",
        Duration.ofSeconds(30),
        () -> {
          try {
            return !exists("/etc/systemd/nspawn/g2.nspawn");
          } catch (Exception e) {
            return false;
          }
        });
    twoAgentPasses();

    assertThat(show("imp", "ActiveState")).isEqualTo("active");
    assertThat(show("imp", "MainPID")).isEqualTo(impPid);
    assertThat(exists("/etc/systemd/nspawn/imp.nspawn")).isTrue();
    assertThat(agentLog()).contains("container=g2 action=remove").doesNotContain("container=imp");
  }

  @Test
  @Order(4)
  void aGitManifestThatClaimsTheImperativeNameIsAConflict() throws Exception {
    String before = testbed.exec("cat", "/etc/systemd/nspawn/imp.nspawn").out();
    repo.write("apps/imp.yaml", container("imp", "capabilities: [CAP_SYS_ADMIN]"));
    repo.commitAndPush("Git claims imp");

    Await.until(
        "the agent reports the conflict",
        Duration.ofSeconds(30),
        () -> {
          try {
            return http("GET", "/api/v1/status")
                .contains(
                    "imp is an imperative container (berth create); Git does not take it over");
          } catch (Exception e) {
            return false;
          }
        });

    assertThat(testbed.exec("cat", "/etc/systemd/nspawn/imp.nspawn").out()).isEqualTo(before);
    assertThat(show("imp", "MainPID")).isEqualTo(impPid);
    assertThat(agentLog()).contains("container=imp action=conflict");
    repo.delete("apps/imp.yaml");
    repo.commitAndPush("Git lets imp go");
  }

  @Test
  @Order(5)
  void aGitOwnedNameIsRefusedByCreateUpdateAndRemove() throws Exception {
    String file = manifest("g1.yaml", "g1");

    Testbed.Result create = berth("create", "g1", "-f", file);
    Testbed.Result update = berth("update", "g1", "-f", file);
    Testbed.Result remove = berth("remove", "g1");

    assertThat(create.exitCode()).isEqualTo(2);
    assertThat(create.err().strip())
        .isEqualTo(
            "berth: container g1 is managed from Git (owner: git in berth's inventory);"
                + " change its manifest in the repository instead");
    assertThat(update.exitCode()).isEqualTo(2);
    assertThat(update.err()).contains("container g1 is managed from Git");
    assertThat(remove.exitCode()).isEqualTo(2);
    assertThat(remove.err().strip())
        .isEqualTo(
            "berth: container g1 is managed from Git (owner: git in berth's inventory);"
                + " delete its manifest from the repository and the agent prunes it");
    assertThat(show("g1", "ActiveState")).isEqualTo("active");

    // A name Git places here that the agent could not create (its NixOS build fails, which leaves
    // the container alone) is not in the inventory; the agent's status names it, and create is
    // refused all the same.
    repo.write("nix/g3.nix", "builtins.abort \"no system for g3\"\n");
    repo.write(
        "apps/g3.yaml",
        """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: g3
        spec:
          placement: {hosts: [tb]}
          image: {nixos: {file: nix/g3.nix}}
        """);
    repo.commitAndPush("g3, a NixOS container");
    http("POST", "/api/v1/reconcile");
    Await.until(
        "the agent reports g3",
        Duration.ofSeconds(30),
        () -> {
          try {
            return http("GET", "/api/v1/status").contains("\"g3\"");
          } catch (Exception e) {
            return false;
          }
        });

    Testbed.Result g3 = berth("create", "g3", "-f", manifest("g3.yaml", "g3"));

    assertThat(g3.exitCode()).isEqualTo(2);
    assertThat(g3.err().strip())
        .isEqualTo(
            "berth: a Git manifest places a container g3 on this host (the agent's status says"
                + " so); pick another name");
    assertThat(exists("/etc/systemd/nspawn/g3.nspawn")).isFalse();
    repo.delete("apps/g3.yaml");
    repo.commitAndPush("g3 goes");
  }

  /**
   * machinectl's stop and poweroff send SIGRTMIN+4 and reboot SIGINT, as a systemd init (NixOS)
   * expects; busybox init ignores the first and runs its ctrlaltdel entry on the second. So the
   * administrator here stops with terminate, and the state directory's inittab (the user's data,
   * which berth never rewrites) gets a ctrlaltdel entry that reboots.
   */
  @Test
  @Order(6)
  void machinectlTerminatesStartsAndRebootsItAndTheAgentDoesNotFightTheStop() throws Exception {
    testbed
        .sh("echo '::ctrlaltdel:/bin/busybox reboot' >> /var/lib/machines/imp/etc/inittab")
        .orFail("a ctrlaltdel entry");
    testbed.exec("machinectl", "terminate", "imp").orFail("machinectl terminate imp");
    Await.until("imp stopped", Duration.ofSeconds(30), state("imp", "inactive"));

    twoAgentPasses();

    assertThat(show("imp", "ActiveState")).isEqualTo("inactive");
    testbed.exec("machinectl", "start", "imp").orFail("machinectl start imp");
    Await.until("imp runs again", Duration.ofSeconds(30), state("imp", "active"));
    String before = show("imp", "MainPID");

    testbed.exec("machinectl", "reboot", "imp").orFail("machinectl reboot imp");
    Await.until(
        "imp rebooted",
        Duration.ofSeconds(60),
        () -> {
          try {
            String pid = show("imp", "MainPID");
            return show("imp", "ActiveState").equals("active")
                && !pid.equals(before)
                && !pid.equals("0");
          } catch (Exception e) {
            return false;
          }
        });
    assertThat(testbed.exec("machinectl", "list", "--no-legend").out()).contains("imp");
  }

  @Test
  @Order(7)
  void listShowsOwnerStateImageAndRevision() throws Exception {
    Testbed.Result list = berth("list");

    System.out.print("berth list:\n" + list.out());
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out().lines().findFirst().orElseThrow())
        .matches("NAME +OWNER +STATE +IMAGE +REVISION +UPDATED");
    assertThat(list.out())
        .containsPattern(
            "(?m)^imp +imperative +active/running +tarball file:///opt/e2e/busybox.tar +- +20")
        .containsPattern(
            "(?m)^g1 +git +active/running +tarball file:///opt/e2e/busybox.tar +[0-9a-f]{12} +20")
        .doesNotContainPattern("(?m)^g2 ");

    Testbed.Result json = berth("list", "--output", "json");
    JsonNode rows = new ObjectMapper().readTree(json.out()).path("containers");
    JsonNode imp = null;
    for (JsonNode row : rows) {
      if (row.path("name").asText().equals("imp")) {
        imp = row;
      }
    }
    assertThat(imp).isNotNull();
    assertThat(imp.path("owner").asText()).isEqualTo("imperative");
    assertThat(imp.path("state").asText()).isEqualTo("active/running");
    assertThat(imp.path("image").asText()).isEqualTo("tarball file:///opt/e2e/busybox.tar");
  }

  @Test
  @Order(8)
  void removeStopsItAndKeepsTheStateDirectory() throws Exception {
    Testbed.Result removed = berth("remove", "imp");

    assertThat(removed.exitCode()).as(removed.err()).isZero();
    assertThat(removed.out())
        .contains(
            "remove imp: converged (disabled, stopped, files removed; state directory"
                + " /var/lib/machines/imp kept)");
    assertThat(show("imp", "ActiveState")).isEqualTo("inactive");
    assertThat(exists("/etc/systemd/nspawn/imp.nspawn")).isFalse();
    assertThat(exists("/var/lib/machines/imp/etc/os-release")).isTrue();
    assertThat(berth("list").out()).doesNotContain("imp");
    assertThat(show("g1", "ActiveState")).isEqualTo("active");

    Testbed.Result again = berth("remove", "imp");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err().strip()).isEqualTo("berth: no container imp in berth's inventory");
  }

  /**
   * RFC 0108's own case: a NixOS container made by hand. Its system is built by real nix (offline,
   * the stand-in toplevel of NixosE2E) from the manifest's directory; changing only the system is a
   * reload by the dynamic rule: generation 2 is activated inside, PID 1 stays.
   */
  @Test
  @Order(9)
  void aNixosContainerIsBuiltFromItsDirectoryAndReloadedWhenOnlyItsSystemChanged()
      throws Exception {
    Path dir = work.resolve("nimp");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("system.nix"), NixosE2E.SYSTEM_NIX);
    Files.writeString(dir.resolve("nimp.nix"), "import ./system.nix { gen = \"1\"; }\n");
    Files.writeString(
        dir.resolve("nimp.yaml"),
        """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: nimp
        spec:
          image:
            nixos:
              file: nimp.nix
          privateUsers: "no"
        """);

    Testbed.Result created =
        testbed.exec(
            Duration.ofMinutes(3),
            "java",
            "-jar",
            BERTH,
            "create",
            "nimp",
            "-f",
            "/opt/e2e/nimp/nimp.yaml");

    assertThat(created.exitCode()).as(created.out() + created.err()).isZero();
    assertThat(created.out())
        .contains("note: building the NixOS system of nimp from /opt/e2e/nimp/nimp.nix")
        .contains("create nimp: converged");
    Await.until(
        "generation 1 booted",
        Duration.ofSeconds(30),
        () -> read("/var/lib/machines/nimp/booted").equals("1"));
    String leader = leader("nimp");
    assertThat(testbed.exec("readlink", "/nix/var/nix/gcroots/berth/nimp").out())
        .contains("-berth-e2e-system-1");

    Files.writeString(dir.resolve("nimp.nix"), "import ./system.nix { gen = \"2\"; }\n");
    Testbed.Result updated =
        testbed.exec(
            Duration.ofMinutes(3),
            "java",
            "-jar",
            BERTH,
            "update",
            "nimp",
            "-f",
            "/opt/e2e/nimp/nimp.yaml");

    assertThat(updated.exitCode()).as(updated.out() + updated.err()).isZero();
    assertThat(updated.out()).contains("reload nimp: converged (reloaded");
    Await.until(
        "generation 2 activated inside",
        Duration.ofSeconds(30),
        () -> read("/var/lib/machines/nimp/activated").equals("2"));
    assertThat(leader("nimp")).isEqualTo(leader);
    assertThat(testbed.exec("readlink", "/nix/var/nix/gcroots/berth/nimp").out())
        .contains("-berth-e2e-system-2");

    Testbed.Result removed = berth("remove", "nimp");
    assertThat(removed.exitCode()).as(removed.err()).isZero();
    assertThat(exists("/nix/var/nix/gcroots/berth/nimp")).isFalse();
    assertThat(exists("/var/lib/machines/nimp/booted")).isTrue();
  }

  private String read(String path) {
    try {
      return testbed.exec("cat", path).out().strip();
    } catch (Exception e) {
      return "";
    }
  }

  private String leader(String machine) throws Exception {
    return testbed
        .exec("machinectl", "show", "--property=Leader", "--value", machine)
        .orFail("machinectl show")
        .out()
        .strip();
  }
}
