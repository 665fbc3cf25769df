package dev.berth.reconciler.apply;

import dev.berth.reconciler.host.CredentialCheck;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Credential;
import dev.berth.reconciler.pass.ContainerDecision;
import dev.berth.reconciler.pass.UnitStep;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.util.Optional;

/**
 * Tries, before a container's files change, that this host can decrypt the sealed credentials its
 * unit will read: one sealed for another host (or with a key this host lost) fails the container
 * here, and the running generation keeps its files and its processes. A blob is tried when it is
 * new to the host, and every blob when the unit is to (re)start.
 */
final class CredentialGate {
  private final CredentialCheck check;
  private final HostFiles files;

  CredentialGate(CredentialCheck check, HostFiles files) {
    this.check = check;
    this.files = files;
  }

  /** Why the container must not change now, if a credential of it cannot be decrypted here. */
  Optional<String> refusal(ContainerDecision decision, Container container) throws IOException {
    UnitStep.Op op = decision.step().op();
    boolean starts = op == UnitStep.Op.START || op == UnitStep.Op.RESTART;
    for (Credential credential : container.spec().credentials()) {
      if (!credential.sealed()) {
        continue;
      }
      String installed = HostPaths.credential(container.name(), credential.id());
      boolean changes = !files.read(installed).map(credential.ciphertext()::equals).orElse(false);
      if (!starts && !changes) {
        continue;
      }
      Optional<String> refusal = check.refusal(credential.id(), credential.ciphertext());
      if (refusal.isPresent()) {
        return Optional.of(
            "this host cannot decrypt sealed credential "
                + credential.id()
                + " ("
                + credential.encryptedFile()
                + "): "
                + refusal.get()
                + "; seal it on this host (berth seal --id "
                + credential.id()
                + "); the container is left as it was");
      }
    }
    return Optional.empty();
  }
}
