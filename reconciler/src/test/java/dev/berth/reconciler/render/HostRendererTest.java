package dev.berth.reconciler.render;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static dev.berth.reconciler.testing.ContainerYaml.docs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.testing.ContainerYaml;
import dev.berth.reconciler.testing.Findings;
import dev.berth.reconciler.testing.InMemoryTree;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostRendererTest {
  private static final Host HOST = new Host("h1", Map.of("role", "web"));

  /** A container unpacked from a busybox tarball. */
  private static ContainerYaml busybox(String name) {
    return container(name).tarball(ContainerYaml.TARBALL_URL, "b".repeat(64));
  }

  private static HostRendering render(Object yaml, Map<String, String> systems) {
    LoadResult result =
        Findings.loadFor(
            InMemoryTree.of("m.yaml", yaml.toString()).put("web.nix", "{ }\n"), "h1", "role=web");
    assertThat(result.diagnostics()).filteredOn(d -> d.isError()).isEmpty();
    return new HostRenderer()
        .render(
            result.manifests().containersOn(HOST),
            result.manifests().zonesOn(HOST),
            SystemBuilds.of(systems));
  }

  private static String body(HostFile file) {
    String text = file.content();
    return text.substring(text.indexOf('\n', text.indexOf('\n') + 1) + 1);
  }

  private static HostFile file(HostRendering rendering, String path) {
    return rendering.allFiles().stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void hostNetworkSaysSoExplicitly() throws IOException {
    HostRendering rendering = render(busybox("plain"), Map.of());

    assertThat(body(file(rendering, "etc/systemd/nspawn/plain.nspawn")))
        .isEqualTo("[Exec]\nBoot=yes\n\n[Network]\nPrivate=no\nVirtualEthernet=no\n");
    assertThat(rendering.allFiles())
        .extracting(HostFile::path)
        .containsExactly(
            "etc/systemd/nspawn/plain.nspawn",
            "etc/systemd/system/systemd-nspawn@plain.service.d/50-berth.conf");
  }

  @Test
  void notifyReadyMakesTheUnitWaitForTheContainersReadiness() throws IOException {
    HostRendering rendering =
        render(busybox("ready").spec("health: {notifyReady: true}"), Map.of());

    assertThat(body(file(rendering, "etc/systemd/nspawn/ready.nspawn")))
        .isEqualTo(
            "[Exec]\nBoot=yes\nNotifyReady=yes\n\n[Network]\nPrivate=no\nVirtualEthernet=no\n");
  }

  @Test
  void nixosContainerBootsTheSystemFromTheStore() throws IOException {
    ContainerYaml yaml = container("web").nixos("web.nix").spec("ephemeral: true");
    HostRendering rendering = render(yaml, Map.of("web", "/nix/store/abc-nixos-system-web"));

    assertThat(body(file(rendering, "etc/systemd/nspawn/web.nspawn")))
        .isEqualTo(
            "[Exec]\nBoot=no\nParameters=/nix/store/abc-nixos-system-web/init\nKillSignal=SIGRTMIN+3\n"
                + "Ephemeral=yes\n\n[Files]\nBindReadOnly=/nix/store\n\n[Network]\nPrivate=no\nVirtualEthernet=no\n");
    assertThat(
            body(file(rendering, "etc/systemd/system/systemd-nspawn@web.service.d/50-berth.conf")))
        .contains("ExecReload=\nExecReload=sh -c 'system=$$(dirname")
        .contains("switch-to-configuration\" test'");
  }

  @Test
  void theNixDaemonIsBoundOnlyWhenAskedAndAnUnbuiltSystemSaysWhy() throws IOException {
    ContainerYaml yaml =
        container("web")
            .withoutImage()
            .spec("image:", "  nixos:", "    file: web.nix", "    mountDaemonSocket: true");
    HostRendering rendering = render(yaml, Map.of("web", "/nix/store/abc-nixos-system-web"));

    assertThat(body(file(rendering, "etc/systemd/nspawn/web.nspawn")))
        .contains(
            "[Files]\nBindReadOnly=/nix/store\nBindReadOnly=/nix/var/nix/db\n"
                + "Bind=/nix/var/nix/daemon-socket\n")
        .contains("LinkJournal=guest");
    assertThat(rendering.unbuilt("web")).isEmpty();

    HostRendering unbuilt = render(yaml, Map.of());
    assertThat(body(file(unbuilt, "etc/systemd/nspawn/web.nspawn"))).doesNotContain("Parameters=");
    assertThat(unbuilt.unbuilt("web")).contains(UnbuiltSystem.NOT_BUILT);
  }

  @Test
  void everyFileCarriesTheMarkerWithTheHashOfItsBody() throws IOException {
    HostRendering rendering = render(busybox("web").spec("network: {}"), Map.of());

    for (HostFile file : rendering.allFiles()) {
      assertThat(file.content()).startsWith("# Managed by berth for Container web.");
      assertThat(Marker.read(file.content()))
          .hasValueSatisfying(
              stamp -> {
                assertThat(stamp.editedByHand()).isFalse();
                assertThat(stamp.declaredSha256()).isEqualTo(Marker.sha256(body(file)));
              });
    }
  }

  @Test
  void outputIsByteIdenticalAcrossRuns() throws IOException {
    String yaml =
        docs(
            busybox("b")
                .spec("network:", "  forwardPorts:", "    - {hostPort: 8080, containerPort: 80}"),
            busybox("a"));
    assertThat(render(yaml, Map.of()).allFiles()).isEqualTo(render(yaml, Map.of()).allFiles());
  }

  @Test
  void staticAddressesGiveTheContainerAGatewayAndDns() throws IOException {
    ContainerYaml yaml =
        busybox("st")
            .spec(
                "network:",
                "  v4:",
                "    static:",
                "      containerPool: [10.0.3.2/24]",
                "      hostAddresses: [10.0.3.1/24]",
                "  v6:",
                "    static:",
                "      containerPool: [\"fd00:3::2/64\"]",
                "      hostAddresses: [\"fd00:3::1/64\"]",
                "  dns: [10.0.3.1]");
    HostRendering rendering = render(yaml, Map.of());

    assertThat(body(file(rendering, "etc/systemd/network/20-berth-ve-st.network")))
        .isEqualTo(
            "[Match]\nName=ve-st\nDriver=veth\n\n[Network]\nAddress=10.0.3.1/24\nAddress=fd00:3::1/64\n"
                + "LinkLocalAddressing=ipv6\nDHCPServer=no\nIPv6SendRA=no\nIPv6AcceptRA=no\nIPMasquerade=ipv4\n\n"
                + "[Link]\nRequiredForOnline=no\n");
    assertThat(
            body(file(rendering, "var/lib/machines/st/etc/systemd/network/20-berth-host0.network")))
        .isEqualTo(
            "[Match]\nVirtualization=container\nName=host0\n\n[Network]\nDHCP=no\nIPv6AcceptRA=no\n"
                + "LinkLocalAddressing=ipv6\nAddress=10.0.3.2/24\nAddress=fd00:3::2/64\nGateway=10.0.3.1\n"
                + "Gateway=fd00:3::1\nDNS=10.0.3.1\n");
  }

  @Test
  void zoneMembersUseTheBridgeAndItsAddressesAsGateway() throws IOException {
    String yaml =
        docs(
            "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: dmz\nspec:\n"
                + "  placement:\n    hosts: [h1]\n  v4:\n    hostAddresses: [10.5.0.1/24]\n    nat: false\n",
            busybox("z1")
                .spec(
                    "network:",
                    "  zone: dmz",
                    "  v4:",
                    "    static:",
                    "      containerPool: [10.5.0.2/24]"));
    HostRendering rendering = render(yaml, Map.of());

    assertThat(body(file(rendering, "etc/systemd/nspawn/z1.nspawn")))
        .contains("[Network]\nPrivate=yes\nVirtualEthernet=yes\nZone=dmz\n");
    // No v6 in the manifest: the zone's own ULA prefix, advertised for SLAAC.
    UlaPrefix ula = UlaPrefix.of("zone", "dmz");
    assertThat(body(file(rendering, "etc/systemd/network/20-berth-vz-dmz.network")))
        .isEqualTo(
            "[Match]\nName=vz-dmz\nDriver=bridge\n\n[Network]\nAddress=10.5.0.1/24\nAddress="
                + ula.hostAddress()
                + "\nLinkLocalAddressing=ipv6\nDHCPServer=yes\nIPv6SendRA=yes\nIPv6AcceptRA=no\n"
                + "IPMasquerade=ipv6\n\n[IPv6Prefix]\nPrefix="
                + ula.prefix()
                + "\n\n[Link]\nRequiredForOnline=no\n");
    assertThat(
            body(file(rendering, "var/lib/machines/z1/etc/systemd/network/20-berth-host0.network")))
        .contains("Gateway=10.5.0.1\n");
    assertThat(rendering.allFiles())
        .extracting(HostFile::path)
        .doesNotContain("etc/systemd/network/20-berth-ve-z1.network");
  }

  @Test
  void rawSettingsAreMergedLastAndReplaceGeneratedOnes() throws IOException {
    ContainerYaml yaml =
        busybox("mv")
            .spec(
                "network: {}",
                "nspawn:",
                "  Network:",
                "    VirtualEthernet: no",
                "    MACVLAN: [eth1, eth2]",
                "  Exec:",
                "    KillSignal: SIGUSR2");
    HostRendering rendering = render(yaml, Map.of());

    assertThat(body(file(rendering, "etc/systemd/nspawn/mv.nspawn")))
        .isEqualTo(
            "[Exec]\nBoot=yes\nKillSignal=SIGUSR2\n\n[Network]\nPrivate=yes\nVirtualEthernet=no\n"
                + "MACVLAN=eth1\nMACVLAN=eth2\n");
    assertThat(rendering.allFiles())
        .extracting(HostFile::path)
        .noneMatch(path -> path.contains("systemd/network"));
  }

  @Test
  void specifiersVariablesQuotesAndBackslashesInPathsReachSystemdAsWritten() throws IOException {
    ContainerYaml yaml =
        container("dir")
            .directory("/srv/100%n/$HOME")
            .spec(
                "credentials:",
                "  - {id: token, path: \"/etc/berth/%i/${USER}\"}",
                "  - {id: quoted, path: \"/etc/it's/\\\"x\\\"\\\\\"}",
                "bindMounts:",
                "  - {hostPath: '/srv/a\\b%i$X\\', containerPath: '/mnt/c\\'}");
    HostRendering rendering = render(yaml, Map.of());

    assertThat(
            body(file(rendering, "etc/systemd/system/systemd-nspawn@dir.service.d/50-berth.conf")))
        .contains(
            "ExecStart=\nExecStart="
                + DropInRenderer.TEMPLATE_EXEC_START
                + " --directory=/srv/100%%n/$$HOME"
                + " --load-credential=token:/etc/berth/%%i/$${USER}"
                + " \"--load-credential=quoted:/etc/it's/\\\"x\\\"\\\\\"\n");
    assertThat(body(file(rendering, "etc/systemd/nspawn/dir.nspawn")))
        .contains("[Files]\nBind=/srv/a\\\\b%i$X\\\\:/mnt/c\\\\\n");
  }

  @Test
  void directoryImagesCredentialsAndBridgesNeedTheirOwnStart() throws IOException {
    ContainerYaml yaml =
        container("dir")
            .directory("/srv/roots/dir")
            .spec(
                "credentials:",
                "  - {id: token, path: /etc/berth/token}",
                "network:",
                "  bridge: br-lan",
                "  dns: [192.0.2.53]");
    HostRendering rendering = render(yaml, Map.of());

    assertThat(
            body(file(rendering, "etc/systemd/system/systemd-nspawn@dir.service.d/50-berth.conf")))
        .startsWith(
            "[Unit]\nWants=sys-subsystem-net-devices-br\\x2dlan.device\n"
                + "After=sys-subsystem-net-devices-br\\x2dlan.device\n")
        .contains(
            "ExecStart=\nExecStart=systemd-nspawn --quiet --keep-unit --boot --link-journal=try-guest"
                + " --network-veth -U --settings=override --machine=%i --directory=/srv/roots/dir"
                + " --load-credential=token:/etc/berth/token\n");
    assertThat(
            file(rendering, "srv/roots/dir/etc/systemd/network/20-berth-host0.network").content())
        .contains("DHCP=ipv4\n")
        .contains("DNS=192.0.2.53\n");
  }

  @Test
  void longNamesMatchBothNamesSystemdMayGiveTheInterface() throws IOException {
    HostRendering rendering = render(busybox("averyverylongname").spec("network: {}"), Map.of());

    // ve-averyvergrlw is what systemd 252 named it on the testbed (NetworkE2E checks it live).
    assertThat(body(file(rendering, "etc/systemd/network/20-berth-ve-averyverylongname.network")))
        .startsWith("[Match]\nName=ve-averyvergrlw ve-averyverylon\n");
  }

  @Test
  void theDefaultNetworkAdvertisesAStableUlaPrefixAndServesDhcp() throws IOException {
    HostRendering rendering = render(busybox("web").spec("network: {}"), Map.of());
    UlaPrefix ula = UlaPrefix.of("container", "web");

    assertThat(ula.prefix()).matches("fd[0-9a-f]{2}(:[0-9a-f]{1,4}){3}::/64");
    assertThat(ula.hostAddress()).isEqualTo(ula.prefix().replace("::/64", "::1/64"));
    assertThat(body(file(rendering, "etc/systemd/network/20-berth-ve-web.network")))
        .isEqualTo(
            "[Match]\nName=ve-web\nDriver=veth\n\n[Network]\nAddress=0.0.0.0/28\nAddress="
                + ula.hostAddress()
                + "\nLinkLocalAddressing=ipv6\nDHCPServer=yes\nIPv6SendRA=yes\nIPv6AcceptRA=no\n"
                + "IPMasquerade=both\n\n[IPv6Prefix]\nPrefix="
                + ula.prefix()
                + "\n\n[Link]\nRequiredForOnline=no\n");
    assertThat(rendering.allFiles())
        .extracting(HostFile::path)
        .noneMatch(path -> path.endsWith("20-berth-host0.network"));
  }

  @Test
  void aZonePoolPrefixAndItsHostAddressesAreAdvertisedEachOnce() throws IOException {
    String yaml =
        "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: lab\nspec:\n"
            + "  placement:\n    hosts: [h1]\n  v6:\n    addrPool: [\"fd00:7::/64\"]\n"
            + "    hostAddresses: [\"fd00:7::53/64\", \"fd00:8::1/64\"]\n";

    assertThat(body(render(yaml, Map.of()).zoneFiles().get(0)))
        .contains("Address=fd00:7::1/64\nAddress=fd00:7::53/64\nAddress=fd00:8::1/64\n")
        .contains("IPv6SendRA=yes\n")
        .contains("[IPv6Prefix]\nPrefix=fd00:7::/64\n\n[IPv6Prefix]\nPrefix=fd00:8::/64\n");
  }

  @Test
  void aMacvlanOnlyContainerHasNoVethAndItsAddressesOnTheMacvlan() throws IOException {
    ContainerYaml yaml =
        busybox("mv")
            .spec(
                "network:",
                "  macvlan: [eth1]",
                "  v4:",
                "    static:",
                "      containerPool: [192.168.2.5/24]",
                "    gateway: 192.168.2.1");
    HostRendering rendering = render(yaml, Map.of());

    assertThat(body(file(rendering, "etc/systemd/nspawn/mv.nspawn")))
        .contains("[Network]\nPrivate=yes\nVirtualEthernet=no\nMACVLAN=eth1\n");
    assertThat(
            body(file(rendering, "var/lib/machines/mv/etc/systemd/network/20-berth-host0.network")))
        .isEqualTo(
            "[Match]\nVirtualization=container\nName=mv-eth1\n\n[Network]\n"
                + "LinkLocalAddressing=ipv6\nAddress=192.168.2.5/24\nGateway=192.168.2.1\n");
    assertThat(rendering.allFiles())
        .extracting(HostFile::path)
        .doesNotContain("etc/systemd/network/20-berth-ve-mv.network");
  }

  @Test
  void hostAddressesGiveAMacvlanContainerAVethToo() throws IOException {
    ContainerYaml yaml =
        busybox("mv")
            .spec(
                "network:",
                "  macvlan: [eth1]",
                "  v4:",
                "    static:",
                "      containerPool: [10.1.0.2/24]",
                "      hostAddresses: [10.1.0.1/24]");
    HostRendering rendering = render(yaml, Map.of());

    assertThat(body(file(rendering, "etc/systemd/nspawn/mv.nspawn")))
        .contains("VirtualEthernet=yes\nMACVLAN=eth1\n");
    assertThat(
            body(file(rendering, "var/lib/machines/mv/etc/systemd/network/20-berth-host0.network")))
        .contains("Name=host0\n");
  }
}
