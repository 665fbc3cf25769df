package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.BindMount;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.Credential;
import dev.berth.reconciler.parse.FieldPath;
import java.util.regex.Pattern;

/**
 * The rules of what the host lends a container, bind mounts and credentials: plain absolute paths
 * that nspawn can take as they are.
 */
final class MountRules {
  private static final Pattern CREDENTIAL_ID = Pattern.compile("^[A-Za-z0-9_.-]{1,255}$");
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
    for (int i = 0; i < spec.credentials().size(); i++) {
      Credential credential = spec.credentials().get(i);
      FieldPath at = CREDENTIALS.item(i);
      if (!CREDENTIAL_ID.matcher(credential.id()).matches()) {
        findings.error(at.field("id"), "use letters, digits, '_', '.' and '-'");
      }
      findings.errorIfAny(at.field("path"), PathRules.absolute(credential.path()));
    }
  }
}
