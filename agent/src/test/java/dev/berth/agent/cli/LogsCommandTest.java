package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.files.JsonInventoryStore;
import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.model.RemovePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Which journalctl command {@code berth logs} runs, against a host's files in a temporary root;
 * LogsCommand runs it on a real host in DriftE2E, with a real linked guest journal in
 * GuestNetworkE2E.
 */
class LogsCommandTest {
  private static final String GUEST = "0123456789abcdef0123456789abcdef";
  private static final String HOST = "fedcba9876543210fedcba9876543210";

  @TempDir Path root;

  private List<String> command(String... args) {
    LogsCommand logs = new LogsCommand();
    new CommandLine(logs).parseArgs(args);
    logs.root = root;
    return logs.command();
  }

  private void write(String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** berth's inventory on the host, with container {@code name} whose root tree is {@code tree}. */
  private void inventory(String name, String tree) throws IOException {
    new JsonInventoryStore(root.resolve("var/lib/berth"))
        .save(Inventory.EMPTY.with(new InventoryEntry(name, RemovePolicy.RETAIN, tree, null)));
  }

  @Test
  void aContainerWithItsNspawnFileIsItsUnitsJournalWithJournalctlsOwnOptions() throws Exception {
    write("etc/systemd/nspawn/web.nspawn", "[Exec]\nBoot=yes\n");

    assertThat(command("web", "-f", "-n", "20", "--since", "1 hour ago"))
        .containsExactly(
            "journalctl",
            "--no-pager",
            "--follow",
            "--lines=20",
            "--since=1 hour ago",
            "--unit=systemd-nspawn@web.service");
    assertThat(command("web"))
        .containsExactly("journalctl", "--no-pager", "--unit=systemd-nspawn@web.service");
  }

  @Test
  void aLinkedGuestJournalIsMergedInByTheGuestsMachineId() throws Exception {
    write("var/lib/machines/web/etc/machine-id", GUEST + "\n");
    write("etc/machine-id", HOST + "\n");
    Files.createDirectories(root.resolve("var/log/journal/" + GUEST));

    assertThat(command("web", "-n", "5"))
        .containsExactly(
            "journalctl",
            "--no-pager",
            "--lines=5",
            "--merge",
            "_SYSTEMD_UNIT=systemd-nspawn@web.service",
            "+",
            "_PID=1",
            "UNIT=systemd-nspawn@web.service",
            "+",
            "_UID=0",
            "OBJECT_SYSTEMD_UNIT=systemd-nspawn@web.service",
            "+",
            "_MACHINE_ID=" + GUEST);
  }

  @Test
  void aRunningMachinesIdComesFromMachined() throws Exception {
    write("run/systemd/machines/web", "NAME=web\nID=" + GUEST + "\nLEADER=42\n");
    Files.createDirectories(root.resolve("var/log/journal/" + GUEST));

    assertThat(command("web")).endsWith("_MACHINE_ID=" + GUEST);
  }

  @Test
  void noJournalDirectoryOrTheHostsOwnIdIsNoLink() throws Exception {
    write("var/lib/machines/web/etc/machine-id", GUEST + "\n");
    assertThat(command("web")).endsWith("--unit=systemd-nspawn@web.service");

    write("etc/machine-id", GUEST + "\n");
    Files.createDirectories(root.resolve("var/log/journal/" + GUEST));
    assertThat(command("web")).endsWith("--unit=systemd-nspawn@web.service");
  }

  @Test
  void aContainerOnlyBerthsInventoryKnowsIsOne() throws Exception {
    inventory("db", "var/lib/machines/db");

    assertThat(command("db")).endsWith("--unit=systemd-nspawn@db.service");
  }

  @Test
  void aStoppedDirectoryImagesIdComesFromTheTreeBerthsInventoryNames() throws Exception {
    inventory("web", "srv/guests/web");
    write("srv/guests/web/etc/machine-id", GUEST + "\n");
    write("var/lib/machines/web/etc/machine-id", HOST + "\n");
    Files.createDirectories(root.resolve("var/log/journal/" + GUEST));
    Files.createDirectories(root.resolve("var/log/journal/" + HOST));

    assertThat(command("web")).endsWith("_MACHINE_ID=" + GUEST);
  }

  @Test
  void anUnknownContainerOrABadNameIsOneLineAndExitTwo() {
    Cli unknown = Cli.run("logs", "nope", "--root", root.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().lines())
        .containsExactly(
            "berth: nope: no such container on this host (not in berth's inventory, no"
                + " /etc/systemd/nspawn/nope.nspawn, no /var/lib/machines/nope, not running)");

    Cli bad = Cli.run("logs", "web\n; rm -rf /", "--root", root.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().lines())
        .containsExactly(
            "berth: web?; rm -rf /: not a container name (lowercase letters, digits and '-', at"
                + " most 64)");

    Cli notANumber = Cli.run("logs", "nope", "-n", "x", "--root", root.toString());
    assertThat(notANumber.exitCode()).isEqualTo(2);
    assertThat(notANumber.err()).startsWith("berth: Invalid value for option '--lines'");
  }

  @Test
  void aNegativeNumberOfLinesIsRefused() throws Exception {
    write("etc/systemd/nspawn/web.nspawn", "[Exec]\nBoot=yes\n");

    assertThatThrownBy(() -> command("web", "-n", "-1"))
        .isInstanceOf(UserError.class)
        .hasMessage("--lines -1: a number of lines is 0 or more");
  }
}
