package dev.berth.agent.cli;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.http.AgentClient;
import dev.berth.agent.http.AgentClientException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands that talk to a running agent over its HTTP API. */
final class ClientCommands {
  private ClientCommands() {}

  /** A token is a short string; a larger file is a mistake. */
  static final int MAX_TOKEN = 64 * 1024;

  /** Where the agent listens: its unix socket, or a URL over TCP with a bearer token. */
  static final class Endpoint {
    @Option(
        names = "--socket",
        paramLabel = "PATH",
        description = "The agent's unix socket (default: /run/berth/agent.sock).")
    Path socket;

    @Option(
        names = "--agent",
        paramLabel = "URL",
        description =
            "Talk to the agent over TCP instead, such as http://127.0.0.1:9480: the status only"
                + " where http.tcpStatus is on, changes only with --token-file.")
    URI agent;

    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        description = "With --agent: a file holding the agent's bearer token (http.tokenFile).")
    Path tokenFile;

    AgentClient client() {
      if (agent != null && socket != null) {
        throw new UserError("give --socket PATH or --agent URL, not both");
      }
      if (tokenFile != null && agent == null) {
        throw new UserError(
            "--token-file goes with --agent URL: on the socket the agent knows the caller");
      }
      if (agent != null) {
        return new AgentClient(agent, tokenFile == null ? null : token(tokenFile));
      }
      return AgentClient.overSocket(socket == null ? AgentConfig.Api.DEFAULT_SOCKET : socket);
    }

    private static String token(Path file) {
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_TOKEN + 1);
      } catch (IOException e) {
        throw new UserError("--token-file " + file + ": cannot be read: " + e.getMessage());
      }
      String token = new String(bytes, StandardCharsets.UTF_8).strip();
      if (bytes.length > MAX_TOKEN) {
        throw new UserError("--token-file " + file + ": larger than 64 KiB; a token is short");
      }
      if (token.isEmpty() || token.contains("\n")) {
        throw new UserError("--token-file " + file + ": holds no token (one line expected)");
      }
      return token;
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
