package dev.berth.reconciler.diff;

import static dev.berth.reconciler.testing.ContainerYaml.HOST;
import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.apply.ApplyListener;
import dev.berth.reconciler.apply.FakeHost;
import dev.berth.reconciler.apply.HostPass;
import dev.berth.reconciler.diff.FileChange.Kind;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.PassPlan;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The files a pass would change, decided from its plan: all of a new container's, the changed one
 * of a changed container, none of an unchanged one, each of berth's files of a removed one, and
 * nothing of a file berth did not write.
 */
class HostDiffTest {
  private static final String NSPAWN = "etc/systemd/nspawn/web.nspawn";
  private static final String DROP_IN =
      "etc/systemd/system/systemd-nspawn@web.service.d/50-berth.conf";

  private final FakeHost host = new FakeHost();

  private record Pass(List<Container> containers, HostRendering rendering) {}

  private static Pass pass(Object... documents) {
    LoadResult loaded = documents.length == 0 ? null : ContainerYaml.load(documents);
    List<Container> containers = loaded == null ? List.of() : loaded.manifests().containersOn(HOST);
    HostRendering rendering =
        new HostRenderer()
            .render(
                containers,
                loaded == null ? List.of() : loaded.manifests().zonesOn(HOST),
                SystemBuilds.NONE);
    return new Pass(containers, rendering);
  }

  private HostPass hostPass() {
    return new HostPass(host.runtime(), host, host, host, 2);
  }

  private void apply(Object... documents) throws IOException {
    Pass pass = pass(documents);
    hostPass()
        .apply(
            HostPass.Desired.of(HOST.name(), pass.containers(), pass.rendering()),
            PassPolicy.APPLY_ALL,
            ApplyListener.NONE);
  }

  private List<FileChange> diff(Object... documents) throws IOException {
    Pass pass = pass(documents);
    PassPlan plan =
        hostPass()
            .plan(
                HostPass.Desired.of(HOST.name(), pass.containers(), pass.rendering()),
                PassPolicy.APPLY_ALL);
    return new HostDiff(host).changes(plan, pass.containers(), pass.rendering(), host.load());
  }

  private static Map<String, Kind> kinds(List<FileChange> changes) {
    return changes.stream().collect(Collectors.toMap(FileChange::path, FileChange::kind));
  }

  @Test
  void aNewContainerAddsEachOfItsRenderedFiles() throws IOException {
    List<FileChange> changes = diff(container("web"));

    Pass pass = pass(container("web"));
    assertThat(kinds(changes))
        .containsOnlyKeys(pass.rendering().container("web").orElseThrow().byPath().keySet())
        .containsEntry(NSPAWN, Kind.ADDED)
        .containsEntry(DROP_IN, Kind.ADDED);
    assertThat(changes.stream().filter(c -> c.path().equals(NSPAWN)).findFirst().orElseThrow())
        .isEqualTo(
            FileChange.added(
                NSPAWN, pass.rendering().container("web").orElseThrow().nspawn().content()));
  }

  @Test
  void anAppliedContainerHasNoChanges() throws IOException {
    apply(container("web"));

    assertThat(diff(container("web"))).isEmpty();
  }

  @Test
  void aChangedSettingModifiesOnlyTheFileThatHoldsIt() throws IOException {
    apply(container("web"));
    String before = host.files.get(NSPAWN);

    List<FileChange> changes = diff(container("web").spec("capabilities: [CAP_NET_ADMIN]"));

    assertThat(changes).hasSize(1);
    FileChange change = changes.get(0);
    assertThat(change.path()).isEqualTo(NSPAWN);
    assertThat(change.kind()).isEqualTo(Kind.MODIFIED);
    assertThat(change.before()).contains(before);
    assertThat(change.after().orElseThrow()).contains("Capability=CAP_NET_ADMIN");
  }

  @Test
  void aRemovedContainerDeletesEachOfBerthsFilesOfIt() throws IOException {
    apply(container("web"), container("db"));
    String nspawn = host.files.get(NSPAWN);
    String dropIn = host.files.get(DROP_IN);

    List<FileChange> changes = diff(container("db"));

    assertThat(changes)
        .containsExactly(FileChange.removed(NSPAWN, nspawn), FileChange.removed(DROP_IN, dropIn));
  }

  @Test
  void aFileBerthDidNotWriteIsLeftOut() throws IOException {
    host.files.put(NSPAWN, "[Exec]\nBoot=yes\n");

    assertThat(diff(container("web"))).isEmpty();
  }

  @Test
  void aChangeHasABeforeOrAnAfter() {
    assertThat(new FileChange("p", Optional.of("a"), Optional.of("b")).kind())
        .isEqualTo(Kind.MODIFIED);
    assertThat(FileChange.removed("p", "a").kind()).isEqualTo(Kind.REMOVED);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new FileChange("p", Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final String ZONE =
      "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: lab\nspec:\n"
          + "  placement: {hosts: [h1]}\n";
  private static final String ZONE_FILE = "etc/systemd/network/20-berth-vz-lab.network";
  private static final String VETH = "etc/systemd/network/20-berth-ve-web.network";

  @Test
  void aNewZonesFileIsAddedAndARemovedZonesFileDeleted() throws IOException {
    ContainerYaml member = container("z1").spec("network:", "  zone: lab");

    assertThat(kinds(diff(member, ZONE))).containsEntry(ZONE_FILE, Kind.ADDED);

    apply(member, ZONE);
    String file = host.files.get(ZONE_FILE);
    assertThat(diff(member, ZONE)).isEmpty();
    assertThat(diff(container("z1"))).contains(FileChange.removed(ZONE_FILE, file));
  }

  @Test
  void aFileAKeptContainerNoLongerGetsIsDeleted() throws IOException {
    apply(container("web").spec("network: {}"));
    String veth = host.files.get(VETH);

    List<FileChange> changes = diff(container("web"));

    assertThat(changes).contains(FileChange.removed(VETH, veth));
    assertThat(kinds(changes)).containsEntry(NSPAWN, Kind.MODIFIED);
  }
}
