package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.BindMount;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.Credential;
import dev.berth.reconciler.parse.FieldPath;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules of what the host lends a container, bind mounts and credentials: plain absolute paths
 * that nspawn can take as they are; a credential comes from exactly one of a host file and a sealed
 * file in the repository ({@link SealedCredentialRules} checks that file).
 */
final class MountRules {
  private static final FieldPath BIND_MOUNTS = FieldPath.of("spec", "bindMounts");
  private static final FieldPath CREDENTIALS = FieldPath.of("spec", "credentials");

  private MountRules() {}

  static void check(ContainerSpec spec, DocumentFindings findings) {
    for (int i = 0; i < spec.bindMounts().size(); i++) {
      BindMount mount = spec.bindMounts().get(i);
      FieldPath at = BIND_MOUNTS.item(i);
      findings.errorIfAny(at.field("hostPath"), PathRules.absolute(mount.hostPath()));
      FieldPath containerPath = at.field("containerPath");
      if (findings.written(containerPath)) {
        findings.errorIfAny(containerPath, PathRules.absolute(mount.containerPath()));
      }
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < spec.credentials().size(); i++) {
      Credential credential = spec.credentials().get(i);
      FieldPath at = CREDENTIALS.item(i);
      if (!ids.add(credential.id())) {
        findings.error(at.field("id"), "\"" + credential.id() + "\" is given twice");
      }
      findings.errorIfAny(
          at.field("id"), Credential.idRefusal(credential.id(), credential.sealed()));
      if (credential.path() != null && credential.sealed()) {
        findings.error(
            at,
            at.field("encryptedFile"),
            "give either path (a file on the host) or encryptedFile (sealed, in the repository),"
                + " not both");
      } else if (credential.path() == null && !credential.sealed()) {
        findings.error(
            at,
            "needs path (a file on the host) or encryptedFile (sealed with berth seal, in the"
                + " repository)");
      } else if (credential.path() != null) {
        findings.errorIfAny(at.field("path"), PathRules.absolute(credential.path()));
      }
    }
  }
}
