package dev.berth.reconciler.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.diag.Mark;
import dev.berth.reconciler.source.ManifestFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldPathTest {
  @Test
  void readsAsUsersWriteIt() {
    FieldPath port = FieldPath.of("spec", "network", "forwardPorts").item(0).field("hostPort");

    assertThat(port).hasToString("spec.network.forwardPorts[0].hostPort");
    assertThat(FieldPath.of("spec", "dependsOn", 2)).hasToString("spec.dependsOn[2]");
    assertThat(FieldPath.ROOT).hasToString("");
    assertThat(FieldPath.ROOT.isRoot()).isTrue();
  }

  @Test
  void marksTheNodeItNames() {
    YamlDocument document =
        new YamlReader()
            .read(
                new ManifestFile(
                    "m.yaml",
                    "spec:\n  ports:\n    - host: 80\n    - host: 81\n"
                        .getBytes(StandardCharsets.UTF_8)),
                new Diagnostics())
            .get(0);
    FieldPath host = FieldPath.of("spec", "ports").item(1).field("host");

    assertThat(document.mark(host)).isEqualTo(new Mark(4, 13));
    assertThat(document.keyMark(host)).isEqualTo(new Mark(4, 7));
  }

  @Test
  void aWalkMayGoOnChangingTheListItWasMadeOf() {
    List<Object> walk = new ArrayList<>(List.of("metadata", "labels"));
    FieldPath labels = FieldPath.of(walk);

    walk.add("team");

    assertThat(labels).hasToString("metadata.labels");
    assertThat(labels).isEqualTo(FieldPath.of("metadata", "labels"));
  }

  @Test
  void segmentsAreFieldNamesOrIndices() {
    assertThatThrownBy(() -> FieldPath.of("spec", 1L)).isInstanceOf(IllegalArgumentException.class);
  }
}
