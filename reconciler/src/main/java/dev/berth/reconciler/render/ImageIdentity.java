package dev.berth.reconciler.render;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Image;
import java.util.List;
import java.util.Optional;

/**
 * The identity of the image a container's root was unpacked from, as its drop-in records it: {@code
 * [X-Berth]} {@code Image=tarball sha256:HEX}, a section systemd skips without a warning (its
 * config parser ignores unknown sections whose name starts with {@code X-}). Only the sha256 names
 * the content: a tarball served from a new URL is the same image and changes nothing. Put in a
 * rendered file, an image change reaches the file planner, {@code berth plan --root} included.
 * Directory and NixOS images have none: their root is the user's tree or built from the store.
 */
public final class ImageIdentity {
  public static final String SECTION = "X-Berth";
  public static final String KEY = "Image";

  /** The setting as the file planner names it ({@code Section.Key}). */
  public static final String SETTING = SECTION + "." + KEY;

  private static final String TARBALL_PREFIX = "tarball sha256:";

  private ImageIdentity() {}

  /** The value the drop-in records for {@code container}'s image, if its root is unpacked. */
  public static Optional<String> of(Container container) {
    Image.TarballImage tarball = container.spec().image().tarball();
    return tarball == null ? Optional.empty() : Optional.of(TARBALL_PREFIX + tarball.sha256());
  }

  /** The recorded value in a unit file's text, if any. */
  public static Optional<String> in(String unitFileText) {
    List<String> values = UnitFile.parse(unitFileText).values(SECTION, KEY);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }

  /** A recorded value in a few words: {@code sha256 0123456789ab…}. */
  public static String describe(String value) {
    if (!value.startsWith(TARBALL_PREFIX)) {
      return value;
    }
    return sha256(value.substring(TARBALL_PREFIX.length()));
  }

  /** A tarball's sha256 in a few words: {@code sha256 0123456789ab…}. */
  public static String sha256(String hex) {
    return "sha256 " + (hex.length() > 12 ? hex.substring(0, 12) + "…" : hex);
  }
}
