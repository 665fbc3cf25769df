package dev.berth.reconciler.validate;

import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static dev.berth.reconciler.testing.Findings.loadAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.testing.ContainerYaml;
import dev.berth.reconciler.testing.InMemoryTree;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks that each document passes on its own, as the loader reports them. */
class DocumentRulesTest {

  /**
   * A container on {@code host-a} with a directory image: ten lines, so its spec lines start at
   * line 11.
   */
  private static ContainerYaml container(String name) {
    return ContainerYaml.container(name).onHosts("host-a").directory("/srv/web");
  }

  private static ContainerYaml web() {
    return container("web");
  }

  private static LoadResult load(Object manifest) {
    return loadAll(tree(manifest.toString()));
  }

  private static InMemoryTree tree(String manifest) {
    return InMemoryTree.of("m.yaml", manifest)
        .put("nix/web.nix", "{ }")
        .put("nix/modules/base.nix", "{ }")
        .outside("nix/escape");
  }

  private static ContainerSpec spec(LoadResult result) {
    return result.manifests().containers().get(0).value().spec();
  }

  @Nested
  class ContainerNames {
    @ParameterizedTest
    @ValueSource(strings = {"Web", "web_1", "-web", "web-", "\"we.b\"", "\"\u00e9t\u00e9\""})
    void aNameThatIsNotADnsLabelIsAnError(String name) {
      LoadResult result = load(container(name));

      assertFindings(
          result,
          at("m.yaml:4:9", "is not a valid machine name: use at most 64 lowercase letters"));
    }

    @Test
    void aNameOfMoreThan64CharactersIsAnError() {
      String name = "a".repeat(65);

      LoadResult result = load(container(name));

      assertFindings(
          result, at("m.yaml:4:9", "metadata.name: \"" + name + "\" is not a valid machine name"));
    }

    @Test
    void aNameOf64CharactersIsOnlyWarnedAbout() {
      LoadResult result = load(container("a".repeat(64)));

      assertFindings(
          result,
          at("m.yaml:4:9", "warning: metadata.name: \"" + "a".repeat(64) + "\" has 64 characters"));
      assertThat(result.valid()).isTrue();
    }

    @Test
    void aNameOfMoreThan11CharactersIsWarnedAboutButValid() {
      LoadResult result = load(container("webserver-01"));

      assertFindings(
          result,
          at(
              "m.yaml:4:9",
              "warning: metadata.name: \"webserver-01\" has 12 characters; the host interface"
                  + " ve-webserver-01 is at the 15-byte limit of interface names"));
      assertThat(result.diagnostics()).extracting(Diagnostic::isError).containsExactly(false);
      assertThat(result.valid()).isTrue();
      assertThat(result.warningCount()).isEqualTo(1);
      assertThat(result.manifests().containers()).hasSize(1);
    }

    @Test
    void aNameTooLongForTheInterfaceSaysWhichNameSystemdGivesIt() {
      LoadResult result = load(container("averyverylongname"));

      assertFindings(
          result,
          at(
              "m.yaml:4:9",
              "warning: metadata.name: \"averyverylongname\" has 17 characters; the host"
                  + " interface ve-averyverylongname is longer than the 15 bytes an interface name"
                  + " may have: systemd names it ve-averyvergrlw (systemd 250 and later;"
                  + " ve-averyverylon before), and berth's network file matches both"));
      assertThat(result.valid()).isTrue();
    }

    @Test
    void aMacvlanParentTooLongForTheContainersInterfaceIsWarnedAbout() {
      LoadResult result = load(web().spec("network:", "  macvlan: [enp0s31f6-lan]"));

      assertFindings(
          result,
          at(
              "m.yaml:12:15",
              "warning: spec.network.macvlan[0]: the container's interface mv-enp0s31f6-lan is"
                  + " longer than 15 bytes: systemd names it"));
      assertThat(result.valid()).isTrue();
    }

    @Test
    void aNameOf11CharactersIsFine() {
      assertThat(load(container("webserver-1")).diagnostics()).isEmpty();
    }
  }

  @Nested
  class ZoneNames {
    private String zone(String name) {
      return """
          apiVersion: berth.dev/v1alpha1
          kind: Zone
          metadata:
            name: %s
          spec:
            placement:
              hosts: [host-a]
          """
          .formatted(name);
    }

    @Test
    void aZoneNameMustLeaveRoomForVzInFifteenBytes() {
      LoadResult result = load(zone("abcdefghijklm"));

      assertFindings(
          result,
          at(
              "m.yaml:4:9",
              "metadata.name: \"abcdefghijklm\" is not a valid zone name: the bridge"
                  + " vz-abcdefghijklm must fit in 15 bytes, so use at most 12"));
    }

    @Test
    void aZoneNameOf12CharactersFits() {
      assertThat(load(zone("abcdefghijkl")).diagnostics()).isEmpty();
    }

    @Test
    void aZoneNameMustBeADnsLabel() {
      assertFindings(load(zone("Lan_1")), at("m.yaml:4:9", "\"Lan_1\" is not a valid zone name"));
    }
  }

  @Nested
  class Addresses {
    @Test
    void invalidCidrsAndWrongFamiliesAreReportedPerItem() {
      LoadResult result =
          load(
              web()
                  .spec(
                      "network:",
                      "  v4:",
                      "    static:",
                      "      containerPool: [10.0.0.300/24, 10.0.0.2, 10.0.0.3/33]",
                      "      hostAddresses: [\"fd00::1/64\"]",
                      "  v6:",
                      "    static:",
                      "      containerPool: [10.0.0.5/24, \"fd00::2/129\", \"fd00::3/64\"]"));

      assertFindings(
          result,
          at(
              "m.yaml:14:25",
              "spec.network.v4.static.containerPool[0]: \"10.0.0.300/24\" is not an IPv4 address"
                  + " with a prefix length, such as 10.0.0.2/24"),
          at(
              "m.yaml:14:40",
              "spec.network.v4.static.containerPool[1]: \"10.0.0.2\" is not an IPv4 address"),
          at(
              "m.yaml:14:50",
              "spec.network.v4.static.containerPool[2]: \"10.0.0.3/33\" is not an IPv4"),
          at(
              "m.yaml:15:25",
              "spec.network.v4.static.hostAddresses[0]: \"fd00::1/64\" is not an IPv4 address"),
          at(
              "m.yaml:18:25",
              "spec.network.v6.static.containerPool[0]: \"10.0.0.5/24\" is not an IPv6 address"
                  + " with a prefix length, such as fd00::2/64"),
          at(
              "m.yaml:18:38",
              "spec.network.v6.static.containerPool[1]: \"fd00::2/129\" is not an IPv6"));
    }

    @Test
    void aHostNameIsNeverResolvedAsAnAddress() {
      LoadResult result =
          load(web().spec("network:", "  dns: [1.1.1.1, localhost, \"2606:4700::1111\"]"));

      assertFindings(
          result, at("m.yaml:12:20", "spec.network.dns[1]: \"localhost\" is not an IP address"));
    }

    @Test
    void aGatewayMustBeOfItsFamily() {
      LoadResult result =
          load(
              web()
                  .spec(
                      "network:",
                      "  v4:",
                      "    gateway: \"fd00::1\"",
                      "  v6:",
                      "    gateway: \"fd00::1\""));

      assertFindings(
          result,
          at("m.yaml:13:16", "spec.network.v4.gateway: \"fd00::1\" is not an IPv4 address"));
    }

    @Test
    void prefixLengthZeroIsRefusedForAddressesAndPools() {
      LoadResult result =
          load(
              """
              apiVersion: berth.dev/v1alpha1
              kind: Zone
              metadata:
                name: lan
              spec:
                v4:
                  hostAddresses: [10.0.0.1/0]
                  addrPool: [0.0.0.0/0]
                v6:
                  addrPool: ["::/0"]
              ---
              """
                  + web()
                      .spec(
                          "network:",
                          "  v4:",
                          "    static:",
                          "      containerPool: [10.1.0.2/0]",
                          "      hostAddresses: [0.0.0.0/0]"));

      assertFindings(
          result,
          at(
              "m.yaml:7:21",
              "spec.v4.hostAddresses[0]: \"10.0.0.1/0\" has prefix length 0, a route to every"
                  + " address through this link; give the subnet's length, such as 10.0.0.2/24"),
          at(
              "m.yaml:8:16",
              "spec.v4.addrPool[0]: \"0.0.0.0/0\" is every address; give the pool's prefix"
                  + " length, such as 0.0.0.0/24"),
          at(
              "m.yaml:10:16",
              "spec.v6.addrPool[0]: \"::/0\" is every address; give the pool's prefix length,"
                  + " such as ::/64"),
          at(
              "m.yaml:25:25",
              "spec.network.v4.static.containerPool[0]: \"10.1.0.2/0\" has prefix length 0"),
          at(
              "m.yaml:26:25",
              "spec.network.v4.static.hostAddresses[0]: \"0.0.0.0/0\" has prefix length 0, a"
                  + " route to every address through this link"));
    }

    @Test
    void zoneAddressesAreCheckedToo() {
      LoadResult result =
          load(
              """
              apiVersion: berth.dev/v1alpha1
              kind: Zone
              metadata:
                name: lan
              spec:
                v4:
                  hostAddresses: [10.0.0.1]
                  addrPool: [0.0.0.0/24, "::/64"]
                v6:
                  hostAddresses: ["fd00::1/64"]
                  addrPool: ["::/64"]
              """);

      assertFindings(
          result,
          at(
              "m.yaml:7:21",
              "spec.v4.hostAddresses[0]: \"10.0.0.1\" is not an IPv4 address with a prefix length"),
          at("m.yaml:8:28", "spec.v4.addrPool[1]: \"::/64\" is not an IPv4 address"));
    }
  }

  @Nested
  class Network {
    @Test
    void zoneAndBridgeExcludeEachOtherAndNeedValidNames() {
      LoadResult result = load(web().spec("network:", "  zone: Lan", "  bridge: \"br 0\""));

      assertFindings(
          result,
          at("m.yaml:12:11", "spec.network.zone: \"Lan\" is not a zone name"),
          at("m.yaml:12:11", "spec.network.zone: no Zone \"Lan\" is placed on host host-a"),
          at("m.yaml:13:13", "spec.network.bridge: \"br 0\" is not an interface name"),
          at("m.yaml:13:13", "spec.network: set zone or bridge, not both"));
    }

    @Test
    void macvlanAndIpvlanNeedInterfaceNames() {
      LoadResult result =
          load(
              web().spec("network:", "  macvlan: [eth0, this-is-too-long0]", "  ipvlan: [\"..\"]"));

      assertFindings(
          result,
          at(
              "m.yaml:12:21",
              "spec.network.macvlan[1]: \"this-is-too-long0\" is not an interface name"),
          at("m.yaml:13:14", "spec.network.ipvlan[0]: \"..\" is not an interface name"));
    }

    @Test
    void portsOutsideOneTo65535AreReported() {
      LoadResult result =
          load(
              web()
                  .spec(
                      "network:",
                      "  forwardPorts:",
                      "    - hostPort: 0",
                      "    - hostPort: 65536",
                      "      containerPort: -1",
                      "    - hostPort: 65535",
                      "      containerPort: 1"));

      assertFindings(
          result,
          at(
              "m.yaml:13:19",
              "spec.network.forwardPorts[0].hostPort: must be a port from 1 to 65535"),
          at(
              "m.yaml:14:19",
              "spec.network.forwardPorts[1].hostPort: must be a port from 1 to 65535"),
          at(
              "m.yaml:15:24",
              "spec.network.forwardPorts[1].containerPort: must be a port from 1 to 65535"));
    }

    @Test
    void aContainerPortDefaultsToTheHostPort() {
      LoadResult result = load(web().spec("network:", "  forwardPorts:", "    - hostPort: 8080"));

      assertThat(result.diagnostics()).isEmpty();
      assertThat(spec(result).network().forwardPorts().get(0).containerPort()).isEqualTo(8080);
      assertThat(spec(result).network().forwardPorts().get(0).protocol()).isEqualTo("tcp");
    }

    @Test
    void aPortBeyondTheRangeOfAnIntIsReportedAndNotThrown() {
      LoadResult result =
          load(web().spec("network:", "  forwardPorts:", "    - hostPort: 99999999999"));

      assertFindings(
          result,
          at(
              "m.yaml:13:19",
              "spec.network.forwardPorts[0].hostPort: cannot read Container: Numeric value"
                  + " (99999999999) out of range of int"));
    }

    @Test
    void staticHostAddressesAreNotForZonesOrBridges() {
      LoadResult result =
          load(
              web()
                  .spec(
                      "network:",
                      "  bridge: br0",
                      "  v6:",
                      "    static:",
                      "      hostAddresses: [\"fd00::1/64\"]"));

      assertFindings(
          result,
          at(
              "m.yaml:15:24",
              "spec.network.v6.static.hostAddresses: the addresses of bridge br0 are not berth's"));
    }
  }

  @Nested
  class NixosFiles {
    private LoadResult nixos(String file) {
      return load(ContainerYaml.container("web").unplaced().nixos(file));
    }

    @Test
    void anExistingFileIsFine() {
      LoadResult result = nixos("nix/web.nix");

      assertThat(result.diagnostics()).isEmpty();
      assertThat(spec(result).image().nixos().file()).isEqualTo("nix/web.nix");
    }

    /** What is wrong with a file, the file, and the finding at its line (8:13). */
    static Stream<Arguments> rejectedFiles() {
      return Stream.of(
          arguments(
              "a missing file",
              "nix/db.nix",
              "spec.image.nixos.file: \"nix/db.nix\" does not exist in the repository"),
          arguments(
              "a file behind a symlink out of the repository",
              "nix/escape/passwd",
              "spec.image.nixos.file: \"nix/escape/passwd\" leads outside the repository"),
          arguments(
              "a directory",
              "nix/modules",
              "spec.image.nixos.file: \"nix/modules\" is a directory; name the Nix file"),
          arguments(
              "an absolute path, without looking it up",
              "/etc/nixos/configuration.nix",
              "spec.image.nixos.file: must be relative to the repository root, not absolute"),
          arguments(
              "'..' inside, without looking it up",
              "nix/../../etc/passwd",
              "spec.image.nixos.file: must not contain '..'"),
          arguments("'..' alone", "..", "must not contain '..'"),
          arguments(
              "white space",
              "\"nix/my web.nix\"",
              "spec.image.nixos.file: must not contain white space or control characters"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rejectedFiles")
    void aFileThatCannotBeBuiltIsReported(String what, String file, String finding) {
      assertFindings(nixos(file), at("m.yaml:8:13", finding));
    }
  }

  @Nested
  class HostPaths {
    @Test
    void bindMountPathsMustBeAbsolutePlainAndFreeOfColons() {
      LoadResult result =
          load(
              web()
                  .spec(
                      "bindMounts:",
                      "  - hostPath: srv/data",
                      "  - hostPath: /srv/../etc",
                      "  - hostPath: /srv/a:b",
                      "  - hostPath: /srv/ok",
                      "    containerPath: data",
                      "  - hostPath: /srv/ok",
                      "    containerPath: \"/a b\"",
                      "  - hostPath: /srv/ok",
                      "    containerPath: /mnt/..",
                      "  - hostPath: /srv/fine",
                      "    containerPath: /mnt/fine",
                      "    readOnly: true"));

      assertFindings(
          result,
          at("m.yaml:12:17", "spec.bindMounts[0].hostPath: must be an absolute path"),
          at("m.yaml:13:17", "spec.bindMounts[1].hostPath: must not contain '..'"),
          at(
              "m.yaml:14:17",
              "spec.bindMounts[2].hostPath: must not contain ':' (nspawn separates bind paths with it)"),
          at("m.yaml:16:22", "spec.bindMounts[3].containerPath: must be an absolute path"),
          at(
              "m.yaml:18:22",
              "spec.bindMounts[4].containerPath: must not contain white space or control characters"),
          at("m.yaml:20:22", "spec.bindMounts[5].containerPath: must not contain '..'"));
    }

    @Test
    void anEmptyHostPathIsReported() {
      assertFindings(
          load(web().spec("bindMounts:", "  - hostPath: \"\"")),
          at("m.yaml:12:17", "spec.bindMounts[0].hostPath: must not be empty"));
    }

    @Test
    void aDirectoryImageMustBeAPlainAbsolutePath() {
      LoadResult result = load(ContainerYaml.container("web").unplaced().directory("/srv/../root"));

      assertFindings(result, at("m.yaml:8:13", "spec.image.directory.path: must not contain '..'"));
    }

    @Test
    void credentialsNeedAnIdAndAnAbsolutePath() {
      LoadResult result =
          load(web().spec("credentials:", "  - id: \"db password\"", "    path: etc/secret"));

      assertFindings(
          result,
          at("m.yaml:12:11", "spec.credentials[0].id: use letters, digits, '_', '.' and '-'"),
          at("m.yaml:13:13", "spec.credentials[0].path: must be an absolute path"));
    }
  }

  @Nested
  class SingleLines {
    @Test
    void aNewlineInAnySpecStringIsReported() {
      LoadResult result = load(web().spec("timeoutStartSec: \"90s\\nExecStart=/bin/sh\""));

      assertFindings(
          result,
          at("m.yaml:11:20", "spec.timeoutStartSec: must be a single line"),
          at("m.yaml:11:20", "spec.timeoutStartSec: must be seconds or a systemd time span"));
    }

    @Test
    void aNewlineInLabelsAnnotationsAndListsIsReported() {
      LoadResult result =
          load(
              """
              apiVersion: berth.dev/v1alpha1
              kind: Container
              metadata:
                name: web
                labels:
                  team: "a\\nb"
                annotations:
                  note: "carriage\\rreturn"
              spec:
                placement:
                  hosts: [host-a]
                image:
                  directory:
                    path: /srv/web
                capabilities: []
                dependsOn: ["db\\u0000"]
              """);

      assertFindings(
          result,
          at("m.yaml:6:11", "metadata.labels.team: must be a single line"),
          at("m.yaml:8:11", "metadata.annotations.note: must be a single line"),
          at("m.yaml:16:15", "spec.dependsOn[0]: \"db\\u0000\" is not a container name"),
          at("m.yaml:16:15", "spec.dependsOn[0]: must be a single line"),
          at("m.yaml:16:15", "spec.dependsOn[0]: no container"));
    }

    @Test
    void aLiteralBlockInARawSettingIsReported() {
      LoadResult result =
          load(web().spec("nspawn:", "  Exec:", "    Environment: |", "      A=1", "      B=2"));

      assertFindings(
          result, at("m.yaml:13:20", "spec.nspawn.Exec.Environment[0]: must be a single line"));
    }

    @Test
    void aNewlineInAZoneIsReported() {
      LoadResult result =
          load(
              """
              apiVersion: berth.dev/v1alpha1
              kind: Zone
              metadata:
                name: lan
              spec:
                placement:
                  hosts: ["host-a\\n"]
              """);

      assertFindings(
          result,
          at("m.yaml:7:13", "spec.placement.hosts[0]: \"host-a\\n\" is not a host name"),
          at("m.yaml:7:13", "spec.placement.hosts[0]: must be a single line"));
    }

    @Test
    void foldedMultiLineYamlThatYieldsOneLineIsFine() {
      LoadResult result = load(web().spec("timeoutStartSec: >-", "  5min", "  30s"));

      assertThat(result.diagnostics()).isEmpty();
      assertThat(spec(result).timeoutStartSec()).isEqualTo("5min 30s");
    }
  }

  @Nested
  class RawSettings {
    @Test
    void stringsListsNumbersAndBooleansBecomeListsOfStrings() {
      LoadResult result =
          load(
              web()
                  .spec(
                      "nspawn:",
                      "  Exec:",
                      "    Boot: true",
                      "    NoNewPrivileges: no",
                      "    Environment: [A=1, B=2]",
                      "    KillSignal: SIGTERM",
                      "    LimitNOFILE: 1024",
                      "  Files:",
                      "    Volatile: false",
                      "  Network:",
                      "    Port: [tcp:80:8080, 443]"));

      assertThat(result.diagnostics()).isEmpty();
      Map<String, Map<String, List<String>>> nspawn = spec(result).nspawn();
      assertThat(nspawn.get("Exec"))
          .containsEntry("Boot", List.of("yes"))
          .containsEntry("NoNewPrivileges", List.of("no"))
          .containsEntry("Environment", List.of("A=1", "B=2"))
          .containsEntry("KillSignal", List.of("SIGTERM"))
          .containsEntry("LimitNOFILE", List.of("1024"));
      assertThat(nspawn.get("Files")).containsEntry("Volatile", List.of("no"));
      assertThat(nspawn.get("Network")).containsEntry("Port", List.of("tcp:80:8080", "443"));
    }

    @Test
    void mappingsNestedListsAndNullsAreReported() {
      LoadResult result =
          load(
              web()
                  .spec(
                      "nspawn:",
                      "  Files:",
                      "    Bind: {a: b}",
                      "  Network:",
                      "    Private: [yes, [x]]",
                      "    Zone: ~"));

      assertFindings(
          result,
          at("m.yaml:13:13", "spec.nspawn.Files.Bind: must be a string or a list of strings"),
          at("m.yaml:15:16", "spec.nspawn.Network.Private: must be a string or a list of strings"),
          at("m.yaml:16:13", "spec.nspawn.Network.Zone: must be a string or a list of strings"));
      assertThat(result.manifests().containers()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bind", "Bad-Name", "\"X Y\"", "\"Boot=yes\\nUser\""})
    void aBadSettingNameIsReportedAtItsKey(String name) {
      LoadResult result = load(web().spec("nspawn:", "  Exec:", "    " + name + ": x"));

      assertFindings(result, at("m.yaml:13:7", "spec.nspawn.Exec: \""));
      assertThat(result.diagnostics().get(0).message())
          .endsWith("is not a setting name (such as PrivateUsers)");
    }

    @Test
    void aValueEndingInABackslashWouldContinueTheLineAndIsRefused() {
      LoadResult result =
          load(
              web()
                  .spec(
                      "nspawn:",
                      "  Exec:",
                      "    Environment: [\"A=1\\\\\", \"B=2\\\\\\\\\", \"C=3\\\\ \"]"));

      assertFindings(
          result,
          at(
              "m.yaml:13:20",
              "spec.nspawn.Exec.Environment[0]: ends with a backslash, which would join the next"
                  + " line to this setting; write \\\\ for a backslash at the end"),
          at("m.yaml:13:20", "spec.nspawn.Exec.Environment[2]: ends with a backslash"));
    }

    @Test
    void aControlCharacterInARawSettingIsRefused() {
      LoadResult result =
          load(web().spec("nspawn:", "  Exec:", "    Hostname: \"web\\e[2J\\u0085\""));

      assertFindings(
          result,
          at(
              "m.yaml:13:17",
              "spec.nspawn.Exec.Hostname[0]: must not contain control characters (it holds"
                  + " U+001B)"));
    }

    @Test
    void anUnknownSectionIsASchemaError() {
      LoadResult result = load(web().spec("nspawn:", "  Service:", "    User: root"));

      assertFindings(result, at("m.yaml:12:5", "unknown field \"Service\" in spec.nspawn"));
    }

    @Test
    void aSectionThatIsNotAMappingIsASchemaError() {
      LoadResult result = load(web().spec("nspawn:", "  Exec: [Boot]"));

      assertFindings(
          result, at("m.yaml:12:11", "spec.nspawn.Exec: expected a mapping, found a list"));
    }
  }

  @Nested
  class Formats {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "90",
          "90s",
          "5min",
          "\"5min 30s\"",
          "1h",
          "infinity",
          "1.5s",
          "2 weeks",
          "500ms"
        })
    void goodTimeoutsAreAccepted(String value) {
      assertThat(load(web().spec("timeoutStartSec: " + value)).diagnostics()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5", "5 parsecs", "\"\"", "s", "1.5"})
    void badTimeoutsAreReported(String value) {
      LoadResult result = load(web().spec("timeoutStartSec: " + value));

      assertThat(result.valid()).isFalse();
      assertThat(result.diagnostics())
          .singleElement()
          .satisfies(
              d -> assertThat(d.format()).startsWith("m.yaml:11:20: spec.timeoutStartSec: "));
    }

    @Test
    void goodResourcesAreAccepted() {
      LoadResult result =
          load(
              web().spec("resources:", "  memoryMax: 512M", "  cpuQuota: 150%", "  tasksMax: 100"));

      assertThat(result.diagnostics()).isEmpty();
      assertThat(spec(result).resources().memoryMax()).isEqualTo("512M");
      assertThat(spec(result).resources().tasksMax()).isEqualTo("100");
    }

    @Test
    void badResourcesAreReported() {
      LoadResult result =
          load(
              web()
                  .spec(
                      "resources:",
                      "  memoryMax: 512MB",
                      "  cpuQuota: \"1.5\"",
                      "  tasksMax: lots"));

      assertFindings(
          result,
          at(
              "m.yaml:12:16",
              "spec.resources.memoryMax: must be bytes with an optional K, M, G or T suffix"),
          at("m.yaml:13:15", "spec.resources.cpuQuota: must be a percentage such as 150%"),
          at(
              "m.yaml:14:15",
              "spec.resources.tasksMax: must be a number, a percentage or infinity"));
    }

    @Test
    void tasksMaxIsAnIntegerOrAStringNotAFraction() {
      assertFindings(
          load(web().spec("resources:", "  tasksMax: 1.5")),
          at(
              "m.yaml:12:15",
              "spec.resources.tasksMax: expected an integer or a string, found a number"));
    }

    /** A value systemd would ignore, so that the container ran without the limit. */
    static Stream<Arguments> outOfRange() {
      String largest = "18446744073709551614";
      return Stream.of(
          arguments(
              "resources:\n  memoryMax: 99999999999999999999999G",
              "m.yaml:12:16: spec.resources.memoryMax: 99999999999999999999999G is more than the"
                  + " largest size systemd takes, "
                  + largest
                  + " bytes (16E less 2 bytes); say infinity for no limit"),
          arguments(
              "resources:\n  memoryMax: 16E",
              "m.yaml:12:16: spec.resources.memoryMax: 16E is more than the largest size systemd"
                  + " takes, "
                  + largest
                  + " bytes (16E less 2 bytes); say infinity for no limit"),
          arguments(
              "resources:\n  memoryMax: \"0\"",
              "m.yaml:12:16: spec.resources.memoryMax: 0 is no memory at all, which systemd"
                  + " ignores; the least is 1"),
          arguments(
              "resources:\n  memoryMax: 150%",
              "m.yaml:12:16: spec.resources.memoryMax: 150% is more than 100% of the host's"
                  + " memory, which systemd ignores"),
          arguments(
              "resources:\n  memoryMax: 12.345%",
              "m.yaml:12:16: spec.resources.memoryMax: 12.345% has more than two decimals, which"
                  + " systemd ignores"),
          arguments(
              "resources:\n  tasksMax: 18446744073709551616",
              "m.yaml:12:15: spec.resources.tasksMax: 18446744073709551616 is more than the largest"
                  + " number systemd takes, "
                  + largest
                  + "; say infinity for no limit"),
          arguments(
              "resources:\n  tasksMax: 18446744073709551615",
              "m.yaml:12:15: spec.resources.tasksMax: 18446744073709551615 is more than the largest"
                  + " number systemd takes, "
                  + largest
                  + "; say infinity for no limit"),
          arguments(
              "resources:\n  tasksMax: 0",
              "m.yaml:12:15: spec.resources.tasksMax: 0 tasks is no process at all, which systemd"
                  + " ignores; the least is 1"),
          arguments(
              "resources:\n  tasksMax: 101%",
              "m.yaml:12:15: spec.resources.tasksMax: 101% is more than 100% of the host's limit,"
                  + " which systemd ignores"),
          arguments(
              "resources:\n  cpuQuota: 0%",
              "m.yaml:12:15: spec.resources.cpuQuota: 0% is nothing at all, which systemd"
                  + " ignores"),
          arguments(
              "resources:\n  cpuQuota: 21474836.48%",
              "m.yaml:12:15: spec.resources.cpuQuota: 21474836.48% is more than 21474836.47% of"
                  + " one CPU, which systemd ignores"),
          arguments(
              "resources:\n  cpuQuota: 1.005%",
              "m.yaml:12:15: spec.resources.cpuQuota: 1.005% has more than two decimals, which"
                  + " systemd ignores"),
          arguments(
              "timeoutStartSec: 99999999999999999999",
              "m.yaml:11:20: spec.timeoutStartSec: 99999999999999999999 is longer than the"
                  + " longest span systemd takes (2^64-2 microseconds, about 584542 years); say"
                  + " infinity for no timeout"),
          arguments(
              "timeoutStartSec: 213503983d",
              "m.yaml:11:20: spec.timeoutStartSec: 213503983d is longer than the longest span"
                  + " systemd takes (2^64-2 microseconds, about 584542 years); say infinity for no"
                  + " timeout"),
          arguments(
              "privateUsers: 4294967295",
              "m.yaml:11:17: spec.privateUsers: 4294967295 is not a UID systemd takes (0 to"
                  + " 4294967294, and not 65535)"),
          arguments(
              "privateUsers: 65535",
              "m.yaml:11:17: spec.privateUsers: 65535 is not a UID systemd takes (0 to"
                  + " 4294967294, and not 65535)"),
          arguments(
              "privateUsers: \"100000:0\"",
              "m.yaml:11:17: spec.privateUsers: a range of 0 UIDs is empty, which systemd"
                  + " ignores"),
          arguments(
              "privateUsers: \"4294901760:65536\"",
              "m.yaml:11:17: spec.privateUsers: the range 4294901760:65536 ends beyond the last"
                  + " UID, 4294967294, which systemd ignores"));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void aValueSystemdWouldIgnoreIsOutOfRange(String lines, String finding) {
      LoadResult result = load(web().spec(lines.split("\n")));

      assertThat(result.valid()).isFalse();
      assertThat(result.diagnostics()).extracting(Diagnostic::format).containsExactly(finding);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "resources: {memoryMax: \"18446744073709551614\", cpuQuota: 21474836.47%,"
              + " tasksMax: \"18446744073709551614\"}",
          "resources: {memoryMax: 100%, cpuQuota: 0.01%, tasksMax: 100%}",
          "resources: {memoryMax: 15E, tasksMax: 0%}",
          "resources: {memoryMax: infinity, tasksMax: infinity}",
          "timeoutStartSec: 213503982d",
          "privateUsers: \"4294901759:65536\"",
          "privateUsers: 4294836224"
        })
    void theLargestValuesSystemdTakesAreFine(String line) {
      assertThat(load(web().spec(line)).diagnostics()).isEmpty();
    }

    @Test
    void privateUsersMustBeAKnownModeOrAUid() {
      assertFindings(
          load(web().spec("privateUsers: maybe")),
          at("m.yaml:11:17", "spec.privateUsers: must be pick, no, identity or a base UID"));
    }
  }

  @Nested
  class Selectors {
    /**
     * A container with a directory image and then a placement by {@code selector}, whose lines
     * start at line 11.
     */
    private ContainerYaml selector(String... lines) {
      return ContainerYaml.container("web")
          .unplaced()
          .directory("/srv/web")
          .spec("placement:", "  selector:")
          .spec(Stream.of(lines).map(line -> "    " + line).toArray(String[]::new));
    }

    @Test
    void inAndNotInNeedValuesExistsAndDoesNotExistTakeNone() {
      LoadResult result =
          load(
              selector(
                  "matchExpressions:",
                  "  - key: role",
                  "    operator: In",
                  "  - key: zone",
                  "    operator: Exists",
                  "    values: [eu]",
                  "  - key: tier",
                  "    operator: NotIn",
                  "    values: []",
                  "  - key: gpu",
                  "    operator: DoesNotExist",
                  "  - key: disk",
                  "    operator: In",
                  "    values: [ssd]"));

      assertFindings(
          result,
          at("m.yaml:12:11", "spec.placement.selector.matchExpressions[0]: In needs values"),
          at("m.yaml:16:19", "spec.placement.selector.matchExpressions[1]: Exists takes no values"),
          at("m.yaml:17:11", "spec.placement.selector.matchExpressions[2]: NotIn needs values"));
    }

    @Test
    void anUnknownOperatorIsASchemaError() {
      LoadResult result =
          load(selector("matchExpressions:", "  - key: role", "    operator: Equals"));

      assertFindings(
          result,
          at(
              "m.yaml:13:21",
              "spec.placement.selector.matchExpressions[0].operator: must be one of"));
    }

    @Test
    void aMatchLabelsKeyMustBeALabelKey() {
      LoadResult result =
          load(selector("matchLabels:", "  \"bad key\": x", "  example.org/role: web"));

      assertFindings(
          result,
          at("m.yaml:12:9", "spec.placement.selector.matchLabels: \"bad key\" is not a label key"));
    }
  }
}
