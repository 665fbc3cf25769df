package dev.berth.reconciler.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerMigratorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final ContainerMigrator migrator = new ContainerMigrator("host-a");

  @Test
  void aVethContainerKeepsItsAddressesPortsAndBinds() throws Exception {
    MigratedContainer web = migrate("web");
    JsonNode spec = manifest(web).path("spec");

    assertThat(manifest(web).path("apiVersion").asText()).isEqualTo("berth.dev/v1alpha1");
    assertThat(manifest(web).path("kind").asText()).isEqualTo("Container");
    assertThat(manifest(web).path("metadata").path("name").asText()).isEqualTo("web");
    assertThat(spec.path("placement").path("hosts").toString()).isEqualTo("[\"host-a\"]");
    assertThat(spec.path("autoStart").asBoolean()).isTrue();
    assertThat(spec.path("image").path("nixos").path("file").asText()).isEqualTo("nix/web.nix");
    JsonNode network = spec.path("network");
    assertThat(network.path("v4").toString())
        .isEqualTo(
            "{\"static\":{\"containerPool\":[\"10.231.136.2/30\"],"
                + "\"hostAddresses\":[\"10.231.136.1/30\"]},\"nat\":false}");
    assertThat(network.path("v6").path("static").path("containerPool").toString())
        .isEqualTo("[\"fc00::2/126\"]");
    assertThat(network.path("forwardPorts").toString())
        .isEqualTo("[{\"protocol\":\"tcp\",\"hostPort\":8080,\"containerPort\":80}]");
    assertThat(network.path("resolvConf").asText()).isEqualTo("copy-host");
    assertThat(spec.path("bindMounts").toString())
        .isEqualTo(
            "[{\"hostPath\":\"/etc/ssl/certs\",\"readOnly\":true},"
                + "{\"hostPath\":\"/srv/web\",\"containerPath\":\"/srv/data\"}]");
    assertThat(spec.path("privateUsers").asText()).isEqualTo("no");
    assertThat(web.warnings()).isEmpty();
  }

  @Test
  void theNixFileCarriesWhatContainerInitDidAndNamesTheModuleToSupply() {
    MigratedContainer web = migrate("web");
    String nix = web.files().get("nix/web.nix");

    assertThat(web.files()).containsOnlyKeys("web.yaml", "nix/web.nix");
    assertThat(nix)
        .contains("import <nixpkgs/nixos/lib/eval-config.nix>")
        .contains("./web-configuration.nix")
        .contains("boot.isContainer = true;")
        .contains("matchConfig.Name = \"host0\";")
        .contains("address = [ \"10.231.136.2/30\" \"fc00::2/126\" ];")
        .contains("gateway = [ \"10.231.136.1\" \"fc00::1\" ];")
        .contains("-nixos-system-web-24.05")
        .endsWith("}).config.system.build.toplevel\n");
    assertThat(web.todo()).singleElement().asString().startsWith("write nix/web-configuration.nix");
    assertThat(web.files().get("web.yaml")).contains("# To do: write nix/web-configuration.nix");
  }

  @Test
  void aBridgedContainerUsesTheHostAddressAsGatewayAndRawSettingsWhereNoFieldFits()
      throws Exception {
    MigratedContainer bridged = migrate("bridged");
    JsonNode spec = manifest(bridged).path("spec");

    assertThat(spec.path("autoStart").asBoolean(true)).isFalse();
    assertThat(spec.path("network").path("bridge").asText()).isEqualTo("br0");
    assertThat(spec.path("network").path("v4").toString())
        .isEqualTo(
            "{\"static\":{\"containerPool\":[\"192.168.1.20/24\"]},\"gateway\":\"192.168.1.1\"}");
    assertThat(spec.path("network").path("macvlan").toString()).isEqualTo("[\"eth1\"]");
    assertThat(spec.path("network").path("resolvConf").asText()).isEqualTo("off");
    assertThat(spec.path("privateUsers").asText()).isEqualTo("pick");
    assertThat(spec.path("capabilities").toString())
        .isEqualTo("[\"CAP_NET_ADMIN\",\"CAP_SYS_TIME\"]");
    assertThat(spec.path("nspawn").toString())
        .isEqualTo(
            "{\"Files\":{\"BindReadOnly\":[\"/nix/store\",\"/var/lib/acme:/var/lib/acme:idmap\"],"
                + "\"TemporaryFileSystem\":[\"/var/cache\"]}}");
    assertThat(bridged.files().get("nix/bridged.nix"))
        .contains("linkConfig.MACAddress = \"de:b7:73:01:10:90\";");
    assertThat(bridged.warnings())
        .extracting(Finding::toString)
        .containsExactly(
            "/etc/nixos-containers/bridged.conf:23: EXTRA_NSPAWN_FLAGS: --property=MemoryMax=1G"
                + " has no .nspawn setting berth could write; not migrated (see systemd.nspawn(5)"
                + " for an equal, and add it under spec.nspawn)");
  }

  @Test
  void aHostNetworkFlakeContainerWarnsAboutWhatItDoesNotKnow() throws Exception {
    MigratedContainer hostnet = migrate("hostnet");
    JsonNode spec = manifest(hostnet).path("spec");

    assertThat(spec.has("network")).isFalse();
    assertThat(spec.path("nspawn").toString())
        .isEqualTo("{\"Exec\":{\"ResolvConf\":[\"copy-host\"]}}");
    assertThat(hostnet.files().get("nix/hostnet.nix"))
        .contains("builtins.getFlake \"git+https://git.example.org/infra\"")
        .contains(".nixosConfigurations.\"hostnet\".extendModules");
    assertThat(hostnet.warnings())
        .extracting(Finding::toString)
        .containsExactly(
            "/etc/nixos-containers/hostnet.conf:13: SOMETHING_NEW is not a setting of"
                + " nixos-container that berth knows; not migrated");
    assertThat(hostnet.files().get("hostnet.yaml"))
        .contains("# Warning: /etc/nixos-containers/hostnet.conf:13: SOMETHING_NEW");
  }

  @Test
  void anImperativeContainerBringsItsOwnConfiguration() throws Exception {
    MigratedContainer demo = migrate("demo");
    JsonNode network = manifest(demo).path("spec").path("network");

    assertThat(network.has("bridge")).isFalse();
    assertThat(network.has("forwardPorts")).isFalse();
    assertThat(network.path("v4").path("static").path("containerPool").toString())
        .isEqualTo("[\"10.233.1.2/30\"]");
    assertThat(demo.files().get("nix/demo-configuration.nix"))
        .startsWith(
            "# Copied by `berth migrate` from"
                + " /var/lib/nixos-containers/demo/etc/nixos/configuration.nix.\n")
        .contains("services.openssh.enable = true;");
    assertThat(demo.todo()).isEmpty();
    assertThat(demo.warnings()).isEmpty();
  }

  @Test
  void aPrivateNetworkWithoutAddressesGetsNoVethAsBefore() throws Exception {
    MigratedContainer lonely =
        migrateText("lonely", "PRIVATE_NETWORK=1\nINTERFACES=\"eth2 eth3\"\nMACVLANS=\"\"\n");
    JsonNode spec = manifest(lonely).path("spec");

    assertThat(spec.path("network").toString()).isEqualTo("{}");
    assertThat(spec.path("nspawn").toString())
        .isEqualTo(
            "{\"Network\":{\"Interface\":[\"eth2\",\"eth3\"],\"VirtualEthernet\":[\"no\"]}}");
  }

  @Test
  void aRawBindKeepsTheStoreAndTheBindMountsThatItsKeyWouldReplace() throws Exception {
    MigratedContainer binds =
        migrateText(
            "binds",
            "EXTRA_NSPAWN_FLAGS=\"--bind-ro=/etc/ssl/certs --bind-ro=/a:/a:idmap --bind=/srv/w"
                + " --bind=/b:/b:idmap --bind-ro=/srv/r:/data\"\n");
    JsonNode spec = manifest(binds).path("spec");

    assertThat(spec.has("bindMounts")).as("every bind is in the raw settings").isFalse();
    assertThat(spec.path("nspawn").toString())
        .isEqualTo(
            "{\"Files\":{\"BindReadOnly\":[\"/nix/store\",\"/a:/a:idmap\",\"/etc/ssl/certs\","
                + "\"/srv/r:/data\"],\"Bind\":[\"/b:/b:idmap\",\"/srv/w\"]}}");
  }

  @Test
  void extraFlagsMapToFieldsOrRawSettingsAndUnknownOnesAreNamed() throws Exception {
    MigratedContainer flags =
        migrateText(
            "flags",
            "PRIVATE_NETWORK=1\nHOST_ADDRESS=10.1.0.1\nLOCAL_ADDRESS=10.1.0.2\n"
                + "EXTRA_NSPAWN_FLAGS=\"--private-users=65536 -x --setenv=A=1 --port udp:53"
                + " --network-ipvlan=eth4 --drop-capability=CAP_SYS_CHROOT --network-macvlan=bad/if"
                + " --frobnicate\"\n");
    JsonNode spec = manifest(flags).path("spec");

    assertThat(spec.path("privateUsers").asLong()).isEqualTo(65536);
    assertThat(spec.path("ephemeral").asBoolean()).isTrue();
    assertThat(spec.path("network").path("forwardPorts").toString())
        .isEqualTo("[{\"protocol\":\"udp\",\"hostPort\":53,\"containerPort\":53}]");
    assertThat(spec.path("network").path("ipvlan").toString()).isEqualTo("[\"eth4\"]");
    assertThat(spec.path("nspawn").toString())
        .isEqualTo(
            "{\"Exec\":{\"Environment\":[\"A=1\"],\"DropCapability\":[\"CAP_SYS_CHROOT\"]}}");
    assertThat(flags.warnings())
        .extracting(Finding::toString)
        .containsExactly(
            "/etc/nixos-containers/flags.conf:4: EXTRA_NSPAWN_FLAGS: --network-macvlan=bad/if"
                + " does not name an interface; not migrated",
            "/etc/nixos-containers/flags.conf:4: EXTRA_NSPAWN_FLAGS: --frobnicate has no .nspawn"
                + " setting berth could write; not migrated (see systemd.nspawn(5) for an equal,"
                + " and add it under spec.nspawn)");
  }

  @Test
  void badValuesAreWarnedAboutAtTheirLineAndLeftOut() throws Exception {
    MigratedContainer bad =
        migrateText(
            "bad",
            "PRIVATE_NETWORK=1\nHOST_ADDRESS=10.0.0.300\nLOCAL_ADDRESS=fd00::2\n"
                + "HOST_PORT=tcp:80:99999,https\nPRIVATE_USERS=maybe\nMACVLANS=\"eth1 not/an/if\"\n");
    JsonNode spec = manifest(bad).path("spec");

    assertThat(bad.warnings())
        .extracting(Finding::toString)
        .containsExactly(
            "/etc/nixos-containers/bad.conf:2: HOST_ADDRESS=10.0.0.300 is not an IPv4 address;"
                + " not migrated",
            "/etc/nixos-containers/bad.conf:3: LOCAL_ADDRESS=fd00::2 is not an IPv4 address;"
                + " not migrated",
            "/etc/nixos-containers/bad.conf:4: port forward \"tcp:80:99999\" is not"
                + " [tcp|udp:]HOSTPORT[:CONTAINERPORT] with ports 1-65535; not migrated",
            "/etc/nixos-containers/bad.conf:4: port forward \"https\" is not"
                + " [tcp|udp:]HOSTPORT[:CONTAINERPORT] with ports 1-65535; not migrated",
            "/etc/nixos-containers/bad.conf:5: PRIVATE_USERS=maybe is not no, identity, pick or a"
                + " UID; \"no\" is used",
            "/etc/nixos-containers/bad.conf:6: MACVLANS: \"not/an/if\" is not an interface name;"
                + " not migrated");
    assertThat(spec.path("network").path("macvlan").toString()).isEqualTo("[\"eth1\"]");
    assertThat(spec.path("privateUsers").asText()).isEqualTo("no");
  }

  @Test
  void aNameThatIsNoDnsLabelIsSkippedWithTheReason() {
    List<Finding> skipped = new ArrayList<>();

    assertThat(
            migrator.migrate(
                new LegacyConf("My_Box", "/etc/containers/My_Box.conf", "", "/a", "/b", null, null),
                skipped))
        .isEmpty();
    assertThat(skipped)
        .extracting(Finding::toString)
        .containsExactly(
            "/etc/containers/My_Box.conf: container name \"My_Box\" is not a DNS label (lowercase"
                + " letters, digits, '-'), which berth's machine names must be; not migrated"
                + " (rename the container first)");
  }

  @Test
  void podmansFilesInEtcContainersAreNotContainerConfigurations() {
    assertThat(ContainerMigrator.looksLikeContainerConf("[engine]\ncgroup_manager = \"systemd\"\n"))
        .isFalse();
    assertThat(
            ContainerMigrator.looksLikeContainerConf(
                Fixtures.read("etc/nixos-containers/demo.conf")))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r", "\u0000", "\u001b", "\u007f", "\u0085", "\u009b", "\u2028"})
  void aControlCharacterInAnyValueRefusesTheWholeContainer(String control) {
    List<Finding> skipped = new ArrayList<>();
    // A newline cannot reach a value (it ends the line, and "\\n" in quotes is the letter n).
    String conf = "PRIVATE_NETWORK=1\nPRIVATE_USERS=x" + control + "y\n";

    Optional<MigratedContainer> migrated =
        migrator.migrate(
            new LegacyConf("evil", "/etc/nixos-containers/evil.conf", conf, "/a", "/b", null, null),
            skipped);

    assertThat(migrated).isEmpty();
    assertThat(skipped)
        .singleElement()
        .asString()
        .isEqualTo(
            "/etc/nixos-containers/evil.conf:2: PRIVATE_USERS holds the control character "
                + OneLine.escape(control.charAt(0))
                + ", which no nixos-container setting has; not migrated (remove it from the file"
                + " first)");
  }

  @Test
  void aControlCharacterInAnExtraNspawnFlagIsNotWrittenIntoTheNspawnFile() {
    List<Finding> skipped = new ArrayList<>();
    String conf = "EXTRA_NSPAWN_FLAGS=\"--setenv=A=1\u001b[2J --bind=/srv/a\u0000\"\n";

    Optional<MigratedContainer> migrated =
        migrator.migrate(
            new LegacyConf("evil", "/etc/nixos-containers/evil.conf", conf, "/a", "/b", null, null),
            skipped);

    assertThat(migrated).isEmpty();
    assertThat(skipped)
        .singleElement()
        .asString()
        .startsWith(
            "/etc/nixos-containers/evil.conf:1: EXTRA_NSPAWN_FLAGS holds the control character"
                + " \\u001B");
  }

  @Test
  void yamlCommentsAndValuesKeepEveryControlCharacterInsideOneDocument() throws Exception {
    String injection =
        "x\r---\rapiVersion: berth.dev/v1alpha1\rkind: Container\u0085metadata: {name: hidden}"
            + "\u2028\u2029\u0000\u001b\u009b";
    String text =
        ManifestYaml.write(
            List.of("Note: " + injection, ""),
            Map.of("kind", "Container", "metadata", Map.of("name", injection)));

    assertThat(text.lines().filter(line -> line.startsWith("#")))
        .containsExactly(
            "# Note: x\\r---\\rapiVersion: berth.dev/v1alpha1\\rkind: Container\\u0085metadata:"
                + " {name: hidden}\\u2028\\u2029\\0\\u001B\\u009B",
            "#");
    assertThat(text).doesNotContain("\r", "\u0085", "\u2028", "\u2029", "\u0000", "\u001b");
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
      List<JsonNode> all = documents.readAll();
      assertThat(all).hasSize(1);
      assertThat(all.get(0).path("metadata").path("name").asText()).isEqualTo(injection);
    }
  }

  @Test
  void nixCommentsEscapeLineBreaksAndNixStringsRefuseWhatNixCannotEscape() {
    String nix =
        new NixSystem("web")
            .fromFlake(
                "/etc/nixos-containers/web.conf\rinjected = 1;",
                "github:o/r\r}; evil = import /etc/passwd; x = {",
                "attr\ra");

    assertThat(nix).doesNotContain("\r");
    assertThat(nix)
        .contains(
            "# The NixOS system of container web, written by `berth migrate` from"
                + " /etc/nixos-containers/web.conf\\rinjected = 1;.\n")
        .contains(
            "# The old container was built from the flake github:o/r\\r}; evil = import"
                + " /etc/passwd; x = { (nixosConfigurations.attr\\ra);\n")
        .contains(
            "((builtins.getFlake \"github:o/r\\r}; evil = import /etc/passwd; x = {\")"
                + ".nixosConfigurations.\"attr\\ra\".extendModules {\n");
    assertThat(NixSystem.string("a\tb\nc\"${d}$e\\")).isEqualTo("\"a\\tb\\nc\\\"\\${d}$e\\\\\"");
    assertThatThrownBy(() -> NixSystem.string("a\u0000b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Nix string cannot hold the control character \\0");
  }

  private MigratedContainer migrate(String name) {
    return migrator.migrate(Fixtures.conf(name), new ArrayList<>()).orElseThrow();
  }

  private MigratedContainer migrateText(String name, String text) {
    return migrator
        .migrate(
            new LegacyConf(
                name,
                "/etc/nixos-containers/" + name + ".conf",
                text,
                "/var/lib/nixos-containers/" + name,
                "/var/lib/machines/" + name,
                null,
                null),
            new ArrayList<>())
        .orElseThrow();
  }

  private static JsonNode manifest(MigratedContainer container) throws Exception {
    return YAML.readTree(container.files().get(container.manifestPath()));
  }
}
