package dev.berth.reconciler.validate;

import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static dev.berth.reconciler.testing.Findings.loadAll;
import static dev.berth.reconciler.testing.Findings.loadFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.testing.InMemoryTree;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The checks across the documents that land on one host. */
class HostRulesTest {

  /** Ten lines: a container on {@code hosts}; lines added by {@code more} start at line 11. */
  static String container(String name, String hosts, String more) {
    return """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: %s
        spec:
          placement:
            hosts: %s
          image:
            directory:
              path: /srv/%s
        """
            .formatted(name, hosts, name)
        + more;
  }

  /** Seven lines: a zone on {@code hosts}; lines added by {@code more} start at line 8. */
  static String zone(String name, String hosts, String more) {
    return """
        apiVersion: berth.dev/v1alpha1
        kind: Zone
        metadata:
          name: %s
        spec:
          placement:
            hosts: %s
        """
            .formatted(name, hosts)
        + more;
  }

  static String documents(String... documents) {
    return String.join("---\n", documents);
  }

  private static LoadResult load(String manifests) {
    return loadAll(InMemoryTree.of("m.yaml", manifests));
  }

  @Nested
  class Names {
    @Test
    void twoContainersOfOneNameOnOneHostClash() {
      LoadResult result =
          load(documents(container("web", "[a]", ""), container("web", "[b, a]", "")));

      assertFindings(
          result,
          at("m.yaml:15:9", "container \"web\" is defined twice for host a (first at m.yaml:4)"));
    }

    @Test
    void twoContainersOfOneNameOnDifferentHostsAreFine() {
      LoadResult result = load(documents(container("web", "[a]", ""), container("web", "[b]", "")));

      assertThat(result.diagnostics()).isEmpty();
      assertThat(result.manifests().containers()).hasSize(2);
    }

    @Test
    void aClashOnTwoHostsIsReportedForEach() {
      LoadResult result =
          load(documents(container("web", "[a, b]", ""), container("web", "[a, b]", "")));

      assertFindings(
          result,
          at("m.yaml:15:9", "container \"web\" is defined twice for host a"),
          at("m.yaml:15:9", "container \"web\" is defined twice for host b"));
    }

    @Test
    void clashesAcrossFilesNameTheFirstFile() {
      LoadResult result =
          loadAll(
              InMemoryTree.of("a/web.yaml", container("web", "[h]", ""))
                  .put("b/web-again.yaml", container("web", "[h]", "")));

      assertFindings(
          result,
          at(
              "b/web-again.yaml:4:9",
              "container \"web\" is defined twice for host h (first at a/web.yaml:4)"));
    }

    @Test
    void twoZonesOfOneNameOnOneHostClash() {
      LoadResult result = load(documents(zone("lan", "[a]", ""), zone("lan", "[a]", "")));

      assertFindings(
          result,
          at("m.yaml:12:9", "zone \"lan\" is defined twice for host a (first at m.yaml:4)"));
    }

    @Test
    void aZoneAndAContainerMayShareAName() {
      assertThat(load(documents(zone("web", "[a]", ""), container("web", "[a]", ""))).diagnostics())
          .isEmpty();
    }
  }

  @Nested
  class Zones {
    @Test
    void aZoneThatIsNotPlacedOnTheHostIsReported() {
      LoadResult result =
          load(
              documents(
                  zone("lan", "[b]", ""),
                  container("web", "[a, b]", "  network:\n    zone: lan\n")));

      assertFindings(
          result, at("m.yaml:20:11", "spec.network.zone: no Zone \"lan\" is placed on host a"));
    }

    @Test
    void aZoneOnTheHostIsFound() {
      LoadResult result =
          load(
              documents(
                  container("web", "[a]", "  network:\n    zone: lan\n"), zone("lan", "[a]", "")));

      assertThat(result.diagnostics()).isEmpty();
    }
  }

  @Nested
  class Dependencies {
    @Test
    void aMissingTargetIsReportedAtTheEntry() {
      LoadResult result =
          load(
              container("web", "[a]", "  dependsOn: [db, cache]\n")
                  + "---\n"
                  + container("db", "[a]", ""));

      assertFindings(
          result,
          at("m.yaml:11:19", "spec.dependsOn[1]: no container \"cache\" is placed on host a"));
    }

    @Test
    void aTargetOnAnotherHostIsMissing() {
      LoadResult result =
          load(
              documents(
                  container("web", "[a]", "  dependsOn: [db]\n"), container("db", "[b]", "")));

      assertFindings(
          result, at("m.yaml:11:15", "spec.dependsOn[0]: no container \"db\" is placed on host a"));
    }

    @Test
    void aCycleOfTwoIsReportedOnce() {
      LoadResult result =
          load(
              documents(
                  container("aa", "[h]", "  dependsOn: [bb]\n"),
                  container("bb", "[h]", "  dependsOn:\n    - aa\n")));

      assertFindings(
          result, at("m.yaml:11:14", "spec.dependsOn: dependency cycle on host h: aa -> bb -> aa"));
    }

    @Test
    void aLongerCycleNamesEveryMember() {
      LoadResult result =
          load(
              documents(
                  container("aa", "[h]", "  dependsOn: [bb]\n"),
                  container("bb", "[h]", "  dependsOn: [cc]\n"),
                  container("cc", "[h]", "  dependsOn: [aa]\n"),
                  container("dd", "[h]", "  dependsOn: [aa]\n")));

      assertFindings(
          result,
          at("m.yaml:11:14", "spec.dependsOn: dependency cycle on host h: aa -> bb -> cc -> aa"));
    }

    @Test
    void aSelfDependencyIsReported() {
      LoadResult result = load(container("web", "[a]", "  dependsOn: [web]\n"));

      assertFindings(
          result,
          at("m.yaml:11:14", "spec.dependsOn: dependency cycle on host a: web -> web"),
          at("m.yaml:11:15", "spec.dependsOn[0]: a container cannot depend on itself"));
    }

    @Test
    void aDiamondIsNotACycle() {
      LoadResult result =
          load(
              documents(
                  container("top", "[h]", "  dependsOn: [left, right]\n"),
                  container("left", "[h]", "  dependsOn: [base]\n"),
                  container("right", "[h]", "  dependsOn: [base]\n"),
                  container("base", "[h]", "")));

      assertThat(result.diagnostics()).isEmpty();
    }
  }

  @Nested
  class Addresses {
    private static final String STATIC_10_0_0_2 =
        "  network:\n    v4:\n      static:\n        containerPool: [10.0.0.2/24]\n";

    @Test
    void anAddressUsedTwiceOnAHostIsReportedAtTheSecond() {
      LoadResult result =
          load(
              documents(
                  container("web", "[a]", STATIC_10_0_0_2),
                  container(
                      "db",
                      "[a]",
                      "  network:\n    v4:\n      static:\n        containerPool: [10.0.0.2/16]\n")));

      assertFindings(
          result,
          at(
              "m.yaml:29:25",
              "spec.network.v4.static.containerPool[0]: address 10.0.0.2 is used twice on host a"
                  + " (first at m.yaml:14)"));
    }

    @Test
    void theSameAddressOnDifferentHostsIsFine() {
      LoadResult result =
          load(
              documents(
                  container("web", "[a]", STATIC_10_0_0_2),
                  container("db", "[b]", STATIC_10_0_0_2)));

      assertThat(result.diagnostics()).isEmpty();
    }

    @Test
    void aZoneAddressClashesWithAContainerAddress() {
      LoadResult result =
          load(
              documents(
                  zone("lan", "[a]", "  v4:\n    hostAddresses: [10.1.0.1/24]\n"),
                  container(
                      "web",
                      "[a]",
                      "  network:\n    v4:\n      static:\n        hostAddresses: [10.1.0.1/24]\n")));

      assertFindings(
          result,
          at(
              "m.yaml:24:25",
              "spec.network.v4.static.hostAddresses[0]: address 10.1.0.1 is used twice on host a"
                  + " (first at m.yaml:9)"));
    }

    @Test
    void anAddressUsedTwiceByOneZoneIsReportedAtItsSecondEntry() {
      LoadResult result =
          load(zone("lan", "[a]", "  v4:\n    hostAddresses: [10.1.0.1/24, 10.1.0.1/16]\n"));

      assertFindings(
          result,
          at(
              "m.yaml:9:34",
              "spec.v4.hostAddresses[1]: address 10.1.0.1 is used twice on host a"
                  + " (first at m.yaml:9)"));
    }

    @Test
    void ipv6AddressesAreComparedByValueNotByText() {
      LoadResult result =
          load(
              container(
                  "web",
                  "[a]",
                  "  network:\n    v6:\n      static:\n        containerPool: [\"fd00::2/64\", \"fd00:0::2/64\"]\n"));

      assertThat(result.diagnostics())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.format())
                    .startsWith("m.yaml:14:39: spec.network.v6.static.containerPool[1]: address ");
                assertThat(d.message()).contains("is used twice on host a (first at m.yaml:14)");
              });
    }
  }

  @Nested
  class Ports {
    @Test
    void aHostPortForwardedByTwoContainersIsReported() {
      LoadResult result =
          load(
              documents(
                  container("web", "[a]", "  network:\n    forwardPorts:\n      - hostPort: 80\n"),
                  container(
                      "db",
                      "[a]",
                      "  network:\n    forwardPorts:\n      - hostPort: 80\n        containerPort: 8080\n")));

      assertFindings(
          result,
          at(
              "m.yaml:27:19",
              "spec.network.forwardPorts[0]: host port tcp/80 is forwarded twice on host a"
                  + " (first at m.yaml:13)"));
    }

    @Test
    void aHostPortForwardedTwiceByOneContainerIsReported() {
      LoadResult result =
          load(
              container(
                  "web",
                  "[a]",
                  "  network:\n    forwardPorts:\n      - hostPort: 53\n      - hostPort: 53\n"));

      assertFindings(
          result,
          at(
              "m.yaml:14:19",
              "spec.network.forwardPorts[1]: host port tcp/53 is forwarded twice on host a"));
    }

    @Test
    void tcpAndUdpOfOnePortAreDifferent() {
      LoadResult result =
          load(
              container(
                      "web",
                      "[a]",
                      "  network:\n    forwardPorts:\n      - hostPort: 53\n      - hostPort: 53\n        protocol: udp\n")
                  + "---\n"
                  + container(
                      "db", "[b]", "  network:\n    forwardPorts:\n      - hostPort: 53\n"));

      assertThat(result.diagnostics()).isEmpty();
    }
  }

  @Test
  void forOneHostTheChecksSeeWhatTheSelectorsPlaceThere() {
    String manifests =
        documents(
            container("web", "[a]", "  dependsOn: [db]\n"),
            """
            apiVersion: berth.dev/v1alpha1
            kind: Container
            metadata:
              name: db
            spec:
              placement:
                selector:
                  matchLabels: {role: db}
              image:
                directory:
                  path: /srv/db
            """);

    assertThat(loadFor(InMemoryTree.of("m.yaml", manifests), "a", "role=db").diagnostics())
        .isEmpty();
    assertFindings(
        loadFor(InMemoryTree.of("m.yaml", manifests), "a", "role=web"),
        at("m.yaml:11:15", "spec.dependsOn[0]: no container \"db\" is placed on host a"));
    // Without a host's labels, db may be on host a: that is checked once the labels are known.
    assertThat(load(manifests).diagnostics()).isEmpty();
  }

  @Test
  void withoutAHostAZonePlacedBySelectorMayBeThere() {
    String manifests =
        documents(
            container("web", "[a]", "  network:\n    zone: lan\n"),
            zone("lan", "[b]", "    selector:\n      matchLabels: {net: lan}\n"),
            container("db", "[a]", "  network:\n    zone: dmz\n"),
            """
            apiVersion: berth.dev/v1alpha1
            kind: Zone
            metadata:
              name: dmz
            spec:
              placement:
                selector:
                  matchLabels: {net: dmz}
            """);

    // lan is placed only on host b (by name and selector); dmz may be on any host with net=dmz.
    assertFindings(
        load(manifests),
        at("m.yaml:12:11", "spec.network.zone: no Zone \"lan\" is placed on host a"));
    assertFindings(
        loadFor(InMemoryTree.of("m.yaml", manifests), "a", "net=lan"),
        at("m.yaml:12:11", "spec.network.zone: no Zone \"lan\" is placed on host a"),
        at("m.yaml:35:11", "spec.network.zone: no Zone \"dmz\" is placed on host a"));
    // web and db are not on host b: nothing to report there.
    assertThat(loadFor(InMemoryTree.of("m.yaml", manifests), "b", "net=lan").diagnostics())
        .isEmpty();
  }
}
