package dev.berth.agent.cli;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.config.AgentConfigLoader;
import dev.berth.agent.config.ConfigError;
import dev.berth.agent.config.Durations;
import dev.berth.agent.daemon.Agent;
import dev.berth.agent.daemon.Schedules;
import dev.berth.agent.daemon.ServiceHeartbeat;
import dev.berth.agent.dbus.DbusServiceAccounting;
import dev.berth.agent.dbus.SystemBus;
import dev.berth.agent.files.AppliedRevisionFile;
import dev.berth.agent.files.GenerationDirectory;
import dev.berth.agent.files.HostLockFile;
import dev.berth.agent.files.JsonInventoryStore;
import dev.berth.agent.files.RootHostFiles;
import dev.berth.agent.fleet.FleetReaders;
import dev.berth.agent.http.AgentHttpServer;
import dev.berth.agent.http.HttpSettings;
import dev.berth.agent.http.PrometheusAgentMetrics;
import dev.berth.agent.http.TcpExposure;
import dev.berth.agent.images.HostImageInstaller;
import dev.berth.agent.notify.Notifier;
import dev.berth.agent.source.GitSource;
import dev.berth.agent.systemd.NotifySocket;
import dev.berth.agent.systemd.ServiceEnvironment;
import dev.berth.agent.watch.BerthFilesWatch;
import dev.berth.reconciler.apply.GitPass;
import dev.berth.reconciler.apply.GitShare;
import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.RuntimeFailure;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth agent --config FILE}: the daemon. */
@Command(
    name = "agent",
    description =
        "Run the GitOps agent: poll the Git source, keep this host converged, serve metrics,"
            + " status and webhooks.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:stopped by a signal", "2:invalid configuration, no D-Bus, not root"})
final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(
      names = "--config",
      defaultValue = "/etc/berth/agent.yaml",
      paramLabel = "FILE",
      description = "The AgentConfig file (default: ${DEFAULT-VALUE}).")
  Path configFile;

  @Mixin ParallelOption parallel;

  @Option(
      names = "--stall-limit",
      defaultValue = "45m",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description =
          "Under systemd's watchdog: a pass that shows no progress for this long counts as stuck,"
              + " and the agent stops its watchdog pings so that systemd restarts it; longer than"
              + " the longest single step, an image download of up to 30 min (default:"
              + " ${DEFAULT-VALUE}).")
  Duration stallLimit;

  /** Prints the configuration's findings, one a line, and their count; the exit code. */
  static int invalid(ConfigError e, java.io.PrintWriter err) {
    AgentConfigLoader.lines(e).forEach(err::println);
    err.println(
        "invalid configuration: "
            + e.findings().size()
            + " error"
            + (e.findings().size() == 1 ? "" : "s"));
    return ExitCodes.ERROR;
  }

  /** Durations as the configuration writes them: 90s, 45m, 1h. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value, null);
      } catch (RuntimeException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a duration such as 90s, 45m or 1h");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    if (!Files.isRegularFile(configFile)) {
      throw new UserError(configFile + ": no such configuration file");
    }
    AgentConfig config;
    byte[] secret;
    byte[] apiToken;
    java.util.Map<String, byte[]> receiverSecrets;
    try {
      AgentConfigLoader.WithSecrets loaded =
          new AgentConfigLoader().loadWithSecrets(configFile, LiveHost.hostname());
      config = loaded.config();
      secret = loaded.webhookSecret();
      apiToken = loaded.apiToken();
      receiverSecrets = loaded.notificationSecrets();
    } catch (ConfigError e) {
      return invalid(e, err);
    }
    if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
      throw new UserError("the agent changes this host's containers and needs root");
    }
    Files.createDirectories(config.stateDir());
    String version = new VersionProvider().getVersion()[0];
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SystemBus bus;
    try {
      bus = SystemBus.connect();
    } catch (RuntimeFailure e) {
      throw new UserError(e.getMessage());
    }
    HostRuntime runtime = LiveHost.runtime(bus, Duration.ofMinutes(5));
    Path root = LiveHost.ROOT;
    RootHostFiles files = new RootHostFiles(root);
    HostImageInstaller images =
        new HostImageInstaller(root, config.stateDir().resolve("images"), config.source().caFile());
    JsonInventoryStore inventory = new JsonInventoryStore(config.stateDir());
    GitShare share =
        new GitShare(inventory, new HostLockFile(config.stateDir(), "the berth agent's pass"));
    PrometheusAgentMetrics metrics = new PrometheusAgentMetrics(registry, version);
    metrics.readResourcesWith(new DbusServiceAccounting(bus)::read);
    GitSource source;
    AppliedRevisionFile applied =
        new AppliedRevisionFile(
            config.stateDir().resolve("applied-revision"), config.source().url());
    try {
      source = new GitSource(config.source(), config.gitCacheDir()).refusingRewinds(applied);
    } catch (IllegalArgumentException e) {
      throw new UserError(configFile + ": " + e.getMessage());
    }
    Agent agent =
        new Agent(
            config,
            source,
            new GitPass(
                share,
                runtime,
                files,
                images,
                new GenerationDirectory(config.stateDir()),
                parallel.containers,
                Clock.systemUTC()),
            metrics,
            Clock.systemUTC(),
            Agent.stdoutLog(),
            version);
    agent.onApplied(applied::record);
    agent.appliedFrom(applied);
    agent.readFleetWith(new FleetReaders());
    Notifier notifier =
        new Notifier(config.hostName(), config.notifications(), receiverSecrets, metrics);
    agent.onEvent(notifier::accept);
    notifier.start();
    HttpSettings httpSettings =
        new HttpSettings(
            config.listen(),
            config.api().socket(),
            config.api().adminGroup(),
            config.api().readGroup(),
            config.api().tcpStatus(),
            apiToken,
            secret);
    TcpExposure.warning(httpSettings)
        .ifPresent(warning -> err.println(configFile + ": warning: " + warning));
    err.flush();
    AgentHttpServer http = new AgentHttpServer(httpSettings, agent, registry);
    Schedules schedules = new Schedules(agent, config.interval(), config.sync().resyncInterval());
    agent.retryWith(
        when -> {
          try {
            schedules.retryAt(when);
          } catch (org.quartz.SchedulerException e) {
            throw new IllegalStateException(e);
          }
        });
    agent.stallLimit(stallLimit);
    ServiceHeartbeat heartbeat = heartbeat(agent, config, err);
    CountDownLatch stopped = new CountDownLatch(1);
    AutoCloseable events = bus.subscribe(agent::hostChanged);
    AutoCloseable edits = new BerthFilesWatch(Path.of("/")).subscribe(agent::hostChanged);
    try {
      http.start();
    } catch (java.io.IOException e) {
      throw new UserError("cannot serve the HTTP API: " + e.getMessage());
    }
    schedules.start();
    if (heartbeat != null) {
      heartbeat.start();
    }
    agent.triggerReconcile("startup");
    System.out.println(
        "time="
            + java.time.Instant.now()
            + " msg=\"agent started\" host="
            + config.hostName()
            + " source="
            + config.source().url()
            + " listen="
            + http.address()
            + " socket="
            + http.socket());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    if (heartbeat != null) {
                      heartbeat.stopping();
                    }
                    schedules.close();
                    events.close();
                    edits.close();
                    http.close();
                    agent.close();
                    notifier.close();
                    bus.close();
                    metrics.close();
                    if (heartbeat != null) {
                      heartbeat.close();
                    }
                  } catch (Exception e) {
                    System.err.println("berth: while stopping: " + e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "berth-stop"));
    stopped.await();
    return ExitCodes.OK;
  }

  /**
   * Under systemd ({@code $NOTIFY_SOCKET} set, as with {@code Type=notify}): the heartbeat that
   * reports readiness and feeds the watchdog. Elsewhere none: nothing is sent.
   */
  private ServiceHeartbeat heartbeat(Agent agent, AgentConfig config, java.io.PrintWriter err) {
    ServiceEnvironment service = ServiceEnvironment.current();
    if (service.notifySocket().isEmpty()) {
      return null;
    }
    try {
      return ServiceHeartbeat.forAgent(
          agent,
          NotifySocket.open(service.notifySocket().get()),
          service.watchdog(),
          stallLimit,
          config.interval());
    } catch (java.io.IOException | RuntimeException e) {
      err.println(
          "berth: cannot notify systemd at $NOTIFY_SOCKET="
              + service.notifySocket().get()
              + ": "
              + e.getMessage()
              + " (a Type=notify unit will time out starting)");
      err.flush();
      return null;
    }
  }
}
