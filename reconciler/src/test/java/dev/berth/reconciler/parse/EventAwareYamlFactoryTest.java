package dev.berth.reconciler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventAwareYamlFactoryTest {
  private final EventAwareYamlFactory factory = new EventAwareYamlFactory(YAMLFactory.builder());

  @Test
  void theCurrentTokensStartIsTheLineAndColumnOfItsLocationForEveryToken() throws IOException {
    String yaml =
        """
        # a comment
        a: 1
        "quoted key": 'single'
        flow: {x: [1, 2, {y: z}], w: ""}
        block:
          - one
          - key: |
              literal
              text
            other: >-
              folded
          -   - nested
              - list
        empty:
        tagged: !!str 12
        ---
        - é: ü
        - x: 1.5e3
        ---
        """;
    List<Long> packed = new ArrayList<>();
    List<Long> fromLocation = new ArrayList<>();
    try (EventAwareYamlFactory.Parser parser =
        (EventAwareYamlFactory.Parser) factory.createParser(yaml)) {
      fromLocation.add(pack(parser.currentTokenLocation()));
      packed.add(parser.currentTokenStart());
      while (parser.nextToken() != null) {
        fromLocation.add(pack(parser.currentTokenLocation()));
        packed.add(parser.currentTokenStart());
      }
    }

    assertThat(packed).hasSizeGreaterThan(40).isEqualTo(fromLocation);
  }

  /** What the tree builder packed before: Mark.START when the line is unknown. */
  private static long pack(JsonLocation location) {
    return location.getLineNr() < 1
        ? SourceMap.pack(1, 1)
        : SourceMap.pack(location.getLineNr(), Math.max(1, location.getColumnNr()));
  }
}
