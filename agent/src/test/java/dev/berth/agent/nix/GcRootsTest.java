package dev.berth.agent.nix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcRootsTest {
  @TempDir Path dir;

  @Test
  void holdsTheRunningSystemAndTheNextUntilTheNextIsActive() throws Exception {
    GcRoots roots = new GcRoots(dir.resolve("berth"));

    roots.hold("web", "/nix/store/one");
    assertThat(roots.next("web")).contains("/nix/store/one");
    roots.activated("web", "/nix/store/one");
    assertThat(roots.current("web")).contains("/nix/store/one");
    assertThat(roots.next("web")).isEmpty();

    roots.hold("web", "/nix/store/one");
    assertThat(roots.next("web")).as("the running system needs no second root").isEmpty();

    roots.hold("web", "/nix/store/two");
    assertThat(roots.current("web")).contains("/nix/store/one");
    assertThat(roots.next("web")).contains("/nix/store/two");

    roots.hold("web", "/nix/store/three");
    assertThat(roots.next("web"))
        .as("a newer build replaces one never activated")
        .contains("/nix/store/three");

    roots.activated("web", "/nix/store/three");
    assertThat(roots.current("web")).contains("/nix/store/three");
    assertThat(roots.next("web")).isEmpty();

    roots.release("web");
    assertThat(roots.current("web")).isEmpty();
    assertThat(dir.resolve("berth")).isEmptyDirectory();
  }
}
