package dev.berth.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.berth.agent.http.AgentClient;
import dev.berth.agent.http.AgentClientException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth status}: the running agent's status as a table ({@link StatusTable}), or its API
 * document as JSON (unchanged) or as the same document in YAML; {@code -w} redraws it when it
 * changes.
 */
@Command(
    name = "status",
    description =
        "Show the running agent's status: its containers (phase, ready, revision, age, message),"
            + " its source and itself; or its document as JSON or YAML.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:shown", "2:no agent answers, or it refused"})
final class StatusCommand implements Callable<Integer> {
  /** How often {@code --watch} asks the agent for its status. */
  static final Duration POLL = Duration.ofSeconds(2);

  /** What {@code --output} offers. */
  enum Format {
    text,
    json,
    yaml
  }

  @Spec CommandSpec spec;
  @Mixin ClientCommands.Endpoint endpoint;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json is the"
              + " API's document as the agent sends it, yaml the same document in YAML.")
  Format output;

  @Option(
      names = {"-w", "--watch"},
      description =
          "Keep showing the status, shown again when it changes (asked every 2 s), until"
              + " interrupted. On a terminal the table replaces the last one.")
  boolean watch;

  @Override
  public Integer call() throws Exception {
    AgentClient client = endpoint.client();
    PrintWriter out = spec.commandLine().getOut();
    boolean terminal = System.console() != null;
    if (!watch) {
      try {
        out.print(frame(client, Ansi.AUTO.enabled()));
      } catch (AgentClientException e) {
        throw new UserError(e.getMessage());
      }
      return ExitCodes.OK;
    }
    Redraw redraw = new Redraw(out, terminal && output == Format.text);
    while (true) {
      String frame;
      try {
        frame = frame(client, Ansi.AUTO.enabled());
      } catch (AgentClientException e) {
        // The agent restarting is part of watching it: say so, and keep asking.
        frame = "berth: " + e.getMessage() + "\n";
      }
      redraw.show(frame);
      Thread.sleep(POLL.toMillis());
    }
  }

  private String frame(AgentClient client, boolean colour) {
    String json = client.statusJson();
    return switch (output) {
      case json -> json + "\n";
      case yaml -> yaml(json);
      case text -> new StatusTable(Instant.now(), colour).render(client.status(json));
    };
  }

  /** The JSON document {@code json} as YAML: the same fields, values and order. */
  static String yaml(String json) {
    ObjectMapper yaml =
        new ObjectMapper(
            YAMLFactory.builder()
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build());
    try {
      return yaml.writeValueAsString(new ObjectMapper().readTree(json));
    } catch (JsonProcessingException e) {
      throw new UserError(
          "the berth agent sent a status that is not JSON: " + e.getOriginalMessage());
    }
  }

  /** Prints a frame only when it differs from the last; on a terminal, over the last one. */
  static final class Redraw {
    /** Cursor home, then erase the screen: the frame replaces the last one. */
    static final String CLEAR = "\u001b[H\u001b[2J";

    private final PrintWriter out;
    private final boolean clear;
    private String last;

    Redraw(PrintWriter out, boolean clear) {
      this.out = out;
      this.clear = clear;
    }

    void show(String frame) {
      if (frame.equals(last)) {
        return;
      }
      if (clear) {
        out.print(CLEAR);
      }
      out.print(frame);
      out.flush();
      last = frame;
    }
  }
}
