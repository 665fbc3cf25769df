package dev.berth.agent.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway systemd host booted with systemd-nspawn from this machine's own OS (TESTBED.md): a
 * volatile root, its own network namespace, real systemd, machined and networkd, in which nested
 * containers run. berth's jar is bound in at /opt/berth, a work directory at /opt/e2e.
 *
 * <p>It ends only the process it started, by its id: SIGTERM (a clean poweroff), then SIGKILL.
 */
public final class Testbed implements AutoCloseable {
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

  private final Process supervisor;
  private final long leader;
  private final Path log;

  private Testbed(Process supervisor, long leader, Path log) {
    this.supervisor = supervisor;
    this.leader = leader;
    this.log = log;
  }

  /** The outcome of a command run in the testbed host. */
  public record Result(int exitCode, String out, String err) {
    public Result orFail(String what) {
      if (exitCode != 0) {
        throw new AssertionError(
            what + " failed with exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return this;
    }
  }

  private static String nixDir(Path workDir) throws IOException {
    Path nix = workDir.toAbsolutePath().resolve("nix");
    Files.createDirectories(nix);
    return nix.toString();
  }

  /** Boots a testbed; fails loudly (never skips) when this machine cannot. */
  public static Testbed boot(Path jarDir, Path workDir) throws IOException, InterruptedException {
    requireRootAndNspawn();
    String machine =
        "berth-e2e-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    Path log = workDir.resolveSibling(machine + ".log");
    List<String> command =
        List.of(
            "systemd-nspawn",
            "--register=no",
            "--keep-unit",
            "--directory=/",
            "--volatile=yes",
            "--boot",
            "--private-network",
            "--machine=" + machine,
            "--bind-ro=/etc/alternatives",
            "--bind-ro=/etc/java-17-openjdk",
            "--bind-ro=/etc/ssl",
            "--bind-ro=" + jarDir.toAbsolutePath() + ":/opt/berth",
            "--bind=" + workDir.toAbsolutePath() + ":/opt/e2e",
            // A store of its own: builds and nix-collect-garbage there touch nothing outside.
            "--bind=" + nixDir(workDir) + ":/nix",
            "systemd.firstboot=off");
    Process supervisor =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    long leader = -1;
    while (System.nanoTime() < deadline && supervisor.isAlive()) {
      leader = leaderOf(supervisor.pid());
      if (leader > 0) {
        Testbed testbed = new Testbed(supervisor, leader, log);
        String state =
            testbed.exec(Duration.ofSeconds(10), "systemctl", "is-system-running").out().strip();
        if (state.equals("running") || state.equals("degraded")) {
          return testbed;
        }
      }
      Thread.sleep(200);
    }
    String output = Files.exists(log) ? Files.readString(log) : "";
    new Testbed(supervisor, leader, log).close();
    throw new IllegalStateException(
        "the testbed host did not boot within "
            + BOOT_TIMEOUT.toSeconds()
            + " s; its console said:\n"
            + output);
  }

  private static void requireRootAndNspawn() throws IOException {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (uid != 0) {
      throw new IllegalStateException(
          "end-to-end tests boot a systemd host and need root; run bin/test as root");
    }
    boolean nspawn =
        List.of("/usr/bin/systemd-nspawn", "/bin/systemd-nspawn").stream()
            .map(Path::of)
            .anyMatch(Files::isExecutable);
    if (!nspawn || !Files.isExecutable(Path.of("/bin/busybox"))) {
      throw new IllegalStateException(
          "end-to-end tests need systemd-nspawn and busybox:"
              + " apt-get install -y systemd-container busybox-static (.ci/run does)");
    }
  }

  private static long leaderOf(long supervisorPid) throws IOException {
    Path children =
        Path.of(
            "/proc",
            Long.toString(supervisorPid),
            "task",
            Long.toString(supervisorPid),
            "children");
    if (!Files.exists(children)) {
      return -1;
    }
    String text = Files.readString(children).strip();
    return text.isEmpty() ? -1 : Long.parseLong(text.split("\\s+")[0]);
  }

  /** A property of container {@code name}'s unit ({@code ActiveState}, {@code MainPID}, ...). */
  public String unitProperty(String name, String property)
      throws IOException, InterruptedException {
    return exec(
            "systemctl",
            "show",
            "--property=" + property,
            "--value",
            "systemd-nspawn@" + name + ".service")
        .orFail("systemctl show")
        .out()
        .strip();
  }

  /** Whether container {@code name}'s unit is active; false while systemd cannot say. */
  public java.util.function.BooleanSupplier running(String name) {
    return () -> {
      try {
        return unitProperty(name, "ActiveState").equals("active");
      } catch (Exception | AssertionError e) {
        return false;
      }
    };
  }

  public Result exec(String... command) throws IOException, InterruptedException {
    return exec(Duration.ofMinutes(5), command);
  }

  public Result exec(Duration timeout, String... command) throws IOException, InterruptedException {
    List<String> full =
        new ArrayList<>(List.of("nsenter", "--target", Long.toString(leader), "--all", "--"));
    full.addAll(List.of(command));
    Path out = Files.createTempFile("berth-e2e", ".out");
    Path err = Files.createTempFile("berth-e2e", ".err");
    try {
      Process process =
          new ProcessBuilder(full)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor();
        throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Where the agent serves its control API unless its configuration says otherwise. */
  public static final String AGENT_SOCKET = "/run/berth/agent.sock";

  /**
   * A call to the agent's control API over its unix socket, as root in the testbed host (curl):
   * "CODE BODY", with CODE 000 when nothing answered.
   */
  public String agentApi(String method, String path) {
    try {
      String out =
          exec(
                  "curl",
                  "-s",
                  "--max-time",
                  "10",
                  "--unix-socket",
                  AGENT_SOCKET,
                  "-X",
                  method,
                  "-w",
                  "\nCODE=%{http_code}",
                  "http://localhost" + path)
              .out();
      int at = out.lastIndexOf("CODE=");
      return at < 0
          ? "000 " + out
          : out.substring(at + 5).strip() + " " + out.substring(0, at).strip();
    } catch (Exception e) {
      return "000 " + e.getMessage();
    }
  }

  /** A shell command line in the testbed host. */
  public Result sh(String script) throws IOException, InterruptedException {
    return exec("sh", "-c", script);
  }

  public String console() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (supervisor.isAlive()) {
      supervisor.destroy(); // SIGTERM: the host powers off cleanly
      if (!supervisor.waitFor(60, TimeUnit.SECONDS)) {
        supervisor.destroyForcibly();
        supervisor.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
