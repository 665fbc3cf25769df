package dev.berth.reconciler.apply;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Image;

/** A container's image in a few words, for {@code berth list}. */
final class ImageLabel {
  private ImageLabel() {}

  static String of(Container container) {
    Image image = container.spec().image();
    if (image.tarball() != null) {
      return "tarball " + image.tarball().url();
    }
    if (image.directory() != null) {
      return "directory " + image.directory().path();
    }
    String attr = image.nixos().attr();
    return "nixos " + image.nixos().file() + (attr == null ? "" : "#" + attr);
  }
}
