package dev.berth.agent.daemon;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.source.ManifestSource;
import dev.berth.reconciler.apply.FakeHost;
import dev.berth.reconciler.apply.GitPass;
import dev.berth.reconciler.apply.GitShare;
import dev.berth.reconciler.apply.InProcessHostLock;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;

/**
 * A real {@link Agent} whose passes apply to a {@link FakeHost} (a {@link GitPass} over it, two
 * containers at once, the system clock): the agent for the tests and ITs about the agent rather
 * than the host. Metrics, log and version are what a test watches; by default none, standard output
 * and "test".
 */
public final class FakeHostAgent {
  private final FakeHost host;
  private AgentMetrics metrics = AgentMetrics.NONE;
  private PrintStream log = System.out;
  private String version = "test";

  private FakeHostAgent(FakeHost host) {
    this.host = host;
  }

  public static FakeHostAgent on(FakeHost host) {
    return new FakeHostAgent(host);
  }

  public FakeHostAgent metrics(AgentMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  /** Where the agent's action log goes. */
  public FakeHostAgent log(PrintStream log) {
    this.log = log;
    return this;
  }

  public FakeHostAgent version(String version) {
    this.version = version;
    return this;
  }

  /** The agent with {@code config}, polling {@code source}; close it after the test. */
  public Agent create(AgentConfig config, ManifestSource source) throws IOException {
    GitPass pass =
        new GitPass(
            new GitShare(host, new InProcessHostLock()),
            host.runtime(),
            host,
            host,
            host,
            2,
            Clock.systemUTC());
    return new Agent(config, source, pass, metrics, Clock.systemUTC(), new ActionLog(log), version);
  }
}
