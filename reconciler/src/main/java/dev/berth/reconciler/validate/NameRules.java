package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.InterfaceName;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.parse.FieldPath;
import java.util.List;

/**
 * The rules of names: a container's and a zone's own, which become interface names on the host, and
 * the container names that {@code spec.dependsOn} refers to.
 */
final class NameRules {
  private static final FieldPath NAME = FieldPath.of("metadata", "name");
  private static final FieldPath DEPENDS_ON = FieldPath.of("spec", "dependsOn");

  private NameRules() {}

  static void container(Container container, DocumentFindings findings) {
    String name = container.name();
    if (!Names.isDnsLabel(name) || name.length() > Names.MAX_CONTAINER_NAME) {
      findings.error(
          NAME,
          "\""
              + name
              + "\" is not a valid machine name: use at most "
              + Names.MAX_CONTAINER_NAME
              + " lowercase letters, digits and '-', starting and ending with a letter or digit");
    } else if (name.length() > Names.CONTAINER_NAME_WARNING) {
      findings.warning(
          NAME,
          "\""
              + name
              + "\" has "
              + name.length()
              + " characters; the host interface ve-"
              + name
              + (name.length() + 3 <= Names.MAX_IFNAME
                  ? " is at the "
                      + Names.MAX_IFNAME
                      + "-byte limit of interface names; one character more and"
                      + " systemd shortens it"
                  : " is longer than the "
                      + Names.MAX_IFNAME
                      + " bytes an interface name may have: systemd names it "
                      + InterfaceName.shortened("ve-" + name)
                      + " (systemd 250 and later; "
                      + InterfaceName.truncated("ve-" + name)
                      + " before), and berth's network file matches both"));
    }
    dependsOn(name, container.spec().dependsOn(), findings);
  }

  static void zone(Zone zone, DocumentFindings findings) {
    String name = zone.name();
    if (!Names.isDnsLabel(name) || name.length() > Names.MAX_ZONE_NAME) {
      findings.error(
          NAME,
          "\""
              + name
              + "\" is not a valid zone name: the bridge vz-"
              + name
              + " must fit in "
              + Names.MAX_IFNAME
              + " bytes, so use at most "
              + Names.MAX_ZONE_NAME
              + " lowercase letters, digits and '-'");
    }
  }

  private static void dependsOn(String name, List<String> targets, DocumentFindings findings) {
    for (int i = 0; i < targets.size(); i++) {
      String target = targets.get(i);
      if (!Names.isDnsLabel(target)) {
        findings.error(DEPENDS_ON.item(i), "\"" + target + "\" is not a container name");
      } else if (target.equals(name)) {
        findings.error(DEPENDS_ON.item(i), "a container cannot depend on itself");
      }
    }
  }
}
