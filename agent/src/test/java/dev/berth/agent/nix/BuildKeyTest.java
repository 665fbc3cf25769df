package dev.berth.agent.nix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.source.SourceFiles.Kind;
import dev.berth.agent.source.SourceFiles.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildKeyTest {
  private static final SourceFile NIX = new SourceFile("web.nix", Kind.FILE, "a1");
  private static final SourceFile MODULE = new SourceFile("lib/module.nix", Kind.FILE, "b1");
  private static final SourceFile MANIFEST = new SourceFile("apps/web.yaml", Kind.FILE, "c1");

  private static String key(String attr, SourceFile... files) {
    return BuildKey.of("web.nix", attr, List.of(files)).digest();
  }

  @Test
  void manifestsDoNotChangeTheKeyEverythingElseDoes() {
    String base = key(null, NIX, MODULE, MANIFEST);

    assertThat(key(null, NIX, MODULE, new SourceFile("apps/web.yaml", Kind.FILE, "c2")))
        .isEqualTo(base);
    assertThat(key(null, NIX, MODULE)).isEqualTo(base);
    assertThat(key(null, NIX, new SourceFile("lib/module.nix", Kind.FILE, "b2")))
        .isNotEqualTo(base);
    assertThat(key(null, NIX, MODULE, MANIFEST, new SourceFile(".hidden/x.yaml", Kind.FILE, "d")))
        .as("a hidden YAML file is no manifest: a build may read it")
        .isNotEqualTo(base);
    assertThat(key(null, NIX, new SourceFile("lib/module.nix", Kind.EXECUTABLE, "b1")))
        .isNotEqualTo(base);
    assertThat(key("toplevel", NIX, MODULE, MANIFEST)).isNotEqualTo(base);
    assertThat(BuildKey.of("other.nix", null, List.of(NIX, MODULE)).digest()).isNotEqualTo(base);
  }

  @Test
  void fieldsCannotRunIntoEachOther() {
    assertThat(BuildKey.of("a", "bc", List.of()).digest())
        .isNotEqualTo(BuildKey.of("ab", "c", List.of()).digest());
  }
}
