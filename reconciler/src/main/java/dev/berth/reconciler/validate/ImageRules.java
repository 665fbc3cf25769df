package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.Image;
import dev.berth.reconciler.parse.FieldPath;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The rules of {@code spec.image}: a NixOS file that is in the repository, a plain host path. */
final class ImageRules {
  private static final FieldPath NIXOS_FILE = FieldPath.of("spec", "image", "nixos", "file");
  private static final FieldPath DIRECTORY_PATH =
      FieldPath.of("spec", "image", "directory", "path");

  private final ManifestTree tree;

  ImageRules(ManifestTree tree) {
    this.tree = tree;
  }

  void check(Image image, DocumentFindings findings) {
    if (image.nixos() != null) {
      String file = image.nixos().file();
      String reason = PathRules.relative(file);
      if (reason != null) {
        findings.error(NIXOS_FILE, reason);
        return;
      }
      findings.errorIfAny(
          NIXOS_FILE,
          switch (kindOf(file)) {
            case FILE -> null;
            case OUTSIDE -> "\"" + file + "\" leads outside the repository (through a symlink)";
            case MISSING -> "\"" + file + "\" does not exist in the repository";
            case DIRECTORY -> "\"" + file + "\" is a directory; name the Nix file";
          });
    }
    if (image.directory() != null) {
      findings.errorIfAny(DIRECTORY_PATH, PathRules.absolute(image.directory().path()));
    }
  }

  private PathKind kindOf(String path) {
    try {
      return tree.kindOf(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
