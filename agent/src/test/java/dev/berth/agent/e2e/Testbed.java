package dev.berth.agent.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A throwaway systemd host booted with systemd-nspawn from this machine's own OS (TESTBED.md): a
 * volatile root, its own network namespace, real systemd, machined and networkd, in which nested
 * containers run. berth's jar is bound in at /opt/berth, a work directory at /opt/e2e.
 *
 * <p>By default its network namespace is private with no link out ({@code --private-network}).
 * {@link Options#onZone} puts it on a network zone instead ({@code --network-zone=NAME}, which
 * implies a private network and CAP_NET_ADMIN inside): its {@code host0} is a veth whose other end
 * nspawn enslaves to the bridge {@code vz-NAME} on this machine, creating the bridge for the first
 * member and deleting it when the last one exits. That works here without systemd as PID 1 (seen on
 * systemd 252). The testbed's networkd, which runs from boot, would otherwise DHCP {@code host0}
 * through the shipped {@code 80-container-host0.network}; a {@code 10-host0.network} with the
 * static address, bound in before boot, wins over it, so networkd itself sets the address and keeps
 * it when a test restarts networkd. This machine's side of the bridge is the caller's ({@link
 * Fleet}).
 *
 * <p>Each testbed runs in a cgroup of its own ({@link TestbedCgroup}), so that several can run, and
 * boot, at once.
 *
 * <p>It ends only the process it started, by its id: SIGTERM (a clean poweroff), then SIGKILL.
 */
public final class Testbed implements AutoCloseable {
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

  /** Keeps the host's own services (SSH, databases, ...) off in the testbed; shared with bin/. */
  private static final Path PRESET =
      Path.of("..", "bin", "lib", "testbed.preset").toAbsolutePath().normalize();

  private final Process supervisor;
  private final long leader;
  private final Path log;
  private final TestbedCgroup cgroup;

  private Testbed(Process supervisor, long leader, Path log, TestbedCgroup cgroup) {
    this.supervisor = supervisor;
    this.leader = leader;
    this.log = log;
    this.cgroup = cgroup;
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

  /**
   * How a testbed boots beyond the defaults: on a network zone with a static address instead of a
   * private network of its own, with extra binds, under a hostname. {@link #DEFAULT} is what {@link
   * #boot(Path, Path)} uses.
   */
  public record Options(Optional<Zone> zone, List<Bind> binds, Optional<String> hostname) {
    public static final Options DEFAULT =
        new Options(Optional.empty(), List.of(), Optional.empty());

    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public Options {
      binds = List.copyOf(binds);
      hostname.ifPresent(
          name -> {
            if (!HOSTNAME.matcher(name).matches()) {
              throw new IllegalArgumentException("not a hostname: " + name);
            }
          });
    }

    /** On zone {@code zone} (the bridge vz-ZONE), {@code host0} at {@code address} (CIDR). */
    public Options onZone(String zone, String address) {
      return new Options(Optional.of(new Zone(zone, address)), binds, hostname);
    }

    /** With {@code source} on this machine bound at {@code target} in the testbed. */
    public Options withBind(Path source, String target, boolean readOnly) {
      List<Bind> more = new ArrayList<>(binds);
      more.add(new Bind(source, target, readOnly));
      return new Options(zone, more, hostname);
    }

    public Options withHostname(String name) {
      return new Options(zone, binds, Optional.of(name));
    }
  }

  /** A network zone and the static IPv4 address (CIDR) of the testbed's {@code host0} on it. */
  public record Zone(String name, String address) {
    // The bridge is vz-NAME, and a link name has at most 15 characters.
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,11}");
    private static final Pattern CIDR =
        Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])");

    public Zone {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "zone name " + name + ": 1-12 of a-z, 0-9 and -, starting with a letter or digit");
      }
      if (!CIDR.matcher(address).matches()) {
        throw new IllegalArgumentException("not an IPv4 address with a prefix: " + address);
      }
    }

    /** The bridge on this machine that nspawn enslaves the testbeds' veths to. */
    public String bridge() {
      return bridge(name);
    }

    /** The bridge of zone {@code name}: nspawn's vz-NAME. */
    public static String bridge(String name) {
      return "vz-" + name;
    }
  }

  /** A directory or file of this machine bound into the testbed. */
  public record Bind(Path source, String target, boolean readOnly) {
    public Bind {
      source = source.toAbsolutePath();
      // nspawn splits --bind= at ':'.
      if (!target.startsWith("/") || target.contains(":") || source.toString().contains(":")) {
        throw new IllegalArgumentException(
            "a bind needs an absolute target and no ':' in either path: " + source + " " + target);
      }
    }

    String argument() {
      return (readOnly ? "--bind-ro=" : "--bind=") + source + ":" + target;
    }
  }

  private static String nixDir(Path workDir) throws IOException {
    Path nix = workDir.toAbsolutePath().resolve("nix");
    Files.createDirectories(nix);
    return nix.toString();
  }

  /** Boots a testbed; fails loudly (never skips) when this machine cannot. */
  public static Testbed boot(Path jarDir, Path workDir) throws IOException, InterruptedException {
    return boot(jarDir, workDir, Options.DEFAULT);
  }

  /**
   * Boots a testbed as {@code options} say; fails loudly (never skips) when this machine cannot.
   */
  public static Testbed boot(Path jarDir, Path workDir, Options options)
      throws IOException, InterruptedException {
    requireRootAndNspawn();
    String machine =
        "berth-e2e-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    Path log = workDir.resolveSibling(machine + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                "systemd-nspawn",
                "--register=no",
                "--keep-unit",
                "--directory=/",
                "--volatile=yes",
                "--boot",
                "--machine=" + machine,
                "--bind-ro=/etc/alternatives",
                "--bind-ro=/etc/java-17-openjdk",
                "--bind-ro=/etc/ssl",
                "--bind-ro=" + PRESET + ":/etc/systemd/system-preset/99-berth-testbed.preset",
                "--bind-ro=" + jarDir.toAbsolutePath() + ":/opt/berth",
                "--bind=" + workDir.toAbsolutePath() + ":/opt/e2e",
                // A store of its own: builds and nix-collect-garbage there touch nothing outside.
                "--bind=" + nixDir(workDir) + ":/nix"));
    if (options.zone().isPresent()) {
      Zone zone = options.zone().get();
      Path network = workDir.resolveSibling(machine + ".host0.network");
      Files.writeString(
          network,
          """
          [Match]
          Name=host0

          [Network]
          Address=%s
          LinkLocalAddressing=no
          IPv6AcceptRA=no
          """
              .formatted(zone.address()));
      command.add("--network-zone=" + zone.name());
      command.add(
          "--bind-ro=" + network.toAbsolutePath() + ":/etc/systemd/network/10-host0.network");
    } else {
      command.add("--private-network");
    }
    options.binds().forEach(bind -> command.add(bind.argument()));
    options.hostname().ifPresent(name -> command.add("--hostname=" + name));
    command.add("systemd.firstboot=off");
    TestbedCgroup cgroup = TestbedCgroup.create(machine);
    Process supervisor =
        new ProcessBuilder(cgroup.wrap(command))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    long leader = -1;
    while (System.nanoTime() < deadline && supervisor.isAlive()) {
      leader = leaderOf(supervisor.pid());
      if (leader > 0) {
        Testbed testbed = new Testbed(supervisor, leader, log, cgroup);
        String state =
            testbed.exec(Duration.ofSeconds(10), "systemctl", "is-system-running").out().strip();
        if ((state.equals("running") || state.equals("degraded"))
            && options.zone().map(testbed::hasAddress).orElse(true)) {
          return testbed;
        }
      }
      Thread.sleep(200);
    }
    String output = Files.exists(log) ? Files.readString(log) : "";
    new Testbed(supervisor, leader, log, cgroup).close();
    throw new IllegalStateException(
        "the testbed host did not boot within "
            + BOOT_TIMEOUT.toSeconds()
            + " s; its console said:\n"
            + output);
  }

  /**
   * Whether networkd has set {@code zone}'s static address on {@code host0}; it is started here in
   * case this OS does not enable it.
   */
  private boolean hasAddress(Zone zone) {
    try {
      exec(Duration.ofSeconds(10), "systemctl", "start", "systemd-networkd");
      String addresses =
          exec(Duration.ofSeconds(10), "ip", "-o", "-4", "addr", "show", "dev", "host0").out();
      return addresses.contains(" " + zone.address() + " ");
    } catch (IOException | AssertionError e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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

  /** The booted host's PID 1, as this machine sees it. */
  public long leader() {
    return leader;
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
    cgroup.remove();
  }
}
