package dev.berth.reconciler.apply;

import static dev.berth.reconciler.testing.ContainerYaml.HOST;
import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.Marker;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A new tarball image on an existing container, carried out on the in-memory host: staged before
 * any file says so, swapped in with the unit stopped, the previous root released once the unit came
 * up on the new one, and the cached tarball no root holds any more deleted.
 */
class ImageUpgradeTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String UNIT = "systemd-nspawn@web.service";

  private final FakeHost host = new FakeHost();

  private static ContainerYaml web(String sha256, String... more) {
    return container("web")
        .tarball("file:///images/" + sha256.charAt(0) + ".tar", sha256)
        .spec(more);
  }

  private ApplyReport apply(ContainerYaml document) throws IOException {
    LoadResult loaded = ContainerYaml.load(document);
    var containers = loaded.manifests().containersOn(HOST);
    var rendering =
        new HostRenderer().render(containers, loaded.manifests().zonesOn(HOST), SystemBuilds.NONE);
    host.calls.clear();
    return new HostPass(host.runtime(), host, host, host, 4)
        .apply(
            HostPass.Desired.of(HOST.name(), containers, rendering),
            PassPolicy.APPLY_ALL,
            ApplyListener.NONE);
  }

  @Test
  void stagesBeforeTheFilesChangeSwapsWithTheUnitStoppedThenReleasesAndCollects()
      throws IOException {
    apply(web(A));

    ApplyReport report = apply(web(B));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly("rebuild web: converged (staged; swapped in; started; released)");
    assertThat(host.calls)
        .containsExactly(
            "stage web",
            "write " + HostPaths.dropIn("web"),
            "daemon-reload",
            "stop " + UNIT,
            "swap-in web",
            "start " + UNIT,
            "release-previous web",
            "delete cached image aaaa");
    assertThat(host.roots).containsExactly(Map.entry(HostPaths.stateDir("web"), B));
    assertThat(host.cachedImages).containsExactly(B);
    assertThat(host.inventory.get("web").orElseThrow().pending()).isNull();
    assertThat(apply(web(B)).results())
        .extracting(ContainerResult::line)
        .containsExactly("none web: converged (up to date)");
    assertThat(host.calls).isEmpty();
  }

  @Test
  void aContainerMeantToBeStoppedGetsTheNewRootAndStaysStopped() throws IOException {
    apply(web(A));

    apply(web(B, "state: stopped"));

    assertThat(host.calls)
        .containsSubsequence("stage web", "stop " + UNIT, "swap-in web", "release-previous web")
        .doesNotContain("start " + UNIT);
    assertThat(host.units.get(UNIT).isActive()).isFalse();
    assertThat(host.roots).containsExactly(Map.entry(HostPaths.stateDir("web"), B));
  }

  @Test
  void aNewRootThatDoesNotStartKeepsThePreviousAndIsFinishedByTheNextPass() throws IOException {
    apply(web(A));
    host.failingStarts.add(UNIT);

    ApplyReport failed = apply(web(B));

    assertThat(failed.converged()).isFalse();
    assertThat(host.calls).doesNotContain("release-previous web");
    assertThat(host.roots)
        .containsEntry(HostPaths.stateDir("web"), B)
        .containsEntry(HostPaths.previousRoot("web"), A);
    assertThat(host.cachedImages).as("the previous root holds A").containsExactly(A, B);
    assertThat(host.inventory.get("web").orElseThrow().pending()).isEqualTo(ActionClass.REBUILD);

    host.failingStarts.clear();
    ApplyReport again = apply(web(B));

    assertThat(again.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "rebuild web: converged (the root holds it already; no staged root; started (it was"
                + " failed/failed, stopped outside berth); released)");
    assertThat(host.roots).containsExactly(Map.entry(HostPaths.stateDir("web"), B));
    assertThat(host.cachedImages).containsExactly(B);
  }

  @Test
  void theSameTarballFromANewUrlChangesNothing() throws IOException {
    apply(web(A));

    ApplyReport report = apply(container("web").tarball("https://mirror.test/a.tar", A));

    assertThat(report.results())
        .extracting(ContainerResult::action)
        .containsExactly(ActionClass.NONE);
    assertThat(host.calls).isEmpty();
  }

  @Test
  void aDropInFromBeforeImageRecordsIsRewrittenWithoutTouchingTheContainer() throws IOException {
    apply(web(A));
    String dropIn = HostPaths.dropIn("web");
    String current = host.files.get(dropIn);
    String body = current.substring(current.indexOf('\n', current.indexOf("# berth-sha256")) + 1);
    host.files.put(
        dropIn,
        Marker.wrap("Container web", body.substring(0, body.indexOf("\n[X-Berth]")) + "\n"));

    ApplyReport report = apply(web(A));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly("write web: converged (files written; the container is left alone)");
    assertThat(host.calls).containsExactly("write " + dropIn, "daemon-reload");
    assertThat(host.files.get(dropIn)).isEqualTo(current);
    assertThat(host.inventory.get("web").orElseThrow().pending()).isNull();
  }
}
