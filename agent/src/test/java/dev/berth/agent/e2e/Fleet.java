package dev.berth.agent.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Several testbed hosts with labels on one network zone, every agent polling one bare Git
 * repository (file:///opt/fleet/repo.git) in a directory shared read-only by all of them, and a
 * real Prometheus on this machine's side of the zone's bridge that scrapes their agents.
 *
 * <p>Addresses: the zone is a /24 of 10.231.0.0/16 that no other fleet on this machine holds (a
 * lock file per subnet); this machine is {@code .1} on the bridge, the hosts {@code .11}, {@code
 * .12}, ... in the order given. Traffic goes only between these. {@link #close} ends everything it
 * started, in reverse order, and deletes the bridge should nspawn have left it.
 */
public final class Fleet implements AutoCloseable {
  /** Where each testbed sees the shared directory (read-only): the bare repository and images. */
  public static final String SHARED = "/opt/fleet";

  /** The port of each agent's TCP listener (/metrics, /readyz) on its host's zone address. */
  public static final int AGENT_PORT = 9480;

  private static final Duration AGENT_READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final Path dir;
  private final Subnet subnet;
  private final GitRepo repo;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private PrometheusServer prometheus;

  private Fleet(Path dir, Subnet subnet, GitRepo repo) {
    this.dir = dir;
    this.subnet = subnet;
    this.repo = repo;
  }

  /** A host to boot: its name (also its hostname and berth host name) and its labels. */
  public record HostSpec(String name, Map<String, String> labels) {
    public HostSpec {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a host name: " + name);
      }
      labels = Map.copyOf(new LinkedHashMap<>(labels));
    }
  }

  /** A booted host of the fleet: its testbed, its zone address, the agent started on it. */
  public static final class Host {
    private final HostSpec spec;
    private final String address;
    private final Path work;
    private final Testbed testbed;
    private final TestbedAgent agent;
    private String agentUnit;

    private Host(HostSpec spec, String address, Path work, Testbed testbed) {
      this.spec = spec;
      this.address = address;
      this.work = work;
      this.testbed = testbed;
      this.agent = new TestbedAgent(testbed, work);
    }

    public String name() {
      return spec.name();
    }

    public Map<String, String> labels() {
      return spec.labels();
    }

    /** Its address on the zone, such as 10.231.0.11. */
    public String address() {
      return address;
    }

    /** Its work directory on this machine, /opt/e2e in the host. */
    public Path work() {
      return work;
    }

    public Testbed testbed() {
      return testbed;
    }

    public Testbed.Result exec(String... command) throws IOException, InterruptedException {
      return testbed.exec(command);
    }

    public Testbed.Result sh(String script) throws IOException, InterruptedException {
      return testbed.sh(script);
    }

    /** Whether container {@code name}'s unit is active on this host. */
    public BooleanSupplier running(String name) {
      return testbed.running(name);
    }

    /** The transient unit the agent runs in since its last start; null before the first. */
    public String agentUnit() {
      return agentUnit;
    }

    /** The agent's journal since its last start. */
    public String agentLog() {
      if (agentUnit == null) {
        return "(no agent started)";
      }
      try {
        return testbed.exec("journalctl", "--no-pager", "-o", "cat", "-u", agentUnit).out();
      } catch (Exception | AssertionError e) {
        return "(journal unreadable: " + e.getMessage() + ")";
      }
    }

    /** The host's failed units and their journal, to show when something on it does not start. */
    public String failures() {
      try {
        return testbed
            .sh(
                "systemctl --failed --no-pager --plain; ls -la /run/dbus; journalctl -b --no-pager"
                    + " -o short-monotonic -u systemd-tmpfiles-setup -u dbus.socket -u dbus.service"
                    + " | tail -60")
            .out();
      } catch (Exception | AssertionError e) {
        return "(unreadable: " + e.getMessage() + ")";
      }
    }

    @Override
    public String toString() {
      return name() + " (" + address + ")";
    }
  }

  /**
   * Boots {@code specs} in parallel on one new zone and creates the shared bare repository; gives
   * this machine its address on the bridge. Fails loudly when a host does not boot, after ending
   * those that did.
   */
  public static Fleet boot(Path jarDir, List<HostSpec> specs) throws Exception {
    if (specs.isEmpty() || specs.size() > 100) {
      throw new IllegalArgumentException("a fleet has 1 to 100 hosts, not " + specs.size());
    }
    if (specs.stream().map(HostSpec::name).distinct().count() != specs.size()) {
      throw new IllegalArgumentException("host names repeat: " + specs);
    }
    Path dir = Files.createTempDirectory("berth-fleet");
    Path shared = dir.resolve("shared");
    Files.createDirectories(shared);
    Subnet subnet = Subnet.claim();
    Fleet fleet = new Fleet(dir, subnet, null);
    try {
      fleet = new Fleet(dir, subnet, GitRepo.create(shared));
      fleet.bootHosts(jarDir, specs);
      fleet.bridgeUp();
      return fleet;
    } catch (Exception | Error e) {
      try {
        fleet.close();
      } catch (Exception | Error closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private void bootHosts(Path jarDir, List<HostSpec> specs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(specs.size());
    try {
      List<Future<Host>> booting = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        HostSpec spec = specs.get(i);
        String address = subnet.prefix() + (11 + i);
        booting.add(pool.submit(() -> bootHost(jarDir, spec, address)));
      }
      Exception failure = null;
      for (Future<Host> future : booting) {
        try {
          Host host = future.get();
          hosts.put(host.name(), host);
        } catch (ExecutionException e) {
          Exception cause =
              e.getCause() instanceof Exception exception ? exception : new RuntimeException(e);
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      pool.shutdown();
    }
  }

  private Host bootHost(Path jarDir, HostSpec spec, String address) throws Exception {
    Path work = dir.resolve("hosts").resolve(spec.name());
    Files.createDirectories(work);
    Testbed.Options options =
        Testbed.Options.DEFAULT
            .onZone(subnet.zone(), address + "/24")
            .withBind(dir.resolve("shared"), SHARED, true)
            .withHostname(spec.name());
    return new Host(spec, address, work, Testbed.boot(jarDir, work, options));
  }

  private void bridgeUp() throws IOException, InterruptedException {
    run("ip", "addr", "add", subnet.bridgeAddress() + "/24", "dev", bridge());
    run("ip", "link", "set", bridge(), "up");
  }

  /** The shared bare repository every agent polls, and the clone the test pushes from. */
  public GitRepo repo() {
    return repo;
  }

  /** The shared directory on this machine, {@link #SHARED} in every host: put images here. */
  public Path shared() {
    return dir.resolve("shared");
  }

  public Host host(String name) {
    Host host = hosts.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no host " + name + " in " + hosts.keySet());
    }
    return host;
  }

  public List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  /** This machine's address on the bridge, where Prometheus listens: 10.231.N.1. */
  public String bridgeAddress() {
    return subnet.bridgeAddress();
  }

  /** The bridge on this machine that the hosts' veths are enslaved to. */
  public String bridge() {
    return Testbed.Zone.bridge(subnet.zone());
  }

  /**
   * An agent configuration for {@code host}: its name and labels, the shared repository polled
   * every 2 s, and the TCP listener on its zone address (which {@link #startAgent} waits on and
   * Prometheus scrapes). Append top-level sections to it for more.
   */
  public String agentConfig(Host host) {
    StringBuilder labels = new StringBuilder();
    host.labels()
        .forEach(
            (key, value) ->
                labels
                    .append("    ")
                    .append(quoted(key))
                    .append(": ")
                    .append(quoted(value))
                    .append('\n'));
    return """
        apiVersion: berth.dev/v1alpha1
        kind: AgentConfig
        host:
          name: %s
          labels:
        %s\
        source:
          url: file://%s/repo.git
          ref: {branch: main}
          interval: 2s
        sync:
          maxRemovals: 5
          resyncInterval: 1m
        http:
          listen: %s:%d
        """
        .formatted(
            quoted(host.name()),
            labels.isEmpty() ? "    {}\n" : labels,
            SHARED,
            host.address(),
            AGENT_PORT);
  }

  // A YAML double-quoted scalar (JSON's escapes are YAML's).
  private static String quoted(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * Writes {@code config} to /opt/e2e/agent.yaml on {@code host}, starts the real agent there
   * ({@link TestbedAgent#launch}, a new transient unit per start) and waits until its /readyz on
   * the host's zone address answers 200.
   */
  public void startAgent(Host host, String config) throws Exception {
    Files.writeString(host.work().resolve("agent.yaml"), config);
    host.agent.launch();
    host.agentUnit = host.agent.unit();
    Await.until(
        "the agent on " + host + " is ready",
        AGENT_READY_TIMEOUT,
        () -> agentHttp(host, "/readyz").startsWith("200"),
        () -> "\nits journal:\n" + host.agentLog() + "\nthe host's failures:\n" + host.failures());
  }

  /** Stops the agent on {@code host} (its unit; the containers stay). */
  public void stopAgent(Host host) throws IOException, InterruptedException {
    if (host.agentUnit != null) {
      host.exec("systemctl", "stop", host.agentUnit).orFail("stopping the agent on " + host);
    }
  }

  /** A GET of the agent's TCP listener on {@code host} from this machine: "CODE BODY". */
  public String agentHttp(Host host, String path) {
    URI uri = URI.create("http://" + host.address() + ":" + AGENT_PORT + path);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body();
    } catch (IOException e) {
      return "000 " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "000 interrupted";
    }
  }

  /**
   * Starts a real Prometheus on {@link #bridgeAddress()} that scrapes every agent's /metrics each
   * second (job {@code berth-agent}, a target label {@code host} with the host's name), with its
   * storage in a fresh directory.
   */
  public PrometheusServer startPrometheus() throws IOException, InterruptedException {
    if (prometheus != null && prometheus.alive()) {
      throw new IllegalStateException("Prometheus already runs at " + prometheus.url());
    }
    StringBuilder targets = new StringBuilder();
    for (Host host : hosts.values()) {
      targets.append(
          """
                - targets: ['%s:%d']
                  labels: {host: %s}
          """
              .formatted(host.address(), AGENT_PORT, quoted(host.name())));
    }
    String config =
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: berth-agent
            static_configs:
        %s"""
            .formatted(targets);
    Path storage = Files.createTempDirectory(dir, "prometheus");
    prometheus = PrometheusServer.start(storage, bridgeAddress(), config);
    return prometheus;
  }

  /** Stops the Prometheus that {@link #startPrometheus} started (its process, by its id). */
  public void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  /** The running Prometheus. */
  public PrometheusServer prometheus() {
    if (prometheus == null) {
      throw new IllegalStateException("Prometheus has not been started");
    }
    return prometheus;
  }

  /** An instant query to the running Prometheus. */
  public List<PrometheusServer.Sample> query(String promql)
      throws IOException, InterruptedException {
    return prometheus().query(promql);
  }

  /**
   * Stops Prometheus, powers the hosts off (in parallel), deletes the bridge should nspawn not have
   * done so, and frees the subnet.
   */
  @Override
  public void close() throws Exception {
    Exception failure = null;
    try {
      stopPrometheus();
    } catch (Exception e) {
      failure = e;
    }
    List<Thread> stopping = new ArrayList<>();
    for (Host host : hosts.values()) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  host.testbed().close();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "stop-" + host.name());
      thread.start();
      stopping.add(thread);
    }
    for (Thread thread : stopping) {
      thread.join();
    }
    try {
      if (Files.exists(Path.of("/sys/class/net", bridge()))) {
        run("ip", "link", "delete", bridge());
      }
    } catch (Exception e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    } finally {
      subnet.release();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  /**
   * A /24 of 10.231.0.0/16 held by one fleet on this machine: a lock file per subnet, and no
   * address of it nor its bridge already present.
   */
  private record Subnet(int index, FileChannel channel, FileLock lock) {
    static Subnet claim() throws IOException {
      String addresses = addresses();
      for (int index = 0; index < 256; index++) {
        if (addresses.contains(" 10.231." + index + ".")
            || Files.exists(Path.of("/sys/class/net", Testbed.Zone.bridge(zone(index))))) {
          continue;
        }
        FileChannel channel =
            FileChannel.open(
                Path.of(System.getProperty("java.io.tmpdir"), "berth-fleet-" + index + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock != null) {
          return new Subnet(index, channel, lock);
        }
        channel.close();
      }
      throw new IllegalStateException("every subnet 10.231.N.0/24 is in use on this machine");
    }

    private static String addresses() throws IOException {
      Process process =
          new ProcessBuilder("ip", "-o", "-4", "addr").redirectErrorStream(true).start();
      try {
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
          throw new IllegalStateException("ip -o -4 addr failed: " + out);
        }
        return out;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }

    String zone() {
      return zone(index);
    }

    private static String zone(int index) {
      return "bfleet" + index;
    }

    /** The first three octets with the dot: 10.231.N. */
    String prefix() {
      return "10.231." + index + ".";
    }

    String bridgeAddress() {
      return prefix() + "1";
    }

    void release() throws IOException {
      lock.release();
      channel.close();
    }
  }
}
