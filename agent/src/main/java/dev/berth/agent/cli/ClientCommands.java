package dev.berth.agent.cli;

import dev.berth.agent.http.AgentClient;
import dev.berth.agent.http.AgentClientException;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands that talk to a running agent over its HTTP API. */
final class ClientCommands {
  private ClientCommands() {}

  /** Where the agent listens. */
  static final class Endpoint {
    @Option(
        names = "--agent",
        defaultValue = "http://127.0.0.1:9480",
        paramLabel = "URL",
        description = "The agent's API (default: ${DEFAULT-VALUE}).")
    URI agent;

    AgentClient client() {
      return new AgentClient(agent);
    }
  }

  static int run(CommandSpec spec, Callable<String> call) throws Exception {
    try {
      spec.commandLine().getOut().println(call.call().strip());
      return ExitCodes.OK;
    } catch (AgentClientException e) {
      throw new UserError(e.getMessage());
    }
  }

  @Command(name = "status", description = "Show the running agent's status (JSON).")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Endpoint endpoint;

    @Override
    public Integer call() throws Exception {
      return run(spec, () -> endpoint.client().statusJson());
    }
  }

  @Command(name = "reconcile", description = "Ask the running agent for a pass now.")
  static final class Reconcile implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Endpoint endpoint;

    @Override
    public Integer call() throws Exception {
      return run(spec, () -> endpoint.client().reconcile());
    }
  }

  @Command(
      name = "suspend",
      description = "Suspend the agent, or one container: observe and report, change nothing.")
  static final class Suspend implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Endpoint endpoint;

    @Parameters(
        arity = "0..1",
        paramLabel = "NAME",
        description = "A container; without it, the whole agent.")
    String container;

    @Override
    public Integer call() throws Exception {
      return run(spec, () -> endpoint.client().suspend(container));
    }
  }

  @Command(name = "resume", description = "Resume the agent, or one container.")
  static final class Resume implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Endpoint endpoint;

    @Parameters(
        arity = "0..1",
        paramLabel = "NAME",
        description = "A container; without it, the whole agent.")
    String container;

    @Override
    public Integer call() throws Exception {
      return run(spec, () -> endpoint.client().resume(container));
    }
  }
}
