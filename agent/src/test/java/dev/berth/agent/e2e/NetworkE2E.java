package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.model.InterfaceName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
 * RFC 0108's networking on a real systemd host with systemd-networkd, proven by packets between the
 * testbed host and its nested containers (all in the testbed's own network namespace, no uplink):
 * DHCP during boot, IPv6 SLAAC, zones, static v4/v6 with gateway and masquerading, a port forward,
 * MACVLAN, an existing bridge with the host's resolv.conf, long interface names, a zone change
 * without restarts, and the clean-up of berth's network files.
 *
 * <p>The containers are busybox trees without networkd: their boot script (sysinit, before the
 * respawned service) brings the link up and either runs busybox's DHCP client or applies the {@code
 * Address=}/{@code Gateway=} lines of the network file berth rendered into the tree. IPv6 SLAAC is
 * the container kernel's own, from networkd's router advertisements.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String BERTH = "/opt/berth/berth.jar";
  private static final String REPO = "/opt/e2e/repo";

  /** Runs /net/boot (bound per container) at sysinit and /net/service as the one service. */
  private static final String INITTAB =
      """
      ::sysinit:/bin/busybox --install -s /bin
      ::sysinit:/bin/sh -c 'if test -f /net/boot; then . /net/boot; fi'
      ::respawn:/bin/sh -c 'if test -f /net/service; then . /net/service; else exec sleep 3600; fi'
      """;

  /** busybox udhcpc's hook: applies the lease and keeps it in /run/lease for the test. */
  private static final String UDHCPC_SCRIPT =
      """
      #!/bin/sh
      case "$1" in
        bound|renew)
          ip -4 addr flush dev "$interface"
          ip addr add "$ip/$mask" dev "$interface"
          for r in $router; do ip route add default via "$r" dev "$interface"; break; done
          env > /run/lease ;;
      esac
      """;

  private static final String DHCP_BOOT =
      "chmod +x /etc/udhcpc.script\nip link set host0 up\n"
          + "udhcpc -i host0 -s /etc/udhcpc.script -n -q -t 10 -T 1\n";

  /** What networkd would do inside with berth's file, for a tree without networkd. */
  private static final String STATIC_BOOT =
      """
      F=/etc/systemd/network/20-berth-host0.network
      I=$(sed -n 's/^Name=//p' $F)
      ip link set "$I" up
      for a in $(sed -n 's/^Address=//p' $F); do ip addr add "$a" dev "$I"; done
      for g in $(sed -n 's/^Gateway=//p' $F); do ip route add default via "$g" dev "$I"; done
      """;

  private static final String RECORD_AND_SERVE =
      "ip addr show > /run/at-service-start\nexec httpd -f -p 80 -h /net/www\n";

  private Path work;
  private Testbed testbed;
  private BusyboxImage image;
  private final Map<String, String> pids = new java.util.HashMap<>();

  /** z1's DHCP address on the zone lab. */
  private String zoneMember;

  @BeforeAll
  void boot() throws Exception {
    assertThat(JAR_DIR.resolve("berth.jar")).as("the built agent (mvn package)").exists();
    work = Files.createTempDirectory("berth-e2e-net");
    Files.createDirectories(work.resolve("repo"));
    image = BusyboxImage.build(work, "netbox", INITTAB, Map.of("etc/udhcpc.script", UDHCPC_SCRIPT));
    testbed = Testbed.boot(JAR_DIR, work);
    testbed.exec("systemctl", "enable", "--now", "systemd-networkd").orFail("starting networkd");
    assertThat(testbed.exec("systemctl", "is-active", "systemd-networkd").out().strip())
        .isEqualTo("active");
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  /** A container of the netbox image with /opt/e2e/net/NAME bound at /net and its scripts. */
  private void container(String name, String boot, String service, String... spec)
      throws IOException {
    Path net = work.resolve("net").resolve(name);
    Files.createDirectories(net.resolve("www"));
    Files.writeString(net.resolve("www/index.html"), "hello from " + name + "\n");
    // Tells the caller the address its request came from (after any masquerading).
    Path cgi = Files.createDirectories(net.resolve("www/cgi-bin")).resolve("remote");
    Files.writeString(
        cgi, "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n%s\\n' \"$REMOTE_ADDR\"\n");
    Files.setPosixFilePermissions(
        cgi, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    if (boot != null) {
      Files.writeString(net.resolve("boot"), boot);
    }
    if (service != null) {
      Files.writeString(net.resolve("service"), service);
    }
    String[] lines = new String[spec.length + 5];
    lines[0] = "bindMounts:";
    lines[1] = "  - {hostPath: /opt/e2e/net/" + name + ", containerPath: /net, readOnly: true}";
    // busybox init powers off on SIGUSR2 and ignores SIGRTMIN+3 (TESTBED.md).
    lines[2] = "nspawn:";
    lines[3] = "  Exec:";
    lines[4] = "    KillSignal: SIGUSR2";
    System.arraycopy(spec, 0, lines, 5, spec.length);
    manifest(name, image.container(name, lines));
  }

  private void manifest(String name, String yaml) throws IOException {
    Files.writeString(work.resolve("repo").resolve(name + ".yaml"), yaml);
  }

  private void zone(String name, String... spec) throws IOException {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: "
                + name
                + "\nspec:\n  placement: {hosts: [tb]}\n");
    for (String line : spec) {
      yaml.append("  ").append(line).append('\n');
    }
    manifest(name, yaml.toString());
  }

  private Testbed.Result apply() throws Exception {
    Testbed.Result result = testbed.exec("java", "-jar", BERTH, "apply", REPO, "--host", "tb");
    System.out.println(result.out() + result.err());
    return result;
  }

  private String leader(String machine) throws Exception {
    return testbed
        .exec("machinectl", "show", machine, "--property=Leader", "--value")
        .orFail("machinectl show " + machine)
        .out()
        .strip();
  }

  /** A command inside the running container (its busybox), through its leader's namespaces. */
  private Testbed.Result inside(String machine, String script) throws Exception {
    return testbed.exec("nsenter", "--target", leader(machine), "--all", "/bin/sh", "-c", script);
  }

  private String await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String value = check.value();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(250);
    }
  }

  /**
   * The host side of a link once networkd has configured all of {@code expected} on it: networkd
   * configures links after its reload returns, so an address may come a moment after the apply.
   */
  private String addressesOf(String link, String... expected) throws Exception {
    return await(
        link + "'s addresses " + String.join(", ", expected),
        () -> {
          String shown = testbed.exec("ip", "addr", "show", "dev", link).orFail(link).out();
          return java.util.Arrays.stream(expected).allMatch(shown::contains) ? shown : null;
        });
  }

  private interface Check {
    /** The awaited value, or null while it is not there yet. */
    String value() throws Exception;
  }

  private static String first(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static final Pattern INET = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");

  /** A usable SLAAC address: not one still "tentative" (duplicate address detection running). */
  private static final Pattern ULA =
      Pattern.compile("inet6 (fd[0-9a-f:]+)/64 scope global(?![^\n]*tentative)");

  /** The container's SLAAC address, once its kernel took one from networkd's advertisements. */
  private String slaac(String machine) throws Exception {
    return await(
        machine + "'s SLAAC address",
        () -> first(ULA, inside(machine, "ip -6 addr show dev host0").out()));
  }

  /** Pings up to three times: the first packet may wait for neighbour discovery. */
  private void ping(String from, String address) throws Exception {
    String command = address.contains(":") ? "ping6" : "ping";
    Testbed.Result result = null;
    for (int attempt = 0; attempt < 3 && (result == null || result.exitCode() != 0); attempt++) {
      result =
          from == null
              ? testbed.exec("busybox", command, "-c", "1", "-W", "3", address)
              : inside(from, command + " -c 1 -W 3 " + address);
    }
    assertThat(result.exitCode())
        .as((from == null ? "the host" : from) + " pings " + address + "\n" + result.out())
        .isZero();
  }

  private String fetch(String url) throws Exception {
    // No -T: Debian 12's static busybox wget crashes with it; the exec's own timeout bounds it.
    return testbed
        .exec(Duration.ofSeconds(30), "busybox", "wget", "-q", "-O", "-", url)
        .orFail(url)
        .out();
  }

  private boolean exists(String path) throws Exception {
    return testbed.exec("test", "-e", path).exitCode() == 0;
  }

  @Test
  @Order(1)
  void aDefaultContainerHasItsDhcpAddressBeforeItsServiceStartsAndSlaacToo() throws Exception {
    container("dyn", DHCP_BOOT, RECORD_AND_SERVE, "network: {}");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    String atStart =
        await(
            "dyn's service",
            () -> {
              Testbed.Result file = inside("dyn", "cat /run/at-service-start");
              return file.exitCode() == 0 ? file.out() : null;
            });
    String lease = inside("dyn", "cat /run/lease").orFail("dyn's lease").out();
    String address = first(Pattern.compile("(?m)^ip=(\\S+)$"), lease);
    String router = first(Pattern.compile("(?m)^router=(\\S+)$"), lease);
    assertThat(address).as(lease).isNotNull();
    String hostSide = addressesOf("ve-dyn", "inet " + router + "/");
    assertThat(hostSide).as("networkd's DHCP server on ve-dyn").contains("inet " + router + "/");
    assertThat(atStart)
        .as("the address was there when the service started")
        .contains("inet " + address + "/");
    ping(null, address);
    assertThat(fetch("http://" + address + "/")).isEqualTo("hello from dyn\n");

    String v6 = slaac("dyn");
    String prefix = String.join(":", java.util.Arrays.copyOf(v6.split(":"), 4));
    assertThat(addressesOf("ve-dyn", prefix + "::1/64"))
        .as("the ULA prefix networkd advertises")
        .contains(prefix + "::1/64");
    ping(null, v6);
  }

  @Test
  @Order(2)
  void twoContainersInAZoneReachEachOther() throws Exception {
    zone("lab", "v4: {hostAddresses: [10.77.0.1/24]}");
    container("z1", DHCP_BOOT, RECORD_AND_SERVE, "network: {zone: lab}");
    container("z2", DHCP_BOOT, null, "network: {zone: lab}");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(addressesOf("vz-lab", "inet 10.77.0.1/24")).contains("inet 10.77.0.1/24");
    assertThat(testbed.exec("networkctl", "status", "vz-lab", "--no-pager").out())
        .contains("/etc/systemd/network/20-berth-vz-lab.network");
    assertThat(testbed.exec("ip", "link", "show", "master", "vz-lab").out())
        .contains("vb-z1")
        .contains("vb-z2");
    String z1 = await("z1's lease", () -> first(INET, inside("z1", "ip addr show host0").out()));
    String z2 = await("z2's lease", () -> first(INET, inside("z2", "ip addr show host0").out()));
    assertThat(z1).startsWith("10.77.0.");
    assertThat(z2).startsWith("10.77.0.");
    ping("z1", z2);
    ping("z2", z1);
    ping("z1", slaac("z2"));
    ping("z2", slaac("z1"));
    ping(null, z1);
    zoneMember = z1;
    pids.put("z1", leader("z1"));
    pids.put("z2", leader("z2"));
  }

  @Test
  @Order(3)
  void theHostReachesAStaticContainerOnV4AndV6() throws Exception {
    container(
        "st",
        STATIC_BOOT,
        RECORD_AND_SERVE,
        "network:",
        "  v4: {static: {containerPool: [10.88.0.2/24], hostAddresses: [10.88.0.1/24]}}",
        "  v6: {static: {containerPool: ['fd88::2/64'], hostAddresses: ['fd88::1/64']}}");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(addressesOf("ve-st", "inet 10.88.0.1/24", "inet6 fd88::1/64"))
        .contains("inet 10.88.0.1/24")
        .contains("inet6 fd88::1/64");
    await(
        "st's service",
        () -> inside("st", "cat /run/at-service-start").exitCode() == 0 ? "" : null);
    assertThat(inside("st", "ip route").out()).contains("default via 10.88.0.1");
    ping(null, "10.88.0.2");
    ping(null, "fd88::2");
    assertThat(fetch("http://10.88.0.2/")).isEqualTo("hello from st\n");
    assertThat(fetch("http://[fd88::2]/")).isEqualTo("hello from st\n");
    // The uplink: through its gateway the host forwards st's traffic to another network (the
    // zone), masqueraded (IPMasquerade=, on by default for v4) as the host's address there.
    assertThat(inside("st", "wget -q -O - http://" + zoneMember + "/cgi-bin/remote").out())
        .as("z1 sees st's request coming from the host's bridge address")
        .contains("10.77.0.1");
  }

  @Test
  @Order(4)
  void aForwardedPortAnswersOnTheHostsAddresses() throws Exception {
    container(
        "web",
        DHCP_BOOT,
        RECORD_AND_SERVE,
        "network:",
        "  forwardPorts: [{protocol: tcp, hostPort: 8080, containerPort: 80}]");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    await(
        "web's service",
        () -> inside("web", "cat /run/at-service-start").exitCode() == 0 ? "" : null);
    // Any of the host's own addresses, here the zone bridge's and st's host side: nspawn's DNAT.
    assertThat(fetch("http://10.77.0.1:8080/")).isEqualTo("hello from web\n");
    assertThat(fetch("http://10.88.0.1:8080/")).isEqualTo("hello from web\n");
    assertThat(
            testbed
                .exec(
                    Duration.ofSeconds(30),
                    "busybox",
                    "wget",
                    "-q",
                    "-O",
                    "-",
                    "http://10.88.0.1:80/")
                .exitCode())
        .as("only the forwarded port answers")
        .isNotZero();
  }

  @Test
  @Order(5)
  void aMacvlanContainerGetsItsInterfaceOnTheParentLink() throws Exception {
    // The parent is one end of a veth pair: the CI kernel has no dummy driver, and the other end
    // lets the host send packets through the parent to the container's MACVLAN.
    testbed
        .sh(
            "ip link add mvpar0 type veth peer name mvpeer0 && ip link set mvpar0 up"
                + " && ip link set mvpeer0 up && ip addr add 10.99.0.1/24 dev mvpeer0")
        .orFail("the parent link");
    container(
        "mvl",
        STATIC_BOOT,
        null,
        "network:",
        "  macvlan: [mvpar0]",
        "  v4: {static: {containerPool: [10.99.0.5/24]}}");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(testbed.exec("cat", "/etc/systemd/nspawn/mvl.nspawn").out())
        .contains("VirtualEthernet=no\n")
        .contains("MACVLAN=mvpar0\n");
    assertThat(exists("/etc/systemd/network/20-berth-ve-mvl.network")).isFalse();
    String inside =
        await(
            "mvl's address",
            () -> {
              String text = inside("mvl", "ip addr show mv-mvpar0").out();
              return text.contains("inet 10.99.0.5/24") ? text : null;
            });
    assertThat(inside).contains("mv-mvpar0");
    assertThat(inside("mvl", "ip link show host0").exitCode()).as("no veth").isNotZero();
    ping(null, "10.99.0.5");
  }

  @Test
  @Order(6)
  void aContainerJoinsAnExistingBridgeAndCopiesTheHostsResolvConf() throws Exception {
    testbed
        .sh(
            "ip link add brt0 type bridge && ip addr add 10.55.0.1/24 dev brt0"
                + " && ip link set brt0 up && echo 'nameserver 192.0.2.53' > /etc/resolv.conf")
        .orFail("the administrator's bridge");
    container(
        "brc",
        STATIC_BOOT,
        null,
        "network:",
        "  bridge: brt0",
        "  v4: {static: {containerPool: [10.55.0.2/24]}, gateway: 10.55.0.1}",
        "  resolvConf: copy-host");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(testbed.exec("ip", "link", "show", "master", "brt0").out()).contains("vb-brc");
    assertThat(exists("/etc/systemd/network/20-berth-ve-brc.network")).isFalse();
    await(
        "brc's address",
        () -> inside("brc", "ip addr show host0").out().contains("10.55.0.2/24") ? "" : null);
    assertThat(inside("brc", "ip route").out()).contains("default via 10.55.0.1");
    assertThat(inside("brc", "cat /etc/resolv.conf").out()).contains("nameserver 192.0.2.53");
    ping(null, "10.55.0.2");
  }

  @Test
  @Order(7)
  void aLongNameGetsItsShortenedInterfaceConfigured() throws Exception {
    String name = "averyverylongname";
    String link = InterfaceName.shortened("ve-" + name);
    container(
        name,
        STATIC_BOOT,
        null,
        "network:",
        "  v4: {static: {containerPool: [10.66.0.2/24], hostAddresses: [10.66.0.1/24]}}");

    Testbed.Result validate = testbed.exec("java", "-jar", BERTH, "validate", REPO);
    Testbed.Result result = apply();

    assertThat(validate.out() + validate.err()).contains("systemd names it " + link);
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(addressesOf(link, "inet 10.66.0.1/24")).contains("inet 10.66.0.1/24");
    ping(null, "10.66.0.2");
  }

  @Test
  @Order(8)
  void aZoneAddressChangeReloadsNetworkdWithoutRestartingItsContainers() throws Exception {
    zone("lab", "v4: {hostAddresses: [10.77.0.1/24, 10.78.0.1/24]}");

    Testbed.Result plan = testbed.exec("java", "-jar", BERTH, "plan", REPO, "--host", "tb");
    Testbed.Result result = apply();

    assertThat(plan.out()).contains("update zone/lab: changed Network.Address; networkd reloads");
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    await(
        "the new bridge address",
        () ->
            testbed.exec("ip", "addr", "show", "dev", "vz-lab").out().contains("10.78.0.1/24")
                ? ""
                : null);
    assertThat(leader("z1")).isEqualTo(pids.get("z1"));
    assertThat(leader("z2")).isEqualTo(pids.get("z2"));
    ping(null, first(INET, inside("z1", "ip addr show host0").out()));
  }

  @Test
  @Order(9)
  void removingAZonesContainersAndTheZoneCleansUpBerthsNetworkFiles() throws Exception {
    for (String name : new String[] {"z1", "z2", "lab", "web"}) {
      Files.delete(work.resolve("repo").resolve(name + ".yaml"));
    }

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("remove z1: converged", "remove web: converged");
    assertThat(exists("/etc/systemd/network/20-berth-vz-lab.network")).isFalse();
    assertThat(exists("/etc/systemd/network/20-berth-ve-web.network")).isFalse();
    assertThat(exists("/etc/systemd/network/20-berth-ve-dyn.network")).isTrue();
    await(
        "vz-lab gone",
        () -> testbed.exec("ip", "link", "show", "dev", "vz-lab").exitCode() != 0 ? "" : null);
    assertThat(testbed.exec("networkctl", "list", "--no-pager").out()).doesNotContain("vz-lab");
    assertThat(exists("/var/lib/machines/z1/etc")).as("state kept").isTrue();
    Testbed.Result plan = testbed.exec("java", "-jar", BERTH, "plan", REPO, "--host", "tb");
    assertThat(plan.exitCode()).as(plan.out()).isZero();
  }
}
