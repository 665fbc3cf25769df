package dev.berth.reconciler.apply;

import static dev.berth.reconciler.testing.ContainerYaml.HOST;
import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.PlannedAction;
import dev.berth.reconciler.plan.Planner;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.testing.ContainerYaml;
import dev.berth.reconciler.testing.Findings;
import dev.berth.reconciler.testing.InMemoryTree;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sealed credentials from render to apply: the blob is installed as it is in berth's directory for
 * it, the unit decrypts it and passes it on, a changed blob restarts the container, a blob this
 * host cannot decrypt fails the container before anything of it changes, and removal takes the
 * blobs along.
 */
class SealedCredentialsTest {
  private static final String INSTALLED = "var/lib/berth/credentials/web/db-password.cred";
  private static final String DROP_IN =
      "etc/systemd/system/systemd-nspawn@web.service.d/50-berth.conf";

  private final FakeHost host = new FakeHost();

  private static String blob(int seed) {
    byte[] raw = new byte[90];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (i * seed + 3);
    }
    return Base64.getEncoder().encodeToString(raw) + "\n";
  }

  private static final String BLOB_1 = blob(7);
  private static final String BLOB_2 = blob(11);

  private static ContainerYaml web(String... more) {
    return container("web")
        .spec("credentials:", "  - id: db-password", "    encryptedFile: secrets/db.cred")
        .spec(more);
  }

  private static LoadResult load(String blob, Object... documents) {
    InMemoryTree tree = InMemoryTree.of("m.yaml", ContainerYaml.docs(documents));
    tree.put("secrets/db.cred", blob);
    LoadResult loaded = Findings.loadFor(tree, HOST.name());
    assertThat(loaded.valid()).as(loaded.diagnostics().toString()).isTrue();
    return loaded;
  }

  private static HostRendering render(LoadResult loaded) {
    return new HostRenderer()
        .render(
            loaded.manifests().containersOn(HOST),
            loaded.manifests().zonesOn(HOST),
            SystemBuilds.NONE);
  }

  private ApplyReport apply(String blob, Object... documents) throws IOException {
    LoadResult loaded = load(blob, documents);
    var containers = loaded.manifests().containersOn(HOST);
    host.calls.clear();
    return new HostPass(host.runtime(), host, host, host, 4)
        .apply(
            HostPass.Desired.of(HOST.name(), containers, render(loaded)),
            PassPolicy.APPLY_ALL,
            ApplyListener.NONE);
  }

  private PlannedAction plan(String blob, Object... documents) throws IOException {
    LoadResult loaded = load(blob, documents);
    return new Planner()
        .plan(HOST.name(), loaded.manifests().containersOn(HOST), render(loaded), host)
        .actions()
        .get(0);
  }

  /** A file's text below berth's two header lines. */
  private static String body(String text) {
    return text.substring(text.indexOf('\n', text.indexOf('\n') + 1) + 1);
  }

  @Test
  void theDropInDecryptsTheBlobForTheUnitAndPassesItIntoTheContainer() {
    HostRendering rendering = render(load(BLOB_1, web()));

    HostFile dropIn =
        rendering.allFiles().stream().filter(f -> f.path().equals(DROP_IN)).findFirst().get();
    assertThat(body(dropIn.content()))
        .isEqualTo(
            "[Service]\n"
                + "ExecReload=\n"
                + "ExecReload=machinectl kill --kill-whom=leader --signal=SIGHUP %i\n"
                + "LoadCredentialEncrypted=db-password:/"
                + INSTALLED
                + "\n"
                + "ExecStart=\n"
                + "ExecStart=systemd-nspawn --quiet --keep-unit --boot --link-journal=try-guest"
                + " --network-veth -U --settings=override --machine=%i"
                + " --load-credential=db-password:%d/db-password\n"
                + "\n"
                + "[X-Berth]\n"
                + "Image=tarball sha256:"
                + ContainerYaml.TARBALL_SHA256
                + "\n");
    assertThat(rendering.containers().get(0).credentials())
        .containsOnlyKeys("db-password")
        .containsEntry("db-password", new HostFile(INSTALLED, BLOB_1));
  }

  @Test
  void aCreatedContainerGetsItsBlobAsCommittedAfterTheHostDecryptedIt() throws IOException {
    ApplyReport report = apply(BLOB_1, web());

    assertThat(report.converged()).isTrue();
    assertThat(host.files).containsEntry(INSTALLED, BLOB_1);
    assertThat(host.calls)
        .containsSubsequence(
            "decrypt db-password", "write " + INSTALLED, "start systemd-nspawn@web.service");
  }

  @Test
  void anUnchangedBlobIsUpToDateAndNotTriedAgain() throws IOException {
    apply(BLOB_1, web());

    ApplyReport report = apply(BLOB_1, web());

    assertThat(report.results())
        .extracting(ContainerResult::action)
        .containsExactly(ActionClass.NONE);
    assertThat(host.calls).isEmpty();
  }

  @Test
  void aChangedBlobIsARestart() throws IOException {
    apply(BLOB_1, web());

    PlannedAction planned = plan(BLOB_2, web());
    ApplyReport report = apply(BLOB_2, web());

    assertThat(planned.action()).isEqualTo(ActionClass.RESTART);
    assertThat(planned.reason()).isEqualTo("changed sealed credential db-password");
    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly("restart web: converged (restarted)");
    assertThat(host.files).containsEntry(INSTALLED, BLOB_2);
  }

  @Test
  void aChangedBlobWithStrategyNoneIsWrittenWithoutARestart() throws IOException {
    apply(BLOB_1, web("activation:", "  strategy: none"));

    assertThat(plan(BLOB_2, web("activation:", "  strategy: none")).action())
        .isEqualTo(ActionClass.WRITE);
  }

  @Test
  void aDroppedCredentialIsARestartAndItsBlobGoes() throws IOException {
    apply(BLOB_1, web());

    PlannedAction planned = plan(BLOB_1, container("web"));
    ApplyReport report = apply(BLOB_1, container("web"));

    assertThat(planned.action()).isEqualTo(ActionClass.RESTART);
    assertThat(planned.reason()).contains("/" + INSTALLED + " no longer needed");
    assertThat(report.converged()).isTrue();
    assertThat(host.files).doesNotContainKey(INSTALLED);
  }

  @Test
  void aBlobThisHostCannotDecryptFailsTheContainerBeforeAnythingOfItChanges() throws IOException {
    apply(BLOB_1, web());
    String dropIn = host.files.get(DROP_IN);
    host.undecryptable.put(BLOB_2, "Failed to decrypt credential: Bad message");

    ApplyReport report = apply(BLOB_2, web(), container("other"));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "create other: converged (unpacked; started)",
            "restart web: failed (this host cannot decrypt sealed credential db-password"
                + " (secrets/db.cred): Failed to decrypt credential: Bad message; seal it on this"
                + " host (berth seal --id db-password); the container is left as it was)");
    assertThat(host.files).containsEntry(INSTALLED, BLOB_1).containsEntry(DROP_IN, dropIn);
    assertThat(host.calls)
        .doesNotContain("restart systemd-nspawn@web.service", "write " + INSTALLED);
    assertThat(host.inventory.get("web").orElseThrow().pending()).isNull();
  }

  @Test
  void aNewContainerWhoseBlobCannotBeDecryptedIsNotCreated() throws IOException {
    host.undecryptable.put(BLOB_1, "Failed to decrypt credential: Bad message");

    ApplyReport report = apply(BLOB_1, web());

    assertThat(report.converged()).isFalse();
    assertThat(host.files).isEmpty();
    assertThat(host.inventory.containers()).isEmpty();
    assertThat(host.calls).containsExactly("decrypt db-password");
  }

  @Test
  void removalTakesTheContainersBlobsAlong() throws IOException {
    apply(BLOB_1, web(), container("other"));

    ApplyReport report = apply(BLOB_1, container("other"));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .anyMatch(line -> line.startsWith("remove web: converged"));
    assertThat(host.files.keySet())
        .noneMatch(path -> path.startsWith("var/lib/berth/credentials/web"));
    assertThat(List.copyOf(host.calls)).contains("delete-tree var/lib/berth/credentials/web");
  }
}
