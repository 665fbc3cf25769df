package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.agent.images.TestTarballs;
import dev.berth.agent.source.GitHttpBackend;
import dev.berth.agent.tls.TestCa;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca-file} reaches the download: a tarball on the JDK's HTTPS server on 127.0.0.1, whose
 * certificate a CA made by the test signed, is fetched by the image installer that berth apply and
 * create build ({@link LiveHost#images}, here for a root in a temporary directory, since the live
 * host needs root and D-Bus) from their parsed command line; without the option the server is
 * refused during the handshake.
 */
class CaFileImagesIT {
  @TempDir Path temp;

  private GitHttpBackend server;
  private Path caFile;
  private Path tarball;

  @BeforeEach
  void setUp() throws Exception {
    TestCa ca = TestCa.create("berth test CA");
    caFile = ca.writePem(temp.resolve("ca.pem"));
    server = GitHttpBackend.serveHttps(temp.resolve("served"), ca.serverContext(), null);
    tarball =
        TestTarballs.write(
            temp.resolve("base.tar"),
            new TreeMap<>(Map.of("etc/os-release", "ID=busybox\n", "marker", "from https\n")));
    server.serveFile("/images/base.tar", tarball);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theInstallerWithApplyCaFileFetchesTheHttpsTarball() throws Exception {
    ApplyCommand apply =
        CaFileOptionTest.parsed(new ApplyCommand(), "--ca-file=" + caFile, "manifests");
    apply.trust.check();

    String done = LiveHost.images(host(), apply.trust.file).install(container());

    assertThat(done).contains("unpacked 2 entries (sha256 checked)");
    assertThat(host().resolve("var/lib/machines/web/marker")).hasContent("from https\n");
    assertThat(host().resolve("var/lib/berth/images/" + TestTarballs.sha256(tarball) + ".tar"))
        .hasSameBinaryContentAs(tarball);
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void theInstallerWithCreateCaFileFetchesTheHttpsTarball() throws Exception {
    ImperativeCommands.Create create =
        CaFileOptionTest.parsed(
            new ImperativeCommands.Create(), "web", "-f", "web.yaml", "--ca-file", "" + caFile);

    String done = LiveHost.images(host(), create.caFile()).install(container());

    assertThat(done).contains("unpacked 2 entries (sha256 checked)");
    assertThat(host().resolve("var/lib/machines/web/marker")).hasContent("from https\n");
  }

  @Test
  void withoutCaFileTheServerIsRefusedBeforeAnyRequest() {
    ApplyCommand apply = CaFileOptionTest.parsed(new ApplyCommand(), "manifests");

    IOException refused =
        catchThrowableOfType(
            () -> LiveHost.images(host(), apply.trust.file).install(container()),
            IOException.class);

    assertThat(refused)
        .hasMessageStartingWith(
            "the TLS certificate of "
                + server.url("images/base.tar")
                + " is not issued by a CA this host trusts (")
        .hasMessageEndingWith("; if the server is yours, name its CA's PEM file in --ca-file");
    assertThat(host().resolve("var/lib/machines/web")).doesNotExist();
    assertThat(server.requests()).as("no request got past the TLS handshake").isZero();
  }

  private Path host() {
    return temp.resolve("host");
  }

  private Container container() throws Exception {
    return ContainerYaml.containers(
            ContainerYaml.container("web")
                .tarball(server.url("images/base.tar"), TestTarballs.sha256(tarball)))
        .get(0);
  }
}
