package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * berth's networking read by a real systemd-networkd inside the container: containers booting real
 * systemd from {@code directory} images of this machine's own OS ({@link GuestOs}), in a testbed
 * host whose networkd serves their veths. Proven by packets and lookups between the testbed and its
 * containers only (the testbed has no uplink): a DHCP lease from the host side's networkd, berth's
 * static {@code host0} file with its gateway and {@code DNS=} (a name resolved through a dnsmasq on
 * the host side of the veth), berth's DHCP {@code host0} file with {@code DNS=}, the testbed
 * resolving its containers' names through nss-mymachines, and a container on the host's network.
 * Last, on a host with a persistent journal, a guest whose journal systemd-nspawn@.service links
 * ({@code --link-journal=try-guest}) and {@code berth logs} showing the guest's own lines with the
 * unit's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuestNetworkE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String BERTH = "/opt/berth/berth.jar";
  private static final String REPO = "/opt/e2e/repo";

  /** The testbed's name service: machined's names after the files, as libnss-mymachines sets up. */
  private static final String NSSWITCH =
      """
      passwd: files systemd
      group: files systemd
      shadow: files
      hosts: files mymachines dns
      """;

  /** A name only the test's DNS server knows, and its answer. */
  private static final String NAME = "registry.berth.test";

  private static final String ANSWER = "10.93.0.80";

  /** berth's network file inside a container's tree, relative to its root. */
  private static final String BERTH_HOST0 = "etc/systemd/network/20-berth-host0.network";

  private static final String DNS_UNIT = "berth-e2e-dns";

  /** networkctl's line for a DHCPv4 address: the address and the server it came from. */
  private static final Pattern LEASE = Pattern.compile("Address: (\\S+) \\(DHCP4 via (\\S+)\\)");

  private static final Pattern INET = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");

  private Path work;
  private Testbed testbed;
  private GuestOs guests;

  /** gdhcp's DHCP address, from the first test. */
  private String leased;

  @BeforeAll
  void boot() throws Exception {
    assertThat(JAR_DIR.resolve("berth.jar")).as("the built agent (mvn package)").exists();
    work = Files.createTempDirectory("berth-e2e-guestnet");
    Files.createDirectories(work.resolve("repo"));
    GuestOs.stage(work);
    Path nsswitch = Files.writeString(work.resolve("nsswitch.conf"), NSSWITCH);
    testbed =
        Testbed.boot(
            JAR_DIR, work, Testbed.Options.DEFAULT.withBind(nsswitch, "/etc/nsswitch.conf", true));
    testbed.exec("systemctl", "enable", "--now", "systemd-networkd").orFail("starting networkd");
    guests = GuestOs.unpack(testbed);
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  /** Adds container {@code name} of its own guest tree to the repository and applies it. */
  private String applyGuest(String name, String... spec) throws Exception {
    String root = guests.tree(name);
    Files.writeString(
        work.resolve("repo").resolve(name + ".yaml"), GuestOs.container(name, root, spec));
    Testbed.Result result = testbed.exec("java", "-jar", BERTH, "apply", REPO, "--host", "tb");
    System.out.println(result.out() + result.err());
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("create " + name + ": converged");
    assertThat(guests.awaitBooted(name)).isIn("running", "degraded");
    return root;
  }

  private Testbed.Result inGuest(String name, String... command) throws Exception {
    return guests.run(name, command).orFail(String.join(" ", command) + " in " + name);
  }

  private String machineProperty(String name, String property) throws Exception {
    return testbed
        .exec("machinectl", "show", name, "--property=" + property, "--value")
        .orFail("machinectl show " + name)
        .out()
        .strip();
  }

  /** networkctl's status of the guest's host0, once networkd has configured it. */
  private String configuredHost0(String name) throws Exception {
    return host0Once(name, "configures host0", status -> status.contains("(configured)"));
  }

  /**
   * networkctl's status of the guest's host0 once it holds a DHCPv4 lease: SLAAC alone already
   * makes the link "configured", often before the lease comes.
   */
  private String leasedHost0(String name) throws Exception {
    return host0Once(
        name,
        "takes a DHCPv4 lease on host0",
        status -> status.contains("(configured)") && LEASE.matcher(status).find());
  }

  private String host0Once(String name, String what, Predicate<String> done) throws Exception {
    return Await.output(
        name + "'s networkd " + what,
        Duration.ofSeconds(30),
        () -> inGuest(name, "networkctl", "status", "host0", "--no-pager").out(),
        done);
  }

  /**
   * The DHCPv4 address that guest {@code name}'s networkd took on host0, configured from {@code
   * networkFile}, once it is checked to come from the testbed's networkd (on berth's file for the
   * host side, ve-NAME) and the host pings it.
   */
  private String leaseFromTheHost(String name, String networkFile) throws Exception {
    String host0 = leasedHost0(name);
    assertThat(host0).contains("Network File: " + networkFile);
    Matcher lease = LEASE.matcher(host0);
    assertThat(lease.find()).as(host0).isTrue();
    String address = lease.group(1);
    String server = lease.group(2);
    assertThat(testbed.exec("networkctl", "status", "ve-" + name, "--no-pager").out())
        .as("the DHCP server is the host side's networkd, on berth's file")
        .contains("Network File: /etc/systemd/network/20-berth-ve-" + name + ".network");
    assertThat(testbed.exec("ip", "-o", "-4", "addr", "show", "dev", "ve-" + name).out())
        .contains("inet " + server + "/");
    assertThat(inGuest(name, "ip", "-o", "-4", "addr", "show", "dev", "host0").out())
        .contains("inet " + address + "/")
        .contains("dynamic");
    ping(address);
    return address;
  }

  private boolean exists(String path) throws Exception {
    return testbed.exec("test", "-e", path).exitCode() == 0;
  }

  /** Pings up to three times from the testbed host: the first packet may wait for ARP. */
  private void ping(String address) throws Exception {
    Testbed.Result result = null;
    for (int attempt = 0; attempt < 3 && (result == null || result.exitCode() != 0); attempt++) {
      result = testbed.exec("busybox", "ping", "-c", "1", "-W", "3", address);
    }
    assertThat(result.exitCode()).as("the host pings " + address + "\n" + result.out()).isZero();
  }

  /**
   * Starts a dnsmasq in the testbed host (a transient unit, ended with the testbed) that listens on
   * {@code listen}:53 only and answers {@code name} with {@code answer}, nothing else, logging each
   * query; waits until it listens.
   */
  private void serveName(String listen, String name, String answer) throws Exception {
    testbed
        .exec(
            "systemd-run",
            "--unit=" + DNS_UNIT,
            "/usr/sbin/dnsmasq",
            "--keep-in-foreground",
            "--conf-file=/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--user=root",
            "--pid-file=",
            "--bind-interfaces",
            "--listen-address=" + listen,
            "--address=/" + name + "/" + answer,
            "--log-queries",
            "--log-facility=-")
        .orFail("starting dnsmasq");
    Await.output(
        "dnsmasq listens on " + listen + ":53",
        Duration.ofSeconds(30),
        () -> testbed.exec("ss", "-Hlun", "src", listen + ":53").out(),
        sockets -> sockets.contains(listen + ":53"));
  }

  private Testbed.Result berth(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", BERTH));
    command.addAll(List.of(arguments));
    return testbed.exec(command.toArray(String[]::new));
  }

  private static String first(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? matcher.group(1) : null;
  }

  /** The link names of {@code ip -o link} output ("3: ve-x@if2: ..." is ve-x). */
  private static List<String> linkNames(String ipLink) {
    return ipLink
        .lines()
        .map(line -> line.split(":\\s+", 3)[1].replaceFirst("@.*", ""))
        .sorted()
        .toList();
  }

  @Test
  @Order(1)
  void aDirectoryImageBootsSystemdRegisteredWithMachinedAndTakesADhcpLeaseFromTheHost()
      throws Exception {
    String root = applyGuest("gdhcp", "network: {}");

    assertThat(machineProperty("gdhcp", "RootDirectory")).isEqualTo(root);
    assertThat(machineProperty("gdhcp", "Class")).isEqualTo("container");
    assertThat(machineProperty("gdhcp", "State")).isEqualTo("running");
    assertThat(inGuest("gdhcp", "readlink", "/proc/1/exe").out().strip())
        .as("PID 1 in the container")
        .isEqualTo("/usr/lib/systemd/systemd");
    assertThat(inGuest("gdhcp", "systemctl", "is-active", "systemd-networkd").out().strip())
        .isEqualTo("active");
    // Without static addresses or DNS servers berth writes no host0 file: the OS's own DHCP one.
    assertThat(exists(root + "/" + BERTH_HOST0)).isFalse();
    leased = leaseFromTheHost("gdhcp", "/usr/lib/systemd/network/80-container-host0.network");
  }

  @Test
  @Order(2)
  void aStaticGuestTakesBerthsHost0FileAndResolvesANameThroughItsDnsServer() throws Exception {
    String root =
        applyGuest(
            "gstatic",
            "network:",
            "  v4: {static: {containerPool: [10.93.0.2/24], hostAddresses: [10.93.0.1/24]},"
                + " gateway: 10.93.0.1}",
            "  dns: [10.93.0.1]");
    assertThat(testbed.exec("cat", root + "/" + BERTH_HOST0).out())
        .contains("Address=10.93.0.2/24", "Gateway=10.93.0.1", "DNS=10.93.0.1");

    String host0 = configuredHost0("gstatic");

    assertThat(host0)
        .contains("Network File: /etc/systemd/network/20-berth-host0.network")
        .contains("Address: 10.93.0.2")
        .contains("Gateway: 10.93.0.1")
        .contains("DNS: 10.93.0.1");
    assertThat(inGuest("gstatic", "ip", "route").out()).contains("default via 10.93.0.1");
    ping("10.93.0.2");
    Await.output(
        "ve-gstatic has 10.93.0.1",
        Duration.ofSeconds(30),
        () -> testbed.exec("ip", "addr", "show", "dev", "ve-gstatic").out(),
        shown -> shown.contains("inet 10.93.0.1/24"));
    serveName("10.93.0.1", NAME, ANSWER);

    String resolved = inGuest("gstatic", "resolvectl", "query", NAME).out();
    String libc = inGuest("gstatic", "getent", "hosts", NAME).out();

    assertThat(resolved).contains(NAME + ": " + ANSWER).contains("link: host0");
    assertThat(libc).startsWith(ANSWER + " ").contains(NAME);
    assertThat(testbed.exec("journalctl", "-u", DNS_UNIT, "--no-pager", "-o", "cat").out())
        .as("the query reached the DNS server of berth's file, from the container's address")
        .contains("query[A] " + NAME + " from 10.93.0.2");
  }

  @Test
  @Order(3)
  void aDhcpGuestWithDnsServersTakesItsLeaseThroughBerthsHost0FileAndResolvesThroughThem()
      throws Exception {
    String root = applyGuest("gdns", "network: {dns: [10.93.0.1]}");
    assertThat(testbed.exec("cat", root + "/" + BERTH_HOST0).out())
        .contains("DHCP=ipv4", "DNS=10.93.0.1");

    String address = leaseFromTheHost("gdns", "/" + BERTH_HOST0);

    // The DNS server is gstatic's host side: the testbed routes to it through gdns's DHCP gateway.
    assertThat(inGuest("gdns", "resolvectl", "query", NAME).out()).contains(NAME + ": " + ANSWER);
    assertThat(testbed.exec("journalctl", "-u", DNS_UNIT, "--no-pager", "-o", "cat").out())
        .contains("query[A] " + NAME + " from " + address);
  }

  @Test
  @Order(4)
  void theHostResolvesItsContainersNamesThroughNssMymachines() throws Exception {
    assertThat(testbed.exec("grep", "^hosts:", "/etc/nsswitch.conf").out()).contains("mymachines");

    String hosts = testbed.exec("getent", "hosts", "gdhcp").orFail("getent hosts gdhcp").out();
    String v4 = testbed.exec("getent", "-s", "hosts:mymachines", "ahostsv4", "gstatic").out();
    String dhcp = testbed.exec("getent", "-s", "hosts:mymachines", "ahostsv4", "gdhcp").out();

    String guestAddresses = inGuest("gdhcp", "ip", "-o", "addr", "show", "dev", "host0").out();
    String firstAnswer = hosts.lines().findFirst().orElseThrow().split("\\s+")[0];
    assertThat(hosts).contains("gdhcp");
    assertThat(guestAddresses)
        .as("getent's answer is one of gdhcp's own addresses")
        .contains(" " + firstAnswer + "/");
    assertThat(v4).startsWith("10.93.0.2 ");
    assertThat(dhcp).startsWith(leased + " ");
  }

  @Test
  @Order(5)
  void aGuestOnTheHostsNetworkSeesItsInterfacesAndGetsNoVethNorNetworkFile() throws Exception {
    String root = applyGuest("ghost");

    List<String> inside = linkNames(inGuest("ghost", "ip", "-o", "link").out());
    List<String> host = linkNames(testbed.exec("ip", "-o", "link").orFail("ip link").out());

    assertThat(inGuest("ghost", "readlink", "/proc/self/ns/net").out())
        .as("the container's network namespace is the host's")
        .isEqualTo(testbed.exec("readlink", "/proc/self/ns/net").orFail("readlink").out());
    assertThat(inside).isEqualTo(host).contains("lo", "ve-gdhcp", "ve-gstatic");
    assertThat(inside).doesNotContain("host0", "ve-ghost");
    assertThat(testbed.exec("ip", "link", "show", "dev", "ve-ghost").exitCode()).isNotZero();
    assertThat(testbed.exec("cat", "/etc/systemd/nspawn/ghost.nspawn").out())
        .contains("VirtualEthernet=no\n")
        .contains("Private=no\n");
    assertThat(exists("/etc/systemd/network/20-berth-ve-ghost.network"))
        .as("no network file on the host")
        .isFalse();
    assertThat(exists(root + "/" + BERTH_HOST0))
        .as("no network file in the container's tree")
        .isFalse();
    assertThat(machineProperty("ghost", "RootDirectory")).isEqualTo(root);
    assertThat(
            first(
                INET,
                inGuest("ghost", "ip", "-o", "-4", "addr", "show", "dev", "ve-gstatic").out()))
        .as("the host side's address, seen from the container")
        .isEqualTo("10.93.0.1");
    // Without CAP_NET_ADMIN (nspawn grants it only with a private network) the guest's networkd
    // does not start, so it cannot reconfigure the host's links.
    assertThat(
            inGuest(
                    "ghost",
                    "systemctl",
                    "show",
                    "--property=ConditionResult",
                    "--value",
                    "systemd-networkd")
                .out()
                .strip())
        .isEqualTo("no");
  }

  @Test
  @Order(6)
  void berthLogsShowsALinkedGuestsOwnJournalWithItsUnits() throws Exception {
    // A host with a persistent journal (Debian's default) has /var/log/journal; the testbed's
    // volatile /var has none until it is made. Without it nspawn's try-guest links nothing.
    testbed.exec("mkdir", "-p", "/var/log/journal").orFail("making /var/log/journal");
    String root = applyGuest("gjournal");
    String id = machineProperty("gjournal", "Id").replace("-", "");
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(inGuest("gjournal", "cat", "/etc/machine-id").out().strip())
        .as("the guest's machine ID is machined's")
        .isEqualTo(id);
    assertThat(testbed.exec("readlink", "/var/log/journal/" + id).out().strip())
        .as("nspawn linked the guest's journal into the host's")
        .isEqualTo(root + "/var/log/journal/" + id);
    String marker = "berth-e2e-guest-" + UUID.randomUUID();
    String console = "berth-e2e-console-" + UUID.randomUUID();

    inGuest("gjournal", "logger", "-t", "berth-e2e", marker);
    inGuest("gjournal", "sh", "-c", "echo " + console + " > /dev/console");

    // logger's own line; the guest's systemd also names the marker, in its line about run-uN.
    Pattern loggers =
        Pattern.compile("gjournal berth-e2e\\[\\d+\\]: " + marker + "$", Pattern.MULTILINE);

    String logs =
        Await.output(
            "berth logs gjournal shows the guest's logger line and its console's",
            Duration.ofSeconds(30),
            () -> berth("logs", "gjournal", "-n", "200").orFail("berth logs gjournal").out(),
            shown -> loggers.matcher(shown).find() && shown.contains(console));
    assertThat(logs.lines().count()).isBetween(2L, 200L);
    assertThat(logs)
        .as("systemd-run's unit in the guest, from the guest's journal")
        .contains("gjournal systemd[1]: Started run-u");
    assertThat(berth("logs", "gjournal").orFail("berth logs gjournal").out())
        .as("systemd's own line about the unit")
        .contains("Started systemd-nspawn@gjournal.service");
    assertThat(
            testbed
                .exec("journalctl", "--no-pager", "--unit=systemd-nspawn@gjournal.service")
                .orFail("journalctl --unit")
                .out())
        .as("the unit's journal alone has the console's line but not the guest's own")
        .contains(console)
        .doesNotContain(marker);

    // Stopped, machined no longer has its ID: the guest's tree (berth's inventory says where) does.
    testbed
        .exec("systemctl", "stop", "systemd-nspawn@gjournal.service")
        .orFail("stopping gjournal");
    assertThat(testbed.exec("cat", root + "/etc/machine-id").out().strip()).isEqualTo(id);
    assertThat(berth("logs", "gjournal", "-n", "200").orFail("berth logs gjournal").out())
        .as("the stopped guest's journal is still linked and shown")
        .containsPattern(loggers);
  }
}
