package dev.berth.reconciler.load;

import dev.berth.reconciler.manifest.ManifestSet;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Credential;
import dev.berth.reconciler.source.ManifestTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each sealed credential of a valid set the text of its {@code encryptedFile}, as the
 * validator read and checked it: from here on the containers carry what berth installs.
 */
final class SealedCiphertexts {
  private SealedCiphertexts() {}

  static ManifestSet attach(ManifestSet set, ManifestTree tree) throws IOException {
    List<Sourced<Container>> containers = new ArrayList<>(set.containers().size());
    for (Sourced<Container> sourced : set.containers()) {
      Container container = sourced.value();
      if (container.spec().credentials().stream().noneMatch(Credential::sealed)) {
        containers.add(sourced);
        continue;
      }
      List<Credential> credentials = new ArrayList<>();
      for (Credential credential : container.spec().credentials()) {
        credentials.add(
            credential.sealed()
                ? credential.withCiphertext(text(tree, credential.encryptedFile()))
                : credential);
      }
      containers.add(
          new Sourced<>(
              new Container(container.metadata(), container.spec().withCredentials(credentials)),
              sourced.document()));
    }
    return new ManifestSet(containers, set.zones(), set.sourcedRollout());
  }

  private static String text(ManifestTree tree, String path) throws IOException {
    byte[] content =
        tree.read(path, Credential.MAX_ENCRYPTED_FILE_BYTES)
            .orElseThrow(() -> new IOException(path + " grew past its limit while it was read"));
    return new String(content, StandardCharsets.US_ASCII);
  }
}
