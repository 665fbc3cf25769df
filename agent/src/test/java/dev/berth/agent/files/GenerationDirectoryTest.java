package dev.berth.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.generation.Generation;
import dev.berth.reconciler.generation.GenerationOutcome;
import dev.berth.reconciler.plan.ActionClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationDirectoryTest {
  @TempDir Path state;

  private static Generation generation(int number, GenerationOutcome outcome) {
    return new Generation(
        number,
        "abc123",
        "2026-12-02T00:00:00Z",
        ActionClass.RESTART,
        outcome,
        "restarted",
        "d" + number,
        Map.of("etc/systemd/nspawn/web.nspawn", "[Exec]\nBoot=yes\n"),
        null,
        new dev.berth.reconciler.model.Health(
            java.util.List.of("/bin/check"),
            new dev.berth.reconciler.model.Health.HttpProbe(8080, "/healthz"),
            null,
            true,
            30,
            5));
  }

  @Test
  void generationsSurviveANewStoreInOrderAndTheDirectoryIsRootOnly() throws IOException {
    GenerationDirectory store = new GenerationDirectory(state);
    store.save("web", generation(2, GenerationOutcome.ROLLED_BACK));
    store.save("web", generation(10, GenerationOutcome.GOOD));
    store.save("web", generation(1, GenerationOutcome.GOOD));

    var history = new GenerationDirectory(state).history("web");

    assertThat(history).extracting(Generation::number).containsExactly(1, 2, 10);
    assertThat(history.get(1)).isEqualTo(generation(2, GenerationOutcome.ROLLED_BACK));
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve("generations/web"))))
        .isEqualTo("rwx------");
    assertThat(new GenerationDirectory(state).history("db")).isEmpty();
  }

  @Test
  void releaseForgetsAGenerationAndSaveReplacesOne() throws IOException {
    GenerationDirectory store = new GenerationDirectory(state);
    store.save("web", generation(1, GenerationOutcome.GOOD));
    store.save("web", generation(2, GenerationOutcome.GOOD));
    assertThat(store.history("web")).hasSize(2);

    store.release("web", 1);
    store.save("web", generation(2, GenerationOutcome.FAILED));

    assertThat(store.history("web"))
        .extracting(Generation::number, Generation::outcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, GenerationOutcome.FAILED));
  }

  @Test
  void aDamagedGenerationIsReportedWithItsPath() throws IOException {
    Files.createDirectories(state.resolve("generations/web"));
    Files.writeString(state.resolve("generations/web/1.json"), "{not json");

    assertThatThrownBy(() -> new GenerationDirectory(state).history("web"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            "cannot read berth's generation " + state.resolve("generations/web/1.json"));
  }
}
