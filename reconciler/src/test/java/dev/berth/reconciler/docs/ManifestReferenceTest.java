package dev.berth.reconciler.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/manifest-reference.md is generated from the CRDs; this test regenerates it in memory and
 * fails when the committed file differs. With -Dberth.updateReference=true it writes the file.
 */
class ManifestReferenceTest {
  private static final Path FILE = Path.of("..", "docs", "manifest-reference.md");

  @Test
  void theCommittedReferenceIsTheGeneratedOne() throws IOException {
    String generated = new ManifestReference().render();
    if (Boolean.getBoolean("berth.updateReference")) {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "";

    assertThat(committed)
        .as("docs/manifest-reference.md is stale; run " + ManifestReference.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void everyFieldIsDescribed() {
    assertThat(new ManifestReference().undescribed())
        .as("fields of crd-schemas/*.yaml without a description")
        .isEmpty();
  }

  @Test
  void rowsCarryTypeRequirednessAndAllowedValues() {
    String reference = new ManifestReference().render();

    assertThat(reference)
        .contains("## Container")
        .contains("## Zone")
        .contains("## Rollout")
        .contains("| `spec.windows[].actions` | list of string; each one of `create`, `rebuild`,")
        .contains("## AgentConfig")
        .contains("| `spec.image` | object; exactly one field | yes |")
        .contains("| `spec.state` | string; one of `running`, `stopped` |  |")
        .contains("| `spec.network.resolvConf` | string; one of `off`, `copy-host`,")
        .contains("| `spec.placement.selector.matchExpressions[].operator` | string; one of `In`,")
        .contains("| `metadata.name` | string; not empty | yes |")
        .contains("| `source.url` | string; not empty |  |")
        .contains("| `source.urls` | list of string; at least 1 item |  |");
  }
}
