package dev.berth.reconciler.validate;

import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static dev.berth.reconciler.testing.Findings.loadAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Credential;
import dev.berth.reconciler.testing.ContainerYaml;
import dev.berth.reconciler.testing.InMemoryTree;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The encrypted form of {@code spec.credentials[]}: a sealed blob in the repository, checked where
 * the manifest names it, and carried by the loaded container.
 */
class SealedCredentialRulesTest {
  /** What systemd-creds encrypt writes: Base64 lines of a header and ciphertext. */
  static final String BLOB = sealedBlob(120);

  static String sealedBlob(int bytes) {
    byte[] raw = new byte[bytes];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (i * 31 + 7);
    }
    String base64 = java.util.Base64.getEncoder().encodeToString(raw);
    StringBuilder wrapped = new StringBuilder();
    for (int i = 0; i < base64.length(); i += 79) {
      wrapped.append(base64, i, Math.min(base64.length(), i + 79)).append('\n');
    }
    return wrapped.toString();
  }

  /** A container on host-a whose credentials start at line 11 ({@code credentials:}). */
  private static ContainerYaml web(String... credentialLines) {
    List<String> lines = new ArrayList<>(List.of("credentials:"));
    lines.addAll(List.of(credentialLines));
    return ContainerYaml.container("web")
        .onHosts("host-a")
        .directory("/srv/web")
        .spec(lines.toArray(String[]::new));
  }

  private static InMemoryTree tree(ContainerYaml manifest) {
    return InMemoryTree.of("m.yaml", manifest.toString())
        .put("secrets/db.cred", BLOB)
        .put("secrets/plain.txt", "hunter2\n")
        .put("secrets/big.cred", sealedBlob(60 << 10))
        .put("secrets/dir/x.cred", BLOB)
        .outside("secrets/escape.cred");
  }

  private static LoadResult load(String... credentialLines) {
    return loadAll(tree(web(credentialLines)));
  }

  @Test
  void aSealedFileInTheRepositoryIsValidAndItsTextIsCarriedByTheContainer() {
    LoadResult result = load("  - id: db", "    encryptedFile: secrets/db.cred");

    assertThat(result.diagnostics()).isEmpty();
    Credential credential =
        result.manifests().containers().get(0).value().spec().credentials().get(0);
    assertThat(credential.sealed()).isTrue();
    assertThat(credential.ciphertext()).isEqualTo(BLOB);
    assertThat(credential.toString()).doesNotContain(BLOB.substring(0, 20));
  }

  @Test
  void aManifestCannotGiveTheCiphertextItself() {
    LoadResult result =
        load("  - id: db", "    encryptedFile: secrets/db.cred", "    ciphertext: QUJD");

    assertFindings(
        result, at("m.yaml:14:7", "unknown field \"ciphertext\" in spec.credentials[0]"));
    assertThat(result.valid()).isFalse();
  }

  @Test
  void aPathWithDotDotIsRefused() {
    assertFindings(
        load("  - id: db", "    encryptedFile: secrets/../../etc/shadow"),
        at("m.yaml:13:22", "spec.credentials[0].encryptedFile: must not contain '..'"));
  }

  @Test
  void anAbsolutePathIsRefused() {
    assertFindings(
        load("  - id: db", "    encryptedFile: /etc/credstore.encrypted/db"),
        at(
            "m.yaml:13:22",
            "spec.credentials[0].encryptedFile: must be relative to the repository root, not"
                + " absolute"));
  }

  @Test
  void aSymlinkOutOfTheRepositoryIsRefused() {
    assertFindings(
        load("  - id: db", "    encryptedFile: secrets/escape.cred"),
        at(
            "m.yaml:13:22",
            "spec.credentials[0].encryptedFile: \"secrets/escape.cred\" leads outside the"
                + " repository"));
  }

  @Test
  void aMissingFileIsRefused() {
    assertFindings(
        load("  - id: db", "    encryptedFile: secrets/gone.cred"),
        at(
            "m.yaml:13:22",
            "spec.credentials[0].encryptedFile: \"secrets/gone.cred\" does not exist in the"
                + " repository; commit the output of berth seal there"));
  }

  @Test
  void aDirectoryIsRefused() {
    assertFindings(
        load("  - id: db", "    encryptedFile: secrets/dir"),
        at("m.yaml:13:22", "\"secrets/dir\" is a directory"));
  }

  @Test
  void aFileLargerThan64KibIsRefused() {
    assertFindings(
        load("  - id: db", "    encryptedFile: secrets/big.cred"),
        at(
            "m.yaml:13:22",
            "spec.credentials[0].encryptedFile: \"secrets/big.cred\" is larger than 64 KiB, the"
                + " limit for a sealed credential"));
  }

  @Test
  void aFileOfExactly64KibIsAccepted() {
    String blob = "A".repeat(Credential.MAX_ENCRYPTED_FILE_BYTES - 4) + "\n\n\n\n";
    InMemoryTree tree =
        tree(web("  - id: db", "    encryptedFile: secrets/edge.cred"))
            .put("secrets/edge.cred", blob);

    assertThat(blob).hasSize(Credential.MAX_ENCRYPTED_FILE_BYTES);
    assertThat(loadAll(tree).diagnostics()).isEmpty();
  }

  @Test
  void aSecretInTheClearIsRefused() {
    assertFindings(
        load("  - id: db", "    encryptedFile: secrets/plain.txt"),
        at(
            "m.yaml:13:22",
            "spec.credentials[0].encryptedFile: \"secrets/plain.txt\" is not the output of"
                + " systemd-creds encrypt (Base64 text); seal the secret with berth seal, and never"
                + " commit it in the clear"));
  }

  @Test
  void bothAHostPathAndASealedFileAreRefused() {
    assertFindings(
        load("  - id: db", "    path: /etc/db", "    encryptedFile: secrets/db.cred"),
        at(
            "m.yaml:14:22",
            "spec.credentials[0]: give either path (a file on the host) or encryptedFile (sealed,"
                + " in the repository), not both"));
  }

  @Test
  void neitherAHostPathNorASealedFileIsRefused() {
    LoadResult result = load("  - id: db");

    assertThat(result.valid()).isFalse();
    assertThat(result.diagnostics())
        .extracting(d -> d.message())
        .containsExactly(
            "spec.credentials[0]: needs path (a file on the host) or encryptedFile (sealed with"
                + " berth seal, in the repository)");
  }

  @Test
  void anIdGivenTwiceAndAnIdThatIsNoFileNameAreRefused() {
    assertFindings(
        load(
            "  - id: db",
            "    encryptedFile: secrets/db.cred",
            "  - id: db",
            "    path: /etc/db",
            "  - id: \"..\"",
            "    path: /etc/up"),
        at("m.yaml:14:11", "spec.credentials[1].id: \"db\" is given twice"),
        at("m.yaml:16:11", "spec.credentials[2].id: \"..\" is not a file name systemd takes"));
  }

  @Test
  void aSealedIdLongerThan250CharactersIsRefused() {
    String id = "k".repeat(251);

    assertFindings(
        load("  - id: " + id, "    encryptedFile: secrets/db.cred"),
        at("m.yaml:12:11", "spec.credentials[0].id: at most 250 characters for a sealed"));
  }

  @Test
  void theSealedFilesOfARevisionAreBoundedTogether() {
    List<String> lines = new ArrayList<>();
    InMemoryTree tree = InMemoryTree.of("x", "");
    // 80 blobs of about 55 KiB each: the first 75 are within 4 MiB together.
    for (int i = 0; i < 80; i++) {
      lines.add("  - id: c" + i);
      lines.add("    encryptedFile: secrets/c" + i + ".cred");
      tree.put("secrets/c" + i + ".cred", sealedBlob(40 << 10));
    }
    tree.put("m.yaml", web(lines.toArray(String[]::new)).toString());

    LoadResult result = loadAll(tree);

    assertThat(result.valid()).isFalse();
    assertThat(result.diagnostics())
        .extracting(d -> d.message())
        .hasSize(5)
        .first()
        .isEqualTo(
            "spec.credentials[75].encryptedFile: the sealed credentials of this revision hold more"
                + " than 4 MiB together; keep fewer or smaller ones");
  }
}
