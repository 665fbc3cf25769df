package dev.berth.agent.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.lib.SignatureVerifier.SignatureVerification;
import org.eclipse.jgit.signing.ssh.SshSignatureVerifierFactory;

/**
 * Verifies SSH commit signatures (git's {@code gpg.format=ssh}) with JGit, against an
 * allowed_signers file that berth writes from the allowed keys.
 */
final class SshSignatureCheck {
  private final List<String> allowedSigners;
  private final Path directory;
  private final SignatureVerifier verifier = new SshSignatureVerifierFactory().create();
  private GpgConfig config;

  SshSignatureCheck(AllowedKeys allowed, Path directory) {
    this.allowedSigners = allowed.allowedSigners();
    this.directory = directory;
  }

  /** Returns who signed {@code data}, or says why the signature is refused. */
  String verify(Repository repository, byte[] data, byte[] signature) throws SignatureRefusal {
    if (allowedSigners.isEmpty()) {
      throw new SignatureRefusal(
          "the commit has an SSH signature, but source.verify.allowedKeys has no SSH key");
    }
    SignatureVerification result;
    try {
      result = verifier.verify(repository, config(), data, signature);
    } catch (IOException | RuntimeException e) {
      throw new SignatureRefusal("cannot verify the SSH signature: " + Failures.describe(e));
    }
    if (result == null || !result.verified()) {
      String why = result == null || result.message() == null ? "not verified" : result.message();
      String key =
          result == null || result.keyFingerprint() == null
              ? ""
              : " by SSH key " + result.keyFingerprint();
      throw new SignatureRefusal(
          "SSH signature"
              + key
              + " refused: "
              + Failures.oneLine(why)
              + " (allowed keys are in source.verify.allowedKeys)");
    }
    return "SSH " + result.keyFingerprint();
  }

  // The file is named by its content: JGit caches allowed_signers files by path and mtime.
  private GpgConfig config() throws IOException {
    if (config == null) {
      String content = String.join("\n", allowedSigners) + "\n";
      Path file = directory.resolve("allowed_signers-" + digest(content));
      if (!Files.exists(file)) {
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "allowed_signers", ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      Config git = new Config();
      git.setString("gpg", "ssh", "allowedSignersFile", file.toAbsolutePath().toString());
      config = new GpgConfig(git);
    }
    return config;
  }

  private static String digest(String content) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
