package dev.berth.reconciler.plan;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static dev.berth.reconciler.testing.ContainerYaml.docs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlannerTest {
  private static final Map<String, String> GEN1 = Map.of("web", "/nix/store/111-nixos-system-web");
  private static final Map<String, String> GEN2 = Map.of("web", "/nix/store/222-nixos-system-web");

  /** web built from web.nix, on the default network, with more spec lines. */
  private static ContainerYaml nixos(String... more) {
    return container("web").nixos("web.nix").spec("network: {}").spec(more);
  }

  /** A container unpacked from a busybox tarball, on the default network. */
  private static ContainerYaml tarball(String name, String... more) {
    return container(name)
        .tarball("file:///images/busybox.tar", "a".repeat(64))
        .spec("network: {}")
        .spec(more);
  }

  /** Every plan class: installed manifest (with its systems), desired manifest, expected class. */
  static Stream<Arguments> classes() {
    return Stream.of(
        Arguments.of("unchanged", nixos(), GEN1, nixos(), GEN1, ActionClass.NONE, "up to date"),
        Arguments.of(
            "only Parameters= changed",
            nixos(),
            GEN1,
            nixos(),
            GEN2,
            ActionClass.RELOAD,
            "only the system changed"),
        Arguments.of(
            "Parameters= and limits",
            nixos(),
            GEN1,
            nixos("resources:", "  memoryMax: 1G"),
            GEN2,
            ActionClass.RELOAD,
            "cgroup limits set live"),
        Arguments.of(
            "a bind mount added",
            nixos(),
            GEN1,
            nixos("bindMounts:", "  - hostPath: /srv/data"),
            GEN1,
            ActionClass.RESTART,
            "Files.Bind"),
        Arguments.of(
            "Parameters= and a bind mount",
            nixos(),
            GEN1,
            nixos("bindMounts:", "  - hostPath: /srv/data"),
            GEN2,
            ActionClass.RESTART,
            "Exec.Parameters"),
        Arguments.of(
            "only memoryMax",
            nixos(),
            GEN1,
            nixos("resources:", "  memoryMax: 1G"),
            GEN1,
            ActionClass.LIVE,
            "Service.MemoryMax"),
        Arguments.of(
            "timeout is not a cgroup limit",
            nixos(),
            GEN1,
            nixos("timeoutStartSec: 5min"),
            GEN1,
            ActionClass.RESTART,
            "unit Service.TimeoutStartSec"),
        Arguments.of(
            "network changed",
            tarball("web"),
            Map.of(),
            tarball("web", "nspawn:", "  Network:", "    Port: tcp:80:80"),
            Map.of(),
            ActionClass.RESTART,
            "Network.Port"),
        Arguments.of(
            "a new tarball image",
            tarball("web"),
            Map.of(),
            tarball("web").tarball("file:///images/busybox.tar", "b".repeat(64)),
            Map.of(),
            ActionClass.REBUILD,
            "image changed: sha256 aaaaaaaaaaaa… → sha256 bbbbbbbbbbbb…; the new root is unpacked"
                + " beside the old and swapped in at the restart"),
        Arguments.of(
            "the same tarball from a new URL",
            tarball("web"),
            Map.of(),
            tarball("web").tarball("https://mirror.test/busybox.tar", "a".repeat(64)),
            Map.of(),
            ActionClass.NONE,
            "up to date"),
        Arguments.of(
            "a new tarball image and a port",
            tarball("web"),
            Map.of(),
            tarball("web", "nspawn:", "  Network:", "    Port: tcp:80:80")
                .tarball("file:///images/busybox.tar", "b".repeat(64)),
            Map.of(),
            ActionClass.REBUILD,
            "swapped in at the restart; also changed: Network.Port"),
        Arguments.of(
            "a new tarball image under strategy none: no strategy applies it to a running root",
            tarball("web", "activation: {strategy: none}"),
            Map.of(),
            tarball("web", "activation: {strategy: none}")
                .tarball("file:///images/busybox.tar", "b".repeat(64)),
            Map.of(),
            ActionClass.REBUILD,
            "image changed"),
        Arguments.of(
            "a directory image moved: a restart, as before",
            container("web").directory("/srv/a").spec("network: {}"),
            Map.of(),
            container("web").directory("/srv/b").spec("network: {}"),
            Map.of(),
            ActionClass.RESTART,
            "unit Service.ExecStart"),
        Arguments.of(
            "strategy reload, bind added",
            nixos("activation: {strategy: reload}"),
            GEN1,
            nixos("activation: {strategy: reload}", "bindMounts:", "  - hostPath: /srv/data"),
            GEN1,
            ActionClass.RELOAD,
            "strategy reload"),
        Arguments.of(
            "strategy restart, only Parameters=",
            nixos("activation: {strategy: restart}"),
            GEN1,
            nixos("activation: {strategy: restart}"),
            GEN2,
            ActionClass.RESTART,
            "strategy restart"),
        Arguments.of(
            "strategy none",
            nixos("activation: {strategy: none}"),
            GEN1,
            nixos("activation: {strategy: none}"),
            GEN2,
            ActionClass.WRITE,
            "strategy none"),
        Arguments.of(
            "system not built",
            nixos(),
            GEN1,
            nixos(),
            Map.of(),
            ActionClass.REBUILD,
            "build the NixOS system from web.nix"));
  }

  @ParameterizedTest(name = "{0} -> {5}")
  @MethodSource("classes")
  void classifiesEveryDifference(
      String title,
      ContainerYaml before,
      Map<String, String> beforeSystems,
      ContainerYaml after,
      Map<String, String> afterSystems,
      ActionClass expected,
      String reason) {
    Plan plan =
        new PlanFixture().install(before.yaml(), beforeSystems).plan(after.yaml(), afterSystems);

    assertThat(plan.actions()).hasSize(1);
    PlannedAction action = plan.actions().get(0);
    assertThat(action.action()).isEqualTo(expected);
    assertThat(action.reason()).contains(reason);
    assertThat(plan.hasChanges()).isEqualTo(expected != ActionClass.NONE);
  }

  @Test
  void aDropInFromBeforeImageRecordsGainsTheRecordWithoutAnActivation() throws IOException {
    PlanFixture fixture = new PlanFixture().install(tarball("web").yaml(), Map.of());
    String dropIn = "etc/systemd/system/systemd-nspawn@web.service.d/50-berth.conf";
    String current = fixture.installed.get(dropIn);
    assertThat(current).contains("\n[X-Berth]\nImage=tarball sha256:" + "a".repeat(64) + "\n");
    fixture.installed.put(dropIn, olderBerth(current));

    assertThat(fixture.planFiles(tarball("web").yaml(), Map.of()).lines())
        .containsExactly(
            "write web: records the image (sha256 aaaaaaaaaaaa…) in its drop-in, which berth wrote"
                + " before it recorded images; the running container is left alone");
    assertThat(fixture.plan(tarball("web").yaml(), Map.of()).actions().get(0).action())
        .isEqualTo(ActionClass.WRITE);
  }

  /** The drop-in as berth wrote it before image records: no section, and its own marker. */
  private static String olderBerth(String dropIn) {
    String body = dropIn.substring(dropIn.indexOf("\n", dropIn.indexOf("# berth-sha256")) + 1);
    String older = body.substring(0, body.indexOf("\n[X-Berth]")) + "\n";
    return dev.berth.reconciler.render.Marker.wrap("Container web", older);
  }

  @Test
  void anOfflinePlanSaysAnImageChangeIsARebuild() throws IOException {
    PlanFixture fixture = new PlanFixture().install(tarball("web").yaml(), Map.of());

    assertThat(
            fixture
                .planFiles(
                    tarball("web").tarball("file:///images/b.tar", "b".repeat(64)).yaml(), Map.of())
                .lines())
        .containsExactly(
            "rebuild web: image changed: sha256 aaaaaaaaaaaa… → sha256 bbbbbbbbbbbb…; the new root"
                + " is unpacked beside the old and swapped in at the restart");
  }

  @Test
  void createsWhatIsAbsent() {
    Plan plan = new PlanFixture().plan(nixos().yaml(), Map.of());

    assertThat(plan.actions())
        .extracting(PlannedAction::line)
        .containsExactly("create web: new container; build the NixOS system from web.nix first");
  }

  @Test
  void aDirectoryStandingForAHostRemovesOnlyWhatBerthWrote() throws IOException {
    PlanFixture fixture = new PlanFixture().install(docs(tarball("web"), tarball("old")), Map.of());
    fixture.installed.put("etc/systemd/nspawn/handmade.nspawn", "[Exec]\nBoot=yes\n");

    assertThat(fixture.planFiles(tarball("web").yaml(), Map.of()).lines())
        .as("the file plan leaves removal to the pass planner; berth plan --root counts the marked")
        .containsExactly(
            "none web: up to date",
            "remove old: no longer placed on this host; berth's files go, the state directory"
                + " var/lib/machines/old stays");
  }

  @Test
  void leavesAFileBerthDidNotWriteAloneUnlessAdopted() {
    PlanFixture fixture = new PlanFixture();
    fixture.installed.put("etc/systemd/nspawn/web.nspawn", "[Exec]\nBoot=yes\n");

    assertThat(fixture.plan(tarball("web").yaml(), Map.of()).actions().get(0).action())
        .isEqualTo(ActionClass.CONFLICT);

    PlannedAction adopted =
        fixture.plan(tarball("web").adopting().yaml(), Map.of()).actions().get(0);
    assertThat(adopted.action()).isEqualTo(ActionClass.RESTART);
  }

  @Test
  void reportsAFileEditedByHandAsDrift() {
    PlanFixture fixture = new PlanFixture().install(tarball("web").yaml(), Map.of());
    String path = "etc/systemd/nspawn/web.nspawn";
    fixture.installed.put(
        path,
        fixture.installed.get(path).replace("Boot=yes", "Boot=yes\nCapability=CAP_SYS_ADMIN"));

    PlannedAction action = fixture.plan(tarball("web").yaml(), Map.of()).actions().get(0);

    assertThat(action.action()).isEqualTo(ActionClass.RESTART);
    assertThat(action.reason())
        .contains("Exec.Capability")
        .contains("drift: /" + path + " edited by hand");
  }

  @Test
  void aStaticAddressChangeRestarts() {
    String[] v4 = {
      "network:",
      "  v4:",
      "    static:",
      "      containerPool: [10.1.0.2/24]",
      "      hostAddresses: [10.1.0.1/24]"
    };
    PlanFixture fixture =
        new PlanFixture()
            .install(container("web").directory("/srv/root").spec(v4).yaml(), Map.of());
    String[] moved = v4.clone();
    moved[3] = "      containerPool: [10.1.0.3/24]";

    PlannedAction action =
        fixture
            .plan(container("web").directory("/srv/root").spec(moved).yaml(), Map.of())
            .actions()
            .get(0);

    assertThat(action.action()).isEqualTo(ActionClass.RESTART);
    assertThat(action.reason()).contains("host0 Network.Address");
  }

  @Test
  void plansZonesOfTheHost() {
    String zone =
        "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: dmz\nspec:\n"
            + "  placement:\n    hosts: [h1]\n";
    String zoned = zone + "  v4:\n    hostAddresses: [10.9.0.1/24]\n";
    String old = zone.replace("dmz", "old");
    PlanFixture fixture = new PlanFixture().install(docs(zone, old), Map.of());

    List<String> lines =
        fixture.plan(zoned, Map.of()).actions().stream().map(PlannedAction::line).toList();

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("update zone/dmz: changed Network.Address");
    assertThat(lines.get(1))
        .isEqualTo("remove zone/old: no longer placed on this host; its network file goes");
    assertThat(new PlanFixture().plan(zone, Map.of()).actions())
        .extracting(PlannedAction::line)
        .containsExactly("create zone/dmz: new bridge vz-dmz; networkd reloads");
  }

  @Test
  void aZoneChangeSaysWhatNetworkdReloadDoesAndDoesNotChange() {
    String zone =
        "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: dmz\nspec:\n"
            + "  placement:\n    hosts: [h1]\n";
    PlanFixture fixture = new PlanFixture().install(zone, Map.of());
    String zoned = zone + "  v4:\n    hostAddresses: [10.9.0.1/24]\n";

    String plain = fixture.plan(zoned, Map.of()).actions().get(0).reason();
    fixture.installed.put(
        "etc/systemd/network/10-vz-dmz.netdev", "[NetDev]\nName=vz-dmz\nKind=bridge\n");
    String withNetdev = fixture.plan(zoned, Map.of()).actions().get(0).reason();

    assertThat(plain)
        .contains("networkd reloads and reconfigures vz-dmz in place, its containers keep running")
        .contains("containers keep the DHCP leases and SLAAC addresses they have")
        .doesNotContain(".netdev");
    assertThat(withNetdev)
        .contains(
            "/etc/systemd/network/10-vz-dmz.netdev defines the bridge vz-dmz, and networkd's"
                + " reload does not change an existing device");
  }
}
