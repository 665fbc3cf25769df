package dev.berth.reconciler.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a manifest as YAML, after a block of comment lines. Each comment is one line: what it
 * quotes from an old configuration cannot end it ({@link OneLine}), and the YAML writer quotes and
 * escapes control characters in values.
 */
final class ManifestYaml {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private ManifestYaml() {}

  static String write(List<String> comments, Map<String, Object> manifest) {
    StringBuilder out = new StringBuilder();
    for (String comment : comments) {
      out.append(comment.isEmpty() ? "#" : "# " + OneLine.escaped(comment)).append('\n');
    }
    try {
      out.append(YAML.writeValueAsString(manifest));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
