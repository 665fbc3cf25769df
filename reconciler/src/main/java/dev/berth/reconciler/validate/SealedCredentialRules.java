package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.Credential;
import dev.berth.reconciler.parse.FieldPath;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of a sealed credential's {@code encryptedFile}: a regular file inside the repository
 * (no symlink out of it), small, and holding what {@code systemd-creds encrypt} writes, Base64
 * text. Whether this host can decrypt it is checked on the host, before the container changes.
 */
final class SealedCredentialRules {
  /** All the blobs of one revision together, so that they cannot exhaust the agent's heap. */
  static final long MAX_TOTAL_BYTES = 4L << 20;

  private static final FieldPath CREDENTIALS = FieldPath.of("spec", "credentials");

  private final ManifestTree tree;
  private final Map<String, Integer> sizes = new HashMap<>();
  private long total;

  SealedCredentialRules(ManifestTree tree) {
    this.tree = tree;
  }

  void check(ContainerSpec spec, DocumentFindings findings) {
    for (int i = 0; i < spec.credentials().size(); i++) {
      Credential credential = spec.credentials().get(i);
      if (credential.sealed() && credential.path() == null) {
        FieldPath at = CREDENTIALS.item(i).field("encryptedFile");
        String file = credential.encryptedFile();
        String reason = PathRules.relative(file);
        findings.errorIfAny(at, reason == null ? contentRefusal(file) : reason);
      }
    }
  }

  /** Why the file cannot be a sealed credential, or null when it can. */
  private String contentRefusal(String file) {
    PathKind kind = kindOf(file);
    switch (kind) {
      case OUTSIDE:
        return "\"" + file + "\" leads outside the repository (through a symlink)";
      case MISSING:
        return "\""
            + file
            + "\" does not exist in the repository; commit the output of berth seal there";
      case DIRECTORY:
        return "\"" + file + "\" is a directory; name the file berth seal wrote";
      case FILE:
        break;
    }
    Optional<byte[]> content = read(file);
    if (content.isEmpty()) {
      return "\""
          + file
          + "\" is larger than "
          + (Credential.MAX_ENCRYPTED_FILE_BYTES >> 10)
          + " KiB, the limit for a sealed credential";
    }
    if (sizes.put(file, content.get().length) == null) {
      total += content.get().length;
      if (total > MAX_TOTAL_BYTES) {
        return "the sealed credentials of this revision hold more than "
            + (MAX_TOTAL_BYTES >> 20)
            + " MiB together; keep fewer or smaller ones";
      }
    }
    return SealedBlob.isCiphertext(content.get())
        ? null
        : "\""
            + file
            + "\" is not the output of systemd-creds encrypt (Base64 text); seal the secret with"
            + " berth seal, and never commit it in the clear";
  }

  private PathKind kindOf(String path) {
    try {
      return tree.kindOf(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<byte[]> read(String path) {
    try {
      return tree.read(path, Credential.MAX_ENCRYPTED_FILE_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
