package dev.berth.agent.nix;

import dev.berth.agent.source.SourceFiles;
import dev.berth.agent.source.SourceFiles.SourceFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a build's result depends on, as a sha256: the Nix file, the attribute, and every file of the
 * revision that is not a manifest. Manifests are left out so that changing a {@code Container}
 * document (or adding one) does not evaluate every NixOS system again; a Nix file that reads a YAML
 * file is the one case this misses.
 */
record BuildKey(String file, String attr, String digest) {

  static BuildKey of(String file, String attr, List<SourceFile> files) {
    MessageDigest sha256 = sha256();
    update(sha256, "file", file);
    update(sha256, "attr", attr == null ? "" : attr);
    for (SourceFile entry : files) {
      if (isManifest(entry.path())) {
        continue;
      }
      update(sha256, entry.kind().name(), entry.path());
      update(sha256, "id", entry.id());
    }
    return new BuildKey(file, attr, HexFormat.of().formatHex(sha256.digest()));
  }

  /** The YAML files berth reads as manifests (outside hidden directories). */
  static boolean isManifest(String path) {
    if (!(path.endsWith(".yaml") || path.endsWith(".yml"))) {
      return false;
    }
    for (String part : path.split("/")) {
      if (part.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  /** Short enough for file names and messages, long enough to stay unique. */
  String shortId() {
    return digest.substring(0, 16);
  }

  String describe() {
    return file + (attr == null ? "" : " (attribute " + attr + ")");
  }

  private static void update(MessageDigest digest, String label, String value) {
    byte[] bytes = (label + "=" + value).getBytes(StandardCharsets.UTF_8);
    digest.update((byte) (bytes.length >>> 24));
    digest.update((byte) (bytes.length >>> 16));
    digest.update((byte) (bytes.length >>> 8));
    digest.update((byte) bytes.length);
    digest.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static BuildKey of(String file, String attr, SourceFiles files) throws java.io.IOException {
    return of(file, attr, files.list());
  }
}
