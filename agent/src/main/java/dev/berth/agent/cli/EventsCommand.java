package dev.berth.agent.cli;

import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventJournal;
import dev.berth.agent.http.AgentClient;
import dev.berth.agent.http.AgentClientException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth events [-f]}: what the running agent did (applied, failed, rolled back, ...), oldest
 * first, from its events API; {@code -f} keeps asking for newer ones, as {@code tail -f}.
 */
@Command(
    name = "events",
    description =
        "Show the running agent's events, newest last: time, type, container, revision, message.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:shown", "2:no agent answers, or it refused"})
final class EventsCommand implements Callable<Integer> {
  /** How often {@code -f} asks the agent for newer events. */
  static final Duration POLL = Duration.ofSeconds(1);

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin ClientCommands.Endpoint endpoint;

  @Option(
      names = {"-f", "--follow"},
      description =
          "Keep printing new events until interrupted (with --output json: one JSON event a"
              + " line).")
  boolean follow;

  @Override
  public Integer call() throws Exception {
    AgentClient client = endpoint.client();
    PrintWriter out = spec.commandLine().getOut();
    boolean json = common.output == CommonOptions.OutputFormat.json;
    try {
      if (json && !follow) {
        out.println(client.eventsJson(0).strip());
        return ExitCodes.OK;
      }
      long after = 0;
      while (true) {
        EventJournal.Page page = client.events(after);
        if (page.latest() < after) {
          // The agent started again: its sequence begins at 1 once more.
          spec.commandLine().getErr().println("berth: the agent restarted; its events follow");
          spec.commandLine().getErr().flush();
          page = client.events(0);
        }
        for (AgentEvent event : page.events()) {
          out.println(json ? AgentClient.jsonLine(event) : line(event));
        }
        out.flush();
        after = page.latest();
        if (!follow) {
          return ExitCodes.OK;
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (AgentClientException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** One event as the text output shows it; columns stay aligned for the usual widths. */
  static String line(AgentEvent event) {
    return String.format(
            "%-20s  %-16s  %-12s  %-7s  %s",
            event.time().truncatedTo(ChronoUnit.SECONDS),
            event.type().label(),
            event.container() == null ? "-" : event.container(),
            event.revision() == null ? "-" : event.shortRevision(),
            event.message() == null ? "" : event.message().replace('\n', ' '))
        .stripTrailing();
  }
}
