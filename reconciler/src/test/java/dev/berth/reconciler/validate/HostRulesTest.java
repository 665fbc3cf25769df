package dev.berth.reconciler.validate;

import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static dev.berth.reconciler.testing.Findings.loadAll;
import static dev.berth.reconciler.testing.Findings.loadFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.testing.ContainerYaml;
import dev.berth.reconciler.testing.InMemoryTree;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The checks across the documents that land on one host. */
class HostRulesTest {

  /**
   * A container on {@code hosts} with a directory image: ten lines, so its spec lines start at line
   * 11.
   */
  static ContainerYaml container(String name, String... hosts) {
    return ContainerYaml.container(name).onHosts(hosts).directory("/srv/" + name);
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

  static String documents(Object... documents) {
    return ContainerYaml.docs(documents);
  }

  private static LoadResult load(Object manifests) {
    return loadAll(InMemoryTree.of("m.yaml", manifests.toString()));
  }

  @Nested
  class Names {
    @Test
    void twoContainersOfOneNameOnOneHostClash() {
      LoadResult result = load(documents(container("web", "a"), container("web", "b", "a")));

      assertFindings(
          result,
          at("m.yaml:15:9", "container \"web\" is defined twice for host a (first at m.yaml:4)"));
    }

    @Test
    void twoContainersOfOneNameOnDifferentHostsAreFine() {
      LoadResult result = load(documents(container("web", "a"), container("web", "b")));

      assertThat(result.diagnostics()).isEmpty();
      assertThat(result.manifests().containers()).hasSize(2);
    }

    @Test
    void aClashOnTwoHostsIsReportedForEach() {
      LoadResult result = load(documents(container("web", "a", "b"), container("web", "a", "b")));

      assertFindings(
          result,
          at("m.yaml:15:9", "container \"web\" is defined twice for host a"),
          at("m.yaml:15:9", "container \"web\" is defined twice for host b"));
    }

    @Test
    void clashesAcrossFilesNameTheFirstFile() {
      LoadResult result =
          loadAll(
              InMemoryTree.of("a/web.yaml", container("web", "h").yaml())
                  .put("b/web-again.yaml", container("web", "h").yaml()));

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
      assertThat(load(documents(zone("web", "[a]", ""), container("web", "a"))).diagnostics())
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
                  container("web", "a", "b").spec("network:", "  zone: lan")));

      assertFindings(
          result, at("m.yaml:20:11", "spec.network.zone: no Zone \"lan\" is placed on host a"));
    }

    @Test
    void aZoneOnTheHostIsFound() {
      LoadResult result =
          load(
              documents(
                  container("web", "a").spec("network:", "  zone: lan"), zone("lan", "[a]", "")));

      assertThat(result.diagnostics()).isEmpty();
    }
  }

  @Nested
  class Dependencies {
    @Test
    void aMissingTargetIsReportedAtTheEntry() {
      LoadResult result =
          load(
              container("web", "a").spec("dependsOn: [db, cache]")
                  + "---\n"
                  + container("db", "a"));

      assertFindings(
          result,
          at("m.yaml:11:19", "spec.dependsOn[1]: no container \"cache\" is placed on host a"));
    }

    @Test
    void aTargetOnAnotherHostIsMissing() {
      LoadResult result =
          load(documents(container("web", "a").spec("dependsOn: [db]"), container("db", "b")));

      assertFindings(
          result, at("m.yaml:11:15", "spec.dependsOn[0]: no container \"db\" is placed on host a"));
    }

    @Test
    void aCycleOfTwoIsReportedOnce() {
      LoadResult result =
          load(
              documents(
                  container("aa", "h").spec("dependsOn: [bb]"),
                  container("bb", "h").spec("dependsOn:", "  - aa")));

      assertFindings(
          result, at("m.yaml:11:14", "spec.dependsOn: dependency cycle on host h: aa -> bb -> aa"));
    }

    @Test
    void aLongerCycleNamesEveryMember() {
      LoadResult result =
          load(
              documents(
                  container("aa", "h").spec("dependsOn: [bb]"),
                  container("bb", "h").spec("dependsOn: [cc]"),
                  container("cc", "h").spec("dependsOn: [aa]"),
                  container("dd", "h").spec("dependsOn: [aa]")));

      assertFindings(
          result,
          at("m.yaml:11:14", "spec.dependsOn: dependency cycle on host h: aa -> bb -> cc -> aa"));
    }

    @Test
    void aSelfDependencyIsReported() {
      LoadResult result = load(container("web", "a").spec("dependsOn: [web]"));

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
                  container("top", "h").spec("dependsOn: [left, right]"),
                  container("left", "h").spec("dependsOn: [base]"),
                  container("right", "h").spec("dependsOn: [base]"),
                  container("base", "h")));

      assertThat(result.diagnostics()).isEmpty();
    }
  }

  @Nested
  class Addresses {
    private static final String[] STATIC_10_0_0_2 = {
      "network:", "  v4:", "    static:", "      containerPool: [10.0.0.2/24]"
    };

    @Test
    void anAddressUsedTwiceOnAHostIsReportedAtTheSecond() {
      LoadResult result =
          load(
              documents(
                  container("web", "a").spec(STATIC_10_0_0_2),
                  container("db", "a")
                      .spec(
                          "network:",
                          "  v4:",
                          "    static:",
                          "      containerPool: [10.0.0.2/16]")));

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
                  container("web", "a").spec(STATIC_10_0_0_2),
                  container("db", "b").spec(STATIC_10_0_0_2)));

      assertThat(result.diagnostics()).isEmpty();
    }

    @Test
    void aZoneAddressClashesWithAContainerAddress() {
      LoadResult result =
          load(
              documents(
                  zone("lan", "[a]", "  v4:\n    hostAddresses: [10.1.0.1/24]\n"),
                  container("web", "a")
                      .spec(
                          "network:",
                          "  v4:",
                          "    static:",
                          "      hostAddresses: [10.1.0.1/24]")));

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
              container("web", "a")
                  .spec(
                      "network:",
                      "  v6:",
                      "    static:",
                      "      containerPool: [\"fd00::2/64\", \"fd00:0::2/64\"]"));

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
                  container("web", "a").spec("network:", "  forwardPorts:", "    - hostPort: 80"),
                  container("db", "a")
                      .spec(
                          "network:",
                          "  forwardPorts:",
                          "    - hostPort: 80",
                          "      containerPort: 8080")));

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
              container("web", "a")
                  .spec("network:", "  forwardPorts:", "    - hostPort: 53", "    - hostPort: 53"));

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
              container("web", "a")
                      .spec(
                          "network:",
                          "  forwardPorts:",
                          "    - hostPort: 53",
                          "    - hostPort: 53",
                          "      protocol: udp")
                  + "---\n"
                  + container("db", "b").spec("network:", "  forwardPorts:", "    - hostPort: 53"));

      assertThat(result.diagnostics()).isEmpty();
    }
  }

  @Test
  void forOneHostTheChecksSeeWhatTheSelectorsPlaceThere() {
    String manifests =
        documents(
            container("web", "a").spec("dependsOn: [db]"),
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
            container("web", "a").spec("network:", "  zone: lan"),
            zone("lan", "[b]", "    selector:\n      matchLabels: {net: lan}\n"),
            container("db", "a").spec("network:", "  zone: dmz"),
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
