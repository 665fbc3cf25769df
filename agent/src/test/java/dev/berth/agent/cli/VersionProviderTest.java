package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionProviderTest {
  @Test
  void theVersionIsAFilledInReleaseNumberEvenWithoutAJarManifest() {
    assertThat(Main.class.getPackage().getImplementationVersion()).isNull();
    assertThat(VersionProvider.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(new VersionProvider().getVersion())
        .containsExactly("berth " + VersionProvider.version());
  }
}
