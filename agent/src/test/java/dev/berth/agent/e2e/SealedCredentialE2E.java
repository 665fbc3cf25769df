package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sealed credentials on real systemd hosts: a secret sealed with {@code berth seal} on the host
 * reaches its container through systemd-creds while the repository, the agent's Git cache, /etc and
 * /var/lib/berth hold only ciphertext; a blob sealed on another host (a second testbed, with its
 * own host key) is refused before the running container changes. The scenarios build on each other,
 * in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SealedCredentialE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String BERTH = "/opt/berth/berth.jar";
  private static final String BLOB = "secrets/db-password.cred";
  private static final String INSTALLED = "/var/lib/berth/credentials/vault/db-password.cred";

  /** The container writes what it reads from its credentials directory to its own /run. */
  private static final String INITTAB =
      "::sysinit:/bin/busybox sh -c 'echo \"$CREDENTIALS_DIRECTORY\" > /run/credentials-dir;"
          + " cat \"$CREDENTIALS_DIRECTORY/db-password\" > /run/seen'\n"
          + "::respawn:/bin/busybox sleep 3600\n";

  private final String secret = plaintext();
  private Path work;
  private Path otherWork;
  private Testbed testbed;
  private Testbed other;
  private BusyboxImage image;
  private GitRepo repo;
  private String leader;

  private static String plaintext() {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return "e2e-plaintext-" + HexFormat.of().formatHex(random);
  }

  @BeforeAll
  void boot() throws Exception {
    assertThat(JAR_DIR.resolve("berth.jar")).as("the built agent (mvn package)").exists();
    work = Files.createTempDirectory("berth-sealed-e2e");
    otherWork = Files.createTempDirectory("berth-sealed-other-e2e");
    image = BusyboxImage.build(work, "busybox", INITTAB, Map.of());
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
    testbed = Testbed.boot(JAR_DIR, work);
    other = Testbed.boot(JAR_DIR, otherWork);
  }

  @AfterAll
  void shutDown() throws Exception {
    try {
      if (other != null) {
        other.close();
      }
    } finally {
      if (testbed != null) {
        testbed.close();
      }
    }
  }

  private String vault() {
    return image.killable(
        "vault", "credentials:", "  - id: db-password", "    encryptedFile: " + BLOB);
  }

  /** {@code berth seal} on {@code host}, the secret on its standard input. */
  private static Testbed.Result seal(Testbed host, String value, String out) throws Exception {
    return host.sh(
        "printf %s '" + value + "' | java -jar " + BERTH + " seal --id db-password --out " + out);
  }

  private String active() throws Exception {
    return testbed
        .exec(
            "systemctl",
            "show",
            "--property=ActiveState",
            "--value",
            "systemd-nspawn@vault.service")
        .out()
        .strip();
  }

  private String leader() throws Exception {
    return testbed
        .exec("machinectl", "show", "--property=Leader", "--value", "vault")
        .orFail("machinectl show")
        .out()
        .strip();
  }

  /** What the container read from {@code $CREDENTIALS_DIRECTORY/db-password} when it booted. */
  private String seenByTheContainer() throws Exception {
    return testbed.exec("cat", "/proc/" + leader() + "/root/run/seen").orFail("reading").out();
  }

  private Testbed.Result apply() throws Exception {
    return testbed.exec("java", "-jar", BERTH, "apply", "/opt/e2e/clone", "--host", "tb");
  }

  @Test
  @Order(1)
  void sealRefusesClearlyWhatItCannotDo() throws Exception {
    Testbed.Result nobody =
        testbed.sh(
            "printf x | setpriv --reuid=nobody --regid=nogroup --clear-groups java -jar "
                + BERTH
                + " seal --id db-password");
    Testbed.Result empty = testbed.sh("printf '' | java -jar " + BERTH + " seal --id db-password");
    Testbed.Result badId = testbed.sh("printf x | java -jar " + BERTH + " seal --id 'a/b'");
    Testbed.Result noCreds =
        testbed.sh("printf x | env PATH=/nonexistent /usr/bin/java -jar " + BERTH + " seal --id x");

    assertThat(nobody.exitCode()).isEqualTo(2);
    assertThat(nobody.err().strip())
        .startsWith("berth: berth seal needs root")
        .doesNotContain("\n");
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err().strip()).startsWith("berth: no secret on standard input");
    assertThat(badId.exitCode()).isEqualTo(2);
    assertThat(badId.err().strip())
        .isEqualTo("berth: --id \"a/b\": use letters, digits, '_', '.' and '-'");
    assertThat(noCreds.exitCode()).isEqualTo(2);
    assertThat(noCreds.err().strip()).startsWith("berth: systemd-creds is not installed");
  }

  @Test
  @Order(2)
  void theContainerReadsItsSealedSecretAndTheHostHoldsOnlyCiphertext() throws Exception {
    Files.copy(image.tarball(), work.resolve("busybox.tar"));
    Files.createDirectories(repo.clone.resolve("secrets"));
    seal(testbed, secret, "/opt/e2e/clone/" + BLOB).orFail("berth seal");
    repo.write("apps/vault.yaml", vault());
    // A pass that would remove every container is refused: plain stays when vault goes.
    repo.write("apps/plain.yaml", image.killable("plain"));
    repo.commitAndPush("vault with a sealed db-password");
    TestbedAgent agent = TestbedAgent.underOneName(testbed, work).uncollected();
    agent.launch();

    Await.until(
        "vault runs",
        Duration.ofSeconds(90),
        () -> {
          try {
            return active().equals("active")
                && testbed.exec("test", "-s", "/proc/" + leader() + "/root/run/seen").exitCode()
                    == 0;
          } catch (Exception e) {
            return false;
          }
        },
        () -> {
          try {
            return "\n" + testbed.exec("journalctl", "-u", agent.unit(), "--no-pager").out();
          } catch (Exception e) {
            return "";
          }
        });
    agent.stop();

    assertThat(seenByTheContainer()).isEqualTo(secret);
    assertThat(testbed.exec("cat", "/proc/" + leader() + "/root/run/credentials-dir").out())
        .isEqualTo("/run/host/credentials\n");
    assertThat(testbed.exec("stat", "-c", "%a %U", INSTALLED).orFail("stat").out())
        .isEqualTo("600 root\n");
    assertThat(testbed.exec("stat", "-c", "%a", "/var/lib/berth/credentials/vault").out())
        .isEqualTo("700\n");
    assertThat(testbed.exec("cat", INSTALLED).out())
        .isEqualTo(Files.readString(repo.clone.resolve(BLOB)));
    assertThat(
            testbed
                .exec("cat", "/etc/systemd/system/systemd-nspawn@vault.service.d/50-berth.conf")
                .out())
        .contains("LoadCredentialEncrypted=db-password:" + INSTALLED + "\n")
        .contains(" --load-credential=db-password:%d/db-password");
    assertThat(testbed.exec("test", "-d", "/var/lib/berth/git").exitCode())
        .as("the agent's Git cache")
        .isZero();
    // Files, and what Git holds compressed: every blob and every commit's diff.
    Testbed.Result files =
        testbed.exec(
            "grep",
            "-r",
            "-F",
            "-l",
            "--",
            secret,
            "/etc",
            "/var/lib/berth",
            "/opt/e2e/repo.git",
            "/opt/e2e/clone");
    assertThat(files.exitCode()).as("grep found: " + files.out() + files.err()).isEqualTo(1);
    for (String git : new String[] {"/var/lib/berth/git", "/opt/e2e/repo.git", "/opt/e2e/clone"}) {
      Testbed.Result history =
          testbed.sh(
              "git -c safe.directory='*' -C "
                  + git
                  + " log --all -p --no-color | grep -c -F -- '"
                  + secret
                  + "'");
      assertThat(history.out().strip()).as(git + " history").isEqualTo("0");
    }
    Testbed.Result journal = testbed.sh("journalctl --no-pager | grep -c -F -- '" + secret + "'");
    assertThat(journal.out().strip()).as("the journal").isEqualTo("0");
  }

  @Test
  @Order(3)
  void aBlobSealedOnAnotherHostIsRefusedAndTheRunningContainerKeepsGoing() throws Exception {
    leader = leader();
    String installed = testbed.exec("cat", INSTALLED).orFail("cat").out();
    other.exec("mkdir", "-p", "/opt/e2e/sealed").orFail("mkdir");
    seal(other, "sealed-elsewhere", "/opt/e2e/sealed/db-password.cred").orFail("seal on other");
    Files.copy(
        otherWork.resolve("sealed/db-password.cred"),
        repo.clone.resolve(BLOB),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    repo.commitAndPush("db-password sealed on another host");

    Testbed.Result result = apply();

    System.out.println(result.out());
    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
    assertThat(result.out())
        .contains("restart vault: failed (this host cannot decrypt sealed credential db-password")
        .contains("(" + BLOB + "): systemd-creds decrypt exited")
        .contains("the container is left as it was")
        .contains("host tb: 1 converged, 1 failed");
    assertThat(leader()).as("the running generation's leader").isEqualTo(leader);
    assertThat(active()).isEqualTo("active");
    assertThat(testbed.exec("cat", INSTALLED).out()).as("the installed blob").isEqualTo(installed);
    assertThat(seenByTheContainer()).isEqualTo(secret);
  }

  @Test
  @Order(4)
  void aBlobSealedAgainOnThisHostRestartsTheContainerWithTheNewSecret() throws Exception {
    String rotated = plaintext();
    seal(testbed, rotated, "/opt/e2e/clone/" + BLOB).orFail("berth seal");
    repo.commitAndPush("db-password rotated");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("restart vault: converged (restarted)");
    assertThat(leader()).isNotEqualTo(leader);
    Await.until(
        "vault read its new secret",
        Duration.ofSeconds(30),
        () -> {
          try {
            return seenByTheContainer().equals(rotated);
          } catch (Exception | AssertionError e) {
            return false;
          }
        });
  }

  @Test
  @Order(5)
  void removingTheContainerRemovesItsSealedCredentials() throws Exception {
    repo.delete("apps/vault.yaml");
    repo.commitAndPush("vault gone");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("remove vault: converged");
    assertThat(testbed.exec("test", "-e", "/var/lib/berth/credentials/vault").exitCode())
        .isEqualTo(1);
  }
}
