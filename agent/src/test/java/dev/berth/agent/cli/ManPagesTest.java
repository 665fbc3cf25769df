package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * docs/man/ holds the man pages that picocli-codegen generates from berth's commands (AsciiDoc, one
 * page a command); this test regenerates them in memory and fails when a committed page differs, is
 * missing or is left over. With -Dberth.updateManPages=true it writes them.
 */
class ManPagesTest {
  private static final Path DIR = Path.of("..", "docs", "man");
  private static final String REGENERATE =
      "mvn -B -ntp -o -q verify -pl agent -am -Dtest=ManPagesTest -Dberth.updateManPages=true"
          + " -Dsurefire.failIfNoSpecifiedTests=false -DskipITs";

  /** Each page by its file name: berth.adoc, berth-status.adoc, ... */
  static Map<String, String> generated() {
    Map<String, String> pages = new TreeMap<>();
    add(CommandTree.whole(), pages);
    return pages;
  }

  private static void add(CommandLine command, Map<String, String> pages) {
    StringWriter page = new StringWriter();
    try (PrintWriter out = new PrintWriter(page)) {
      ManPageGenerator.writeSingleManPage(out, command.getCommandSpec());
    }
    String name = command.getCommandSpec().qualifiedName("-");
    pages.put(name + ".adoc", page.toString());
    for (CommandLine sub : command.getSubcommands().values()) {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        add(sub, pages);
      }
    }
  }

  private static Map<String, String> committed() throws IOException {
    Map<String, String> pages = new TreeMap<>();
    if (!Files.isDirectory(DIR)) {
      return pages;
    }
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().endsWith(".adoc")) {
          pages.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    return pages;
  }

  @Test
  void theCommittedManPagesAreTheGeneratedOnes() throws IOException {
    Map<String, String> generated = generated();
    if (Boolean.getBoolean("berth.updateManPages")) {
      Files.createDirectories(DIR);
      for (String stale : committed().keySet()) {
        if (!generated.containsKey(stale)) {
          Files.delete(DIR.resolve(stale));
        }
      }
      for (Map.Entry<String, String> page : generated.entrySet()) {
        Files.writeString(DIR.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
      }
    }

    assertThat(committed()).as("docs/man/ is stale; run " + REGENERATE).isEqualTo(generated);
  }

  @Test
  void everySubcommandHasAPageWithItsOptionsAndExitCodes() {
    Map<String, String> pages = generated();

    assertThat(pages).containsKeys("berth.adoc", "berth-status.adoc", "berth-logs.adoc");
    assertThat(pages).hasSize(Subcommands.ALL.size() + 1);
    assertThat(pages.get("berth-status.adoc"))
        .contains("= berth-status(1)")
        .contains("*-o*, *--output*=_FORMAT_")
        .contains("*-w*, *--watch*")
        .contains("== Exit codes:");
    assertThat(pages.get("berth-logs.adoc")).contains("*-f*, *--follow*").doesNotContain("--root");
  }
}
