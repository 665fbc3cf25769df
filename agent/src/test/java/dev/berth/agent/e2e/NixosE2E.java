package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * RFC 0108's NixOS path on a real systemd host with a real nix (offline): {@code berth apply}
 * builds the container's system from the repository, boots it from the store with {@code
 * Parameters=}, reloads when only the system changed (its {@code switch-to-configuration test} runs
 * inside, PID 1 stays), restarts otherwise, and keeps the running system through a failed build and
 * a {@code nix-collect-garbage}.
 *
 * <p>No NixOS channel can be downloaded here, so the system is a stand-in toplevel built by real
 * nix: an {@code init} that records its generation and waits for its kill signal, and a {@code
 * bin/switch-to-configuration} that records the generation it activated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NixosE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String REPO = "/opt/e2e/repo";
  private static final String ROOT = "/var/lib/machines/web";
  private static final String ROOTS = "/nix/var/nix/gcroots/berth";

  /** A stand-in NixOS toplevel, {@code { gen, system ? builtins.currentSystem }: ...}. */
  static final String SYSTEM_NIX = standInSystem();

  private static String standInSystem() {
    try (var in = NixosE2E.class.getResourceAsStream("/nixos/standin-system.nix")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Offline and unprivileged builds: no substituters, no sandbox, no build users in the testbed.
   */
  static final String OFFLINE_NIX_CONF =
      "mkdir -p /etc/nix && printf 'sandbox = false\\nsubstituters =\\nbuild-users-group =\\n'"
          + " > /etc/nix/nix.conf";

  private Path work;
  private Testbed testbed;

  @BeforeAll
  void boot() throws Exception {
    assertThat(JAR_DIR.resolve("berth.jar")).as("the built agent (mvn package)").exists();
    work = Files.createTempDirectory("berth-e2e-nixos");
    Files.createDirectories(work.resolve("repo"));
    Files.writeString(work.resolve("repo/system.nix"), SYSTEM_NIX);
    testbed = Testbed.boot(JAR_DIR, work);
    testbed.sh(OFFLINE_NIX_CONF).orFail("writing nix.conf");
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  private void web(String nixFile, String... specLines) throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: berth.dev/v1alpha1
            kind: Container
            metadata:
              name: web
            spec:
              placement:
                hosts: [tb]
              image:
                nixos:
                  file: %s
              privateUsers: "no"
            """
                .formatted(nixFile));
    for (String line : specLines) {
      yaml.append("  ").append(line).append('\n');
    }
    Files.writeString(work.resolve("repo/web.yaml"), yaml);
  }

  private void generation(String gen) throws Exception {
    Files.writeString(
        work.resolve("repo/web.nix"), "import ./system.nix { gen = \"" + gen + "\"; }\n");
  }

  private Testbed.Result apply() throws Exception {
    return testbed.exec(
        java.time.Duration.ofMinutes(3),
        "java",
        "-jar",
        "/opt/berth/berth.jar",
        "apply",
        REPO,
        "--host",
        "tb");
  }

  private String read(String path) throws Exception {
    return testbed.exec("cat", path).orFail("cat " + path).out().strip();
  }

  private String leader() throws Exception {
    return testbed
        .exec("machinectl", "show", "--property=Leader", "--value", "web")
        .orFail("machinectl show")
        .out()
        .strip();
  }

  private String parameters() throws Exception {
    return testbed
        .exec("sed", "-n", "s/^Parameters=//p", "/etc/systemd/nspawn/web.nspawn")
        .orFail("reading Parameters=")
        .out()
        .strip();
  }

  private String rootOf(String name) throws Exception {
    return testbed.exec("readlink", ROOTS + "/" + name).out().strip();
  }

  private String leaderAtStart;

  @Test
  @Order(1)
  void createBuildsTheSystemAndBootsGenerationOne() throws Exception {
    generation("1");
    web("web.nix");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("create web: converged");
    String system = parameters();
    assertThat(system).startsWith("/nix/store/").endsWith("-berth-e2e-system-1/init");
    assertThat(read(ROOT + "/booted")).isEqualTo("1");
    assertThat(read("/etc/systemd/nspawn/web.nspawn"))
        .contains("Boot=no", "BindReadOnly=/nix/store", "KillSignal=SIGRTMIN+3");
    assertThat(testbed.exec("test", "-f", ROOT + "/etc/os-release").exitCode()).isZero();
    assertThat(rootOf("web")).isEqualTo(system.substring(0, system.length() - "/init".length()));
    leaderAtStart = leader();
  }

  @Test
  @Order(2)
  void aChangeOfOnlyTheSystemReloadsAndActivatesInside() throws Exception {
    generation("2");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("reload web: converged");
    assertThat(leader()).as("PID 1 keeps running").isEqualTo(leaderAtStart);
    assertThat(read(ROOT + "/activated")).isEqualTo("2");
    assertThat(read(ROOT + "/booted")).isEqualTo("1");
    assertThat(rootOf("web")).endsWith("-berth-e2e-system-2");
    assertThat(testbed.exec("test", "-e", ROOTS + "/web.next").exitCode())
        .as("no pending system once the new one is active")
        .isNotZero();
    Testbed.Result plan =
        testbed.exec("java", "-jar", "/opt/berth/berth.jar", "plan", REPO, "--host", "tb");
    assertThat(plan.out())
        .as("the live plan counts the system built here: " + plan.err())
        .contains("none web: up to date");
  }

  @Test
  @Order(3)
  void aNewBindMountRestartsIntoTheNewGeneration() throws Exception {
    generation("3");
    testbed.exec("mkdir", "-p", "/srv/data").orFail("mkdir");
    web("web.nix", "bindMounts:", "  - hostPath: /srv/data", "    containerPath: /data");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("restart web: converged");
    assertThat(leader()).isNotEqualTo(leaderAtStart);
    assertThat(read(ROOT + "/booted")).isEqualTo("3");
  }

  @Test
  @Order(4)
  void strategyNoneWritesTheFilesAndLeavesTheContainerAlone() throws Exception {
    String leader = leader();
    generation("4");
    web(
        "web.nix",
        "bindMounts:",
        "  - hostPath: /srv/data",
        "    containerPath: /data",
        "activation:",
        "  strategy: none");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("write web: converged");
    assertThat(leader()).isEqualTo(leader);
    assertThat(read(ROOT + "/booted")).isEqualTo("3");
    assertThat(parameters()).endsWith("-berth-e2e-system-4/init");
    assertThat(rootOf("web")).as("the running system stays rooted").endsWith("-system-3");
    assertThat(rootOf("web.next")).as("and so does the next one").endsWith("-system-4");
  }

  @Test
  @Order(5)
  void aBrokenNixFileKeepsTheRunningSystemAndReportsTheBuildLog() throws Exception {
    String leader = leader();
    String before = parameters();
    web("web.nix", "bindMounts:", "  - hostPath: /srv/data", "    containerPath: /data");
    Files.writeString(
        work.resolve("repo/web.nix"), "import ./system.nix { gen = undefinedName; }\n");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
    assertThat(result.out())
        .contains("web: failed")
        .contains("the build of web.nix failed")
        .contains("undefined variable 'undefinedName'");
    assertThat(leader()).isEqualTo(leader);
    assertThat(parameters()).isEqualTo(before);
  }

  @Test
  @Order(6)
  void garbageCollectionKeepsTheRunningSystem() throws Exception {
    generation("3");
    web("web.nix", "bindMounts:", "  - hostPath: /srv/data", "    containerPath: /data");
    String running = rootOf("web");

    testbed
        .exec(java.time.Duration.ofMinutes(2), "nix-collect-garbage")
        .orFail("nix-collect-garbage");

    assertThat(testbed.exec("test", "-x", running + "/init").exitCode()).isZero();
    Testbed.Result result = apply();
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(read(ROOT + "/booted")).isEqualTo("3");
    assertThat(testbed.exec("test", "-x", running + "/init").exitCode()).isZero();
  }

  @Test
  @Order(7)
  void removingTheContainerReleasesItsRootsAndKeepsItsState() throws Exception {
    Files.delete(work.resolve("repo/web.yaml"));

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("remove web: converged");
    assertThat(testbed.exec("ls", "-A", ROOTS).out().strip()).isEmpty();
    assertThat(testbed.exec("test", "-d", ROOT + "/etc").exitCode()).isZero();
  }

  @Test
  @Order(8)
  void aFlakeIsBuiltWithNixBuild() throws Exception {
    Files.writeString(
        work.resolve("repo/flake.nix"),
        """
        {
          outputs = { self }: {
            toplevel = import ./system.nix { gen = "flake"; system = "x86_64-linux"; };
          };
        }
        """);
    Files.writeString(
        work.resolve("repo/flk.yaml"),
        """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: flk
        spec:
          placement:
            hosts: [tb]
          image:
            nixos:
              file: flake.nix
              attr: toplevel
          privateUsers: "no"
        """);

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("create flk: converged");
    assertThat(read("/var/lib/machines/flk/booted")).isEqualTo("flake");
  }

  @Test
  @Order(9)
  void aFailingActivationFailsTheReload() throws Exception {
    String leader =
        testbed.exec("machinectl", "show", "--property=Leader", "--value", "flk").out().strip();
    Files.writeString(
        work.resolve("repo/flake.nix"),
        """
        {
          outputs = { self }: {
            toplevel = import ./system.nix {
              gen = "flake-2"; system = "x86_64-linux"; activationExit = 3;
            };
          };
        }
        """);

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
    assertThat(result.out()).contains("reload flk: failed");
    assertThat(read("/var/lib/machines/flk/activated")).isEqualTo("flake-2");
    assertThat(
            testbed.exec("machinectl", "show", "--property=Leader", "--value", "flk").out().strip())
        .isEqualTo(leader);
    assertThat(testbed.exec("readlink", ROOTS + "/flk").out()).contains("-system-flake\n");
  }

  @Test
  @Order(10)
  void withRollbackAReloadWhoseActivationFailsGoesBackIntoTheLastGoodSystem() throws Exception {
    String leader =
        testbed.exec("machinectl", "show", "--property=Leader", "--value", "flk").out().strip();
    String failedBefore = read("/etc/systemd/nspawn/flk.nspawn");
    Files.writeString(
        work.resolve("repo/flake.nix"),
        """
        {
          outputs = { self }: {
            toplevel = import ./system.nix {
              gen = "flake-3"; system = "x86_64-linux"; activationExit = 3;
            };
          };
        }
        """);
    Files.writeString(
        work.resolve("repo/flk.yaml"),
        Files.readString(work.resolve("repo/flk.yaml")) + "  rollback: {enabled: true}\n");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
    assertThat(result.out())
        .contains("reload flk: rolled_back (")
        .containsPattern("rolled back to generation 1 in \\d+\\.\\d s: reloaded into it");
    assertThat(read("/var/lib/machines/flk/activated"))
        .as("the last good system's switch-to-configuration ran again")
        .isEqualTo("flake");
    assertThat(
            testbed.exec("machinectl", "show", "--property=Leader", "--value", "flk").out().strip())
        .as("PID 1 kept")
        .isEqualTo(leader);
    assertThat(read("/etc/systemd/nspawn/flk.nspawn")).contains("-system-flake/init");
    assertThat(testbed.exec("readlink", ROOTS + "/flk").out()).contains("-system-flake\n");
    assertThat(failedBefore).as("the failed reload of order 9").contains("-system-flake-2/init");
    assertThat(testbed.exec("java", "-jar", "/opt/berth/berth.jar", "history", "flk").out())
        .containsPattern("\\*1 .* create +good")
        .contains("failed")
        .contains("rolled-back");
  }
}
