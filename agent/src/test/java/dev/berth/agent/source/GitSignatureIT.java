package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.source.SourceSettings.Auth;
import dev.berth.agent.source.SourceSettings.Verify;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signature policy with real keys: OpenPGP keys made by GnuPG and SSH keys made by ssh-keygen,
 * commits signed by git itself.
 */
class GitSignatureIT {
  private static Path gnupgHome;
  private static Path keys;
  private static String allowedFingerprint;
  private static String otherFingerprint;
  private static Path keyring;

  @TempDir Path temp;
  private GitRepo remote;

  @BeforeAll
  static void makeKeys() throws IOException {
    requireTool("gpg", "gnupg");
    requireTool("ssh-keygen", "openssh-client");
    // A short path: gpg-agent's socket lives here and socket paths are limited to 108 bytes.
    gnupgHome =
        Files.createTempDirectory(
            Path.of("/tmp"),
            "gpg",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    keys = Files.createTempDirectory("berth-keys");
    allowedFingerprint = generateKey("Allowed Signer <allowed@berth.dev>");
    otherFingerprint = generateKey("Someone Else <other@berth.dev>");
    keyring = keys.resolve("keyring.gpg");
    gpg("--output", keyring.toString(), "--export", allowedFingerprint, otherFingerprint);
    sh(
        "ssh-keygen",
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        "allowed",
        "-f",
        keys.resolve("ssh-allowed").toString());
    sh(
        "ssh-keygen",
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        "other",
        "-f",
        keys.resolve("ssh-other").toString());
  }

  @AfterAll
  static void stopAgentAndRemoveKeys() throws IOException {
    if (gnupgHome != null) {
      GitRepo.run(
          Path.of("/"),
          Map.of("GNUPGHOME", gnupgHome.toString()),
          List.of("gpgconf", "--kill", "gpg-agent"));
      GitRepo.run(
          Path.of("/"), Map.of(), List.of("rm", "-rf", gnupgHome.toString(), keys.toString()));
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    remote = GitRepo.init(temp.resolve("manifests")).env("GNUPGHOME", gnupgHome.toString());
    remote.write("web.yaml", "a: 1\n");
  }

  @Test
  void aCommitSignedByAnAllowedOpenPgpKeyIsAccepted() throws Exception {
    String commit = remote.commit("signed", openPgpSigning(allowedFingerprint));
    try (GitSource source = source(List.of(allowedFingerprint))) {
      SourceRevision revision = source.poll();

      assertThat(revision.commit()).isEqualTo(commit);
      assertThat(revision.verifiedSigner())
          .contains(allowedFingerprint)
          .contains("allowed@berth.dev");
    }
  }

  @Test
  void aLongKeyIdWithSpacesAndPrefixIsAnAllowedKeyToo() throws Exception {
    remote.commit("signed", openPgpSigning(allowedFingerprint));
    String longId =
        "0x"
            + allowedFingerprint.substring(24, 32)
            + " "
            + allowedFingerprint.substring(32).toLowerCase();
    try (GitSource source = source(List.of(longId))) {
      assertThat(source.poll().verifiedSigner()).contains(allowedFingerprint);
    }
  }

  @Test
  void anUnsignedCommitIsRefusedAndTheNextSignedOneAccepted() throws Exception {
    String unsigned = remote.commit("unsigned");
    try (GitSource source = source(List.of(allowedFingerprint))) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);
      assertThat(failure.reason()).isEqualTo(Reason.SIGNATURE_REFUSED);
      assertThat(failure.revision()).isEqualTo(unsigned);
      assertThat(failure.getMessage()).contains("not signed");
      // Refused again, not remembered as good, on every poll while the branch stays there.
      assertThat(catchThrowableOfType(source::poll, SourceFailure.class).reason())
          .isEqualTo(Reason.SIGNATURE_REFUSED);

      String signed =
          remote.write("web.yaml", "a: 2\n").commit("signed", openPgpSigning(allowedFingerprint));
      assertThat(source.poll().commit()).isEqualTo(signed);
    }
  }

  @Test
  void aCommitSignedByAKeyThatIsNotAllowedIsRefused() throws Exception {
    String commit = remote.commit("signed by other", openPgpSigning(otherFingerprint));
    try (GitSource source = source(List.of(allowedFingerprint))) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.SIGNATURE_REFUSED);
      assertThat(failure.revision()).isEqualTo(commit);
      assertThat(failure.getMessage())
          .contains(otherFingerprint)
          .contains("not in")
          .contains("allowedKeys")
          .doesNotContain("\n");
    }
  }

  @Test
  void aCommitSignedByAKeyMissingFromTheKeyringIsRefused() throws Exception {
    remote.commit("signed", openPgpSigning(allowedFingerprint));
    Path otherOnly = temp.resolve("other-only.gpg");
    gpg("--output", otherOnly.toString(), "--export", otherFingerprint);
    try (GitSource source = source(otherOnly, List.of(allowedFingerprint))) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.SIGNATURE_REFUSED);
      assertThat(failure.getMessage()).contains("not in the keyring");
    }
  }

  @Test
  void anArmoredKeyringWorks() throws Exception {
    remote.commit("signed", openPgpSigning(allowedFingerprint));
    Path armored = temp.resolve("keyring.asc");
    Files.writeString(armored, gpg("--armor", "--export", allowedFingerprint));
    try (GitSource source = source(armored, List.of(allowedFingerprint))) {
      assertThat(source.poll().verifiedSigner()).contains(allowedFingerprint);
    }
  }

  @Test
  void aCommitChangedAfterSigningIsRefused() throws Exception {
    String signed = remote.commit("the signed message", openPgpSigning(allowedFingerprint));
    String raw = remote.git("cat-file", "commit", signed);
    Path forged = temp.resolve("forged-commit");
    Files.writeString(forged, raw.replace("the signed message", "a forged message"));
    String forgery = remote.git("hash-object", "-t", "commit", "-w", forged.toString()).trim();
    remote.git("update-ref", "refs/heads/main", forgery);
    try (GitSource source = source(List.of(allowedFingerprint))) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.SIGNATURE_REFUSED);
      assertThat(failure.revision()).isEqualTo(forgery);
      assertThat(failure.getMessage()).contains("bad OpenPGP signature");
    }
  }

  @Test
  void anUnreadableKeyringRefusesEveryCommit() throws Exception {
    remote.commit("signed", openPgpSigning(allowedFingerprint));
    Path garbage = temp.resolve("garbage.gpg");
    Files.writeString(garbage, "not a keyring");
    try (GitSource missing = source(temp.resolve("missing.gpg"), List.of(allowedFingerprint));
        GitSource broken = source(garbage, List.of(allowedFingerprint))) {
      SourceFailure noFile = catchThrowableOfType(missing::poll, SourceFailure.class);
      SourceFailure noKeys = catchThrowableOfType(broken::poll, SourceFailure.class);

      assertThat(noFile.reason()).isEqualTo(Reason.SIGNATURE_REFUSED);
      assertThat(noFile.getMessage()).contains("cannot read the keyring");
      assertThat(noKeys.reason()).isEqualTo(Reason.SIGNATURE_REFUSED);
      assertThat(noKeys.getMessage()).contains("keyring");
    }
  }

  @Test
  void aCommitSignedByAnAllowedSshKeyIsAccepted() throws Exception {
    String commit = remote.commit("ssh signed", sshSigning("ssh-allowed"));
    try (GitSource source = source(List.of(publicKey("ssh-allowed")))) {
      SourceRevision revision = source.poll();

      assertThat(revision.commit()).isEqualTo(commit);
      assertThat(revision.verifiedSigner()).startsWith("SSH SHA256:");
    }
  }

  @Test
  void aCommitSignedByAnSshKeyThatIsNotAllowedIsRefused() throws Exception {
    remote.commit("ssh signed", sshSigning("ssh-other"));
    try (GitSource source = source(List.of(publicKey("ssh-allowed"), allowedFingerprint))) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.SIGNATURE_REFUSED);
      assertThat(failure.getMessage()).contains("SSH").doesNotContain("\n");
    }
  }

  @Test
  void anAllowedSignersLineIsAnAllowedKey() throws Exception {
    remote.commit("ssh signed", sshSigning("ssh-allowed"));
    try (GitSource source = source(List.of("ops@berth.dev " + publicKey("ssh-allowed")))) {
      assertThat(source.poll().verifiedSigner()).startsWith("SSH ");
    }
  }

  private GitSource source(List<String> allowedKeys) {
    return source(keyring, allowedKeys);
  }

  private GitSource source(Path keyringFile, List<String> allowedKeys) {
    return new GitSource(
        new SourceSettings(
            remote.url(),
            GitSourceIT.branch("main"),
            null,
            Duration.ofSeconds(10),
            Auth.NONE,
            new Verify(keyringFile, allowedKeys)),
        temp.resolve("cache"));
  }

  private static String[] openPgpSigning(String fingerprint) {
    return new String[] {
      "-c",
      "gpg.program=gpg",
      "-c",
      "gpg.format=openpgp",
      "-c",
      "user.signingkey=" + fingerprint,
      "-c",
      "commit.gpgsign=true"
    };
  }

  private static String[] sshSigning(String key) {
    return new String[] {
      "-c",
      "gpg.format=ssh",
      "-c",
      "user.signingkey=" + keys.resolve(key + ".pub"),
      "-c",
      "commit.gpgsign=true"
    };
  }

  private static String publicKey(String key) throws IOException {
    return Files.readString(keys.resolve(key + ".pub")).trim();
  }

  private static String generateKey(String userId) throws IOException {
    gpg(
        "--batch",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--quick-generate-key",
        userId,
        "ed25519",
        "sign",
        "never");
    String email = userId.substring(userId.indexOf('<') + 1, userId.indexOf('>'));
    for (String line : gpg("--batch", "--with-colons", "--list-keys", email).split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new IOException("gpg made no key for " + userId);
  }

  private static String gpg(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("gpg", "--quiet"));
    command.addAll(List.of(args));
    return GitRepo.run(Path.of("/"), Map.of("GNUPGHOME", gnupgHome.toString()), command);
  }

  private static void sh(String... command) throws IOException {
    GitRepo.run(Path.of("/"), Map.of(), List.of(command));
  }

  private static void requireTool(String tool, String debianPackage) {
    try {
      GitRepo.run(Path.of("/"), Map.of(), List.of("sh", "-c", "command -v " + tool));
    } catch (IOException e) {
      fail(
          tool
              + " is missing: these tests sign commits with real keys. Install it with "
              + "`apt-get install "
              + debianPackage
              + "` (bin/install-test-deps does it).");
    }
  }
}
