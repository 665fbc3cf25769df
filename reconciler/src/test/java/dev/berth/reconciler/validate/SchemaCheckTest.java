package dev.berth.reconciler.validate;

import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static dev.berth.reconciler.testing.Findings.loadAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.testing.InMemoryTree;
import org.junit.jupiter.api.Test;

/** Schema errors as users see them: through the loader, located in the file. */
class SchemaCheckTest {
  /** Five lines; a test's spec lines start at line 6. */
  private static final String HEADER =
      """
      apiVersion: berth.dev/v1alpha1
      kind: Container
      metadata:
        name: web
      spec:
      """;

  private static final String PLACED_NIXOS =
      """
        placement:
          hosts: [host-a]
        image:
          nixos:
            file: nix/web.nix
      """;

  private static LoadResult load(String manifest) {
    return loadAll(InMemoryTree.of("m.yaml", manifest).put("nix/web.nix", "{ }"));
  }

  @Test
  void aValidManifestHasNoFindings() {
    LoadResult result = load(HEADER + PLACED_NIXOS);

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.valid()).isTrue();
    assertThat(result.manifests().containers()).hasSize(1);
  }

  @Test
  void anUnknownFieldIsReportedAtItsKey() {
    LoadResult result = load(HEADER + PLACED_NIXOS + "  colour: red\n");

    assertFindings(result, at("m.yaml:11:3", "unknown field \"colour\" in spec"));
    assertThat(result.valid()).isFalse();
    assertThat(result.manifests().containers()).isEmpty();
  }

  @Test
  void anUnknownNestedFieldNamesItsPlace() {
    LoadResult result =
        load(
            HEADER
                + PLACED_NIXOS
                + "  network:\n    forwardPorts:\n      - hostPort: 80\n        hostport: 81\n");

    assertFindings(
        result, at("m.yaml:14:9", "unknown field \"hostport\" in spec.network.forwardPorts[0]"));
  }

  @Test
  void anUnknownTopLevelFieldIsReported() {
    LoadResult result = load(HEADER + PLACED_NIXOS + "status:\n  phase: Running\n");

    assertFindings(result, at("m.yaml:11:1", "unknown field \"status\""));
  }

  @Test
  void aStringWhereAnIntegerBelongsIsReportedAtTheValue() {
    LoadResult result =
        load(HEADER + PLACED_NIXOS + "  network:\n    forwardPorts:\n      - hostPort: \"80\"\n");

    assertFindings(
        result,
        at(
            "m.yaml:13:19",
            "spec.network.forwardPorts[0].hostPort: expected an integer, found a string"));
  }

  @Test
  void aListWhereAMappingBelongsIsReported() {
    LoadResult result = load(HEADER + PLACED_NIXOS + "  resources: [memoryMax]\n");

    assertFindings(result, at("m.yaml:11:14", "spec.resources: expected a mapping, found a list"));
  }

  @Test
  void aMappingWhereAListBelongsIsReported() {
    LoadResult result = load(HEADER + PLACED_NIXOS + "  dependsOn:\n    db: yes\n");

    assertFindings(result, at("m.yaml:12:5", "spec.dependsOn: expected a list, found a mapping"));
  }

  @Test
  void aNumberWhereABooleanBelongsIsReported() {
    LoadResult result = load(HEADER + PLACED_NIXOS + "  ephemeral: 1\n");

    assertFindings(
        result, at("m.yaml:11:14", "spec.ephemeral: expected a boolean, found an integer"));
  }

  @Test
  void aMissingImageIsReported() {
    LoadResult result = load(HEADER + "  placement:\n    hosts: [host-a]\n  state: running\n");

    assertFindings(result, at("m.yaml:6:3", "spec: missing required field \"image\""));
  }

  @Test
  void aMissingSpecIsReportedAtTheDocument() {
    LoadResult result =
        load("apiVersion: berth.dev/v1alpha1\nkind: Container\nmetadata:\n  name: web\n");

    assertFindings(result, at("m.yaml:1:1", "missing required field \"spec\""));
  }

  @Test
  void aMissingRequiredFieldOfAListItemIsReportedAtTheItem() {
    LoadResult result = load(HEADER + PLACED_NIXOS + "  bindMounts:\n    - readOnly: true\n");

    assertFindings(
        result, at("m.yaml:12:7", "spec.bindMounts[0]: missing required field \"hostPath\""));
  }

  @Test
  void anEnumViolationListsTheAllowedValues() {
    LoadResult result = load(HEADER + PLACED_NIXOS + "  state: paused\n");

    assertFindings(
        result, at("m.yaml:11:10", "spec.state: must be one of [\"running\", \"stopped\"]"));
  }

  @Test
  void aBadSha256IsReportedAtTheValue() {
    LoadResult result =
        load(
            HEADER
                + """
                  placement:
                    hosts: [host-a]
                  image:
                    tarball:
                      url: https://example.org/root.tar.xz
                      sha256: ABCDEF
                """);

    assertFindings(
        result,
        at("m.yaml:11:15", "spec.image.tarball.sha256: must be 64 lowercase hexadecimal digits"));
  }

  @Test
  void aTarballWithoutSha256IsReported() {
    LoadResult result =
        load(HEADER + "  image:\n    tarball:\n      url: https://example.org/root.tar.xz\n");

    assertFindings(
        result, at("m.yaml:8:7", "spec.image.tarball: missing required field \"sha256\""));
  }

  @Test
  void aTarballUrlMustBeHttpsOrFile() {
    LoadResult result =
        load(
            HEADER
                + "  image:\n    tarball:\n      url: http://example.org/r.tar\n      sha256: "
                + "a".repeat(64)
                + "\n");

    assertFindings(
        result, at("m.yaml:8:12", "spec.image.tarball.url: must be an https:// or file:// URL"));
  }

  @Test
  void twoImageSourcesAreReported() {
    LoadResult result =
        load(
            HEADER
                + """
                  image:
                    nixos:
                      file: nix/web.nix
                    directory:
                      path: /srv/web
                """);

    assertFindings(
        result,
        at("m.yaml:7:5", "spec.image: set exactly one image source: nixos, tarball or directory"));
  }

  @Test
  void noImageSourceIsReported() {
    LoadResult result = load(HEADER + "  image: {}\n");

    assertFindings(result, at("m.yaml:6:10", "spec.image: set exactly one image source"));
  }

  @Test
  void anUnknownKindIsReportedAtTheKind() {
    LoadResult result =
        load("apiVersion: berth.dev/v1alpha1\nkind: Pod\nmetadata:\n  name: web\nspec: {}\n");

    assertFindings(
        result, at("m.yaml:2:7", "unknown kind \"Pod\"; berth knows Container, Zone, Rollout"));
  }

  @Test
  void aKindThatIsNotAStringIsUnknown() {
    LoadResult result =
        load("apiVersion: berth.dev/v1alpha1\nkind: [Container]\nmetadata:\n  name: web\n");

    assertFindings(result, at("m.yaml:2:7", "unknown kind"));
  }

  @Test
  void aWrongApiVersionIsReportedAtTheApiVersion() {
    LoadResult result =
        load("apiVersion: berth.dev/v1\nkind: Container\nmetadata:\n  name: web\nspec: {}\n");

    assertFindings(
        result,
        at("m.yaml:1:13", "apiVersion \"berth.dev/v1\" is not supported; use berth.dev/v1alpha1"));
  }

  @Test
  void aDocumentWithoutApiVersionOrKindIsNotABerthManifest() {
    LoadResult result = load("kind: Container\n---\n# a second one\nname: web\n");

    assertFindings(
        result,
        at(
            "m.yaml:1:1",
            "not a berth manifest: every document needs apiVersion: berth.dev/v1alpha1 and a kind"),
        at("m.yaml:4:1", "not a berth manifest"));
  }

  @Test
  void anUnknownMetadataFieldIsReported() {
    LoadResult result =
        load(
            """
            apiVersion: berth.dev/v1alpha1
            kind: Container
            metadata:
              name: web
              namespace: default
            spec:
              image:
                directory:
                  path: /srv/web
            """);

    assertFindings(result, at("m.yaml:5:3", "unknown field \"namespace\" in metadata"));
  }

  @Test
  void metadataNeedsANameAndStringLabels() {
    LoadResult result =
        load(
            """
            apiVersion: berth.dev/v1alpha1
            kind: Container
            metadata:
              labels:
                tier: 1
            spec:
              image:
                directory:
                  path: /srv/web
            """);

    assertFindings(
        result,
        at("m.yaml:4:3", "metadata: missing required field \"name\""),
        at("m.yaml:5:11", "metadata.labels.tier: expected a string, found an integer"));
  }

  @Test
  void privateUsersMayBeAnIntegerOrAString() {
    LoadResult asInt = load(HEADER + PLACED_NIXOS + "  privateUsers: 65536\n");
    LoadResult asString = load(HEADER + PLACED_NIXOS + "  privateUsers: pick\n");
    LoadResult asRange = load(HEADER + PLACED_NIXOS + "  privateUsers: \"65536:65536\"\n");

    assertThat(asInt.diagnostics()).isEmpty();
    assertThat(asString.diagnostics()).isEmpty();
    assertThat(asRange.diagnostics()).isEmpty();
    assertThat(privateUsers(asInt)).isEqualTo("65536");
    assertThat(privateUsers(asString)).isEqualTo("pick");
    assertThat(privateUsers(asRange)).isEqualTo("65536:65536");
  }

  @Test
  void privateUsersIsNeitherABooleanNorAList() {
    LoadResult result = load(HEADER + PLACED_NIXOS + "  privateUsers: true\n  ephemeral: yes\n");

    assertFindings(
        result,
        at(
            "m.yaml:11:17",
            "spec.privateUsers: expected an integer or a string, found a boolean"
                + " (YAML reads yes, no, on and off as booleans: quote the value)"));
  }

  @Test
  void resolvConfOffIsTheStringOff() {
    assertThat(load(HEADER + PLACED_NIXOS + "  network: {resolvConf: \"off\"}\n").valid()).isTrue();

    LoadResult unquoted = load(HEADER + PLACED_NIXOS + "  network: {resolvConf: off}\n");

    assertFindings(
        unquoted,
        at(
            "m.yaml:11:25",
            "spec.network.resolvConf: expected a string, found a boolean"
                + " (YAML reads yes, no, on and off as booleans: quote the value)"),
        at("m.yaml:11:25", "spec.network.resolvConf: must be one of [\"off\", \"copy-host\","));
  }

  @Test
  void capabilitiesMustBeCapabilityNames() {
    LoadResult result = load(HEADER + PLACED_NIXOS + "  capabilities: [CAP_NET_ADMIN, net_raw]\n");

    assertFindings(
        result,
        at(
            "m.yaml:11:33",
            "spec.capabilities[1]: must be a capability name such as CAP_NET_ADMIN"));
  }

  @Test
  void aZoneIsCheckedAgainstItsOwnSchema() {
    LoadResult result =
        load(
            """
            apiVersion: berth.dev/v1alpha1
            kind: Zone
            metadata:
              name: lan
            spec:
              image: {}
              v4:
                nat: "yes"
            """);

    assertFindings(
        result,
        at("m.yaml:6:3", "unknown field \"image\" in spec"),
        at("m.yaml:8:10", "spec.v4.nat: expected a boolean, found a string"));
  }

  @Test
  void everySchemaErrorOfADocumentIsReportedInFileOrder() {
    LoadResult result =
        load(
            HEADER
                + """
                  state: paused
                  image:
                    nixos: {}
                  autoStart: "no"
                  extra: 1
                """);

    assertFindings(
        result,
        at("m.yaml:6:10", "spec.state: must be one of"),
        at("m.yaml:8:12", "spec.image.nixos: missing required field \"file\""),
        at("m.yaml:9:14", "spec.autoStart: expected a boolean, found a string"),
        at("m.yaml:10:3", "unknown field \"extra\" in spec"));
  }

  private static String privateUsers(LoadResult result) {
    Container container = result.manifests().containers().get(0).value();
    return container.spec().privateUsers();
  }
}
