package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code berth status -o yaml} and {@code --watch}'s redraw. */
class StatusCommandTest {
  @Test
  void yamlIsTheSameDocumentAsTheJson() throws Exception {
    String json = StatusTableTest.realDocument();

    String yaml = StatusCommand.yaml(json);

    assertThat(new ObjectMapper(new YAMLFactory()).readTree(yaml))
        .isEqualTo(new ObjectMapper().readTree(json));
    assertThat(yaml).startsWith("---\nhost: tb\n").contains("\n  - name: a\n    phase: Running\n");
  }

  @Test
  void theWatchPrintsAFrameOnlyWhenItChanged() {
    StringWriter text = new StringWriter();
    StatusCommand.Redraw redraw = new StatusCommand.Redraw(new PrintWriter(text), false);

    redraw.show("one\n");
    redraw.show("one\n");
    redraw.show("two\n");
    redraw.show("two\n");

    assertThat(text.toString()).isEqualTo("one\ntwo\n");
  }

  @Test
  void onATerminalEachFrameReplacesTheLast() {
    StringWriter text = new StringWriter();
    StatusCommand.Redraw redraw = new StatusCommand.Redraw(new PrintWriter(text), true);

    redraw.show("one\n");
    redraw.show("one\n");
    redraw.show("two\n");

    assertThat(text.toString())
        .isEqualTo(StatusCommand.Redraw.CLEAR + "one\n" + StatusCommand.Redraw.CLEAR + "two\n");
  }

  @Test
  void noAgentOnTheSocketIsOneLineAndExitTwoInEveryFormat() {
    for (String format : new String[] {"text", "json", "yaml"}) {
      Cli cli = Cli.run("status", "-o", format, "--socket", "/nonexistent/agent.sock");

      assertThat(cli.exitCode()).isEqualTo(2);
      assertThat(cli.err().lines())
          .containsExactly(
              "berth: no berth agent answers at /nonexistent/agent.sock: is berth-agent running?");
    }
  }
}
