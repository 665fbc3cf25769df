package dev.berth.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The NixOS module example parses with the real nix, and runs the agent as berth-agent.service
 * does: the same notify and watchdog settings, JVM options and hardening, so the two cannot drift.
 */
class NixosModuleIT {
  private static final Path DEPLOY = Path.of("..", "helm-free-deploy");
  private static final Path MODULE = DEPLOY.resolve("nixos").resolve("berth.nix");

  /** Unit settings the module sets another way, with the reason. */
  private static final Set<String> SET_OTHERWISE =
      Set.of(
          "ExecStart", // assembled from the jre, javaOptions and jar options; checked below
          "WatchdogSec", // the watchdogSec option; checked below
          "ConfigurationDirectory"); // NixOS writes /etc/berth/agent.yaml from settings

  @Test
  void parsesWithNix() throws Exception {
    Tool.Run run = new Tool("nix-instantiate", "nix-bin").run(DEPLOY, "--parse", "nixos/berth.nix");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("services").contains("berth-agent");
  }

  @Test
  void setsWhatTheUnitSets() throws Exception {
    String nix = Files.readString(MODULE);
    List<String[]> settings =
        serviceSettings(Files.readString(DEPLOY.resolve("berth-agent.service")));
    assertThat(settings).hasSizeGreaterThan(15);
    for (String[] setting : settings) {
      String key = setting[0];
      String value = setting[1];
      if (SET_OTHERWISE.contains(key)) {
        continue;
      }
      String expected = value.equals("yes") ? "true" : "\"" + value + "\"";
      assertThat(nix).as("berth.nix sets %s=%s", key, value).contains(key + " = " + expected + ";");
    }
  }

  @Test
  void runsTheJvmLikeTheUnitAndKeepsItsWatchdog() throws Exception {
    String unit = Files.readString(DEPLOY.resolve("berth-agent.service"));
    String nix = Files.readString(MODULE);
    Matcher execStart = Pattern.compile("(?m)^ExecStart=((?:.*\\\\\\n)*.*)$").matcher(unit);
    assertThat(execStart.find()).isTrue();
    List<String> jvmOptions =
        List.of(execStart.group(1).replaceAll("\\\\\\n\\s*", "").split("\\s+")).stream()
            .filter(word -> word.startsWith("-X"))
            .toList();
    assertThat(jvmOptions).contains("-XX:+UseSerialGC", "-Xmx128m");
    for (String option : jvmOptions) {
      assertThat(nix).as("berth.nix runs the JVM with %s", option).contains("\"" + option + "\"");
    }
    Matcher watchdog = Pattern.compile("(?m)^WatchdogSec=(.+)$").matcher(unit);
    assertThat(watchdog.find()).isTrue();
    assertThat(nix)
        .containsPattern(
            "watchdogSec = lib.mkOption \\{[^}]*default = \"" + watchdog.group(1) + "\";")
        .contains("\"--stall-limit\" cfg.stallLimit")
        .contains("\"--config\" \"/etc/berth/agent.yaml\"");
  }

  /** The [Service] section's settings, comments and continuation lines left out. */
  private static List<String[]> serviceSettings(String unit) {
    List<String[]> settings = new ArrayList<>();
    boolean inService = false;
    for (String line : unit.split("\n")) {
      if (line.startsWith("[")) {
        inService = line.equals("[Service]");
      } else if (inService
          && !line.startsWith("#")
          && !line.startsWith(" ")
          && line.contains("=")) {
        settings.add(line.split("=", 2));
      }
    }
    return settings;
  }
}
