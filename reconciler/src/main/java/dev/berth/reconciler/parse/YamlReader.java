package dev.berth.reconciler.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.diag.Mark;
import dev.berth.reconciler.source.ManifestFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads the YAML documents of a manifest file into JSON trees with their source positions.
 *
 * <p>Refuses, with a located error and without an exception, what a manifest never needs and an
 * attacker might send: invalid UTF-8, files over the size limit, aliases (so no "billion laughs"),
 * nesting beyond the depth limit, duplicate keys and non-mapping documents.
 */
public final class YamlReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final EventAwareYamlFactory factory;
  private final YamlLimits limits;

  public YamlReader(YamlLimits limits) {
    this.limits = limits;
    LoaderOptions options = new LoaderOptions();
    // Duplicate keys are refused by the tree builder, at the key: SnakeYAML's own check would make
    // Jackson report them at the end of the key instead.
    options.setMaxAliasesForCollections(0);
    options.setNestingDepthLimit(limits.maxDepth() + 1);
    options.setCodePointLimit(limits.maxFileBytes());
    this.factory = new EventAwareYamlFactory(YAMLFactory.builder().loaderOptions(options));
  }

  public YamlReader() {
    this(YamlLimits.DEFAULT);
  }

  /**
   * The file's documents; problems go to {@code diagnostics} and yield no documents for the file.
   */
  public List<YamlDocument> read(ManifestFile file, Diagnostics diagnostics) {
    String path = file.path();
    if (file.refusal() != null) {
      diagnostics.error(path, Mark.START, file.refusal());
      return List.of();
    }
    if (file.content().length > limits.maxFileBytes()) {
      diagnostics.error(
          path,
          Mark.START,
          "file is "
              + file.content().length
              + " bytes, more than the limit of "
              + limits.maxFileBytes()
              + " bytes for a manifest file");
      return List.of();
    }
    String text = decodeUtf8(file, diagnostics);
    if (text == null) {
      return List.of();
    }
    try (YAMLParser parser = (YAMLParser) factory.createParser(text)) {
      return new TreeBuilder(path, parser).documents();
    } catch (ParseFailure failure) {
      diagnostics.error(path, failure.mark, failure.getMessage());
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
        diagnostics.error(path, markOf(yaml.getProblemMark()), describe(yaml));
      } else if (e.getCause() instanceof ReaderException reader) {
        diagnostics.error(
            path,
            markAt(text, reader.getPosition()),
            cleanMessage(e) + String.format(" (U+%04X)", reader.getCodePoint()));
      } else {
        diagnostics.error(path, markOf(e.getLocation()), cleanMessage(e));
      }
    } catch (IOException | RuntimeException e) {
      // SnakeYAML reports some malformed input with unchecked exceptions of its own.
      diagnostics.error(path, Mark.START, "cannot parse YAML: " + firstLine(e.getMessage()));
    }
    return List.of();
  }

  private static String decodeUtf8(ManifestFile file, Diagnostics diagnostics) {
    byte[] bytes = file.content();
    int offset =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    out.flip();
    if (result.isError()) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < out.length(); i++) {
        if (out.charAt(i) == '\n') {
          line++;
          column = 1;
        } else if (!Character.isLowSurrogate(out.charAt(i))) {
          column++; // columns count code points, as SnakeYAML's marks do
        }
      }
      diagnostics.error(
          file.path(),
          new Mark(line, column),
          "invalid UTF-8 at byte " + in.position() + "; manifests must be UTF-8 text");
      return null;
    }
    return out.toString();
  }

  private static Mark markOf(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return Mark.START;
    }
    return new Mark(location.getLineNr(), Math.max(1, location.getColumnNr()));
  }

  private static Mark markOf(org.yaml.snakeyaml.error.Mark mark) {
    return new Mark(mark.getLine() + 1, mark.getColumn() + 1);
  }

  /** The mark of the code point at {@code index} of {@code text}. */
  private static Mark markAt(String text, int index) {
    int line = 1;
    int column = 1;
    int offset = 0;
    for (int seen = 0; seen < index && offset < text.length(); seen++) {
      int codePoint = text.codePointAt(offset);
      offset += Character.charCount(codePoint);
      if (codePoint == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new Mark(line, column);
  }

  /** SnakeYAML's problem, with where the construct that it was reading began. */
  private static String describe(MarkedYAMLException e) {
    String message = "invalid YAML: " + firstLine(e.getProblem()).strip();
    org.yaml.snakeyaml.error.Mark context = e.getContextMark();
    if (e.getContext() != null && context != null) {
      message +=
          " ("
              + firstLine(e.getContext()).strip()
              + " that starts at line "
              + (context.getLine() + 1)
              + ", column "
              + (context.getColumn() + 1)
              + ")";
    }
    return message;
  }

  private static String cleanMessage(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return "cannot parse YAML";
    }
    message = firstLine(message).strip();
    return message.isEmpty() ? "cannot parse YAML" : "invalid YAML: " + message;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed input";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static final class ParseFailure extends RuntimeException {
    final Mark mark;

    ParseFailure(Mark mark, String message) {
      super(message, null, false, false);
      this.mark = mark;
    }
  }

  /** Walks the parser's tokens once, building the trees and the source map together. */
  private final class TreeBuilder {
    private final String path;
    private final YAMLParser parser;
    private SourceMap sourceMap;

    TreeBuilder(String path, YAMLParser parser) {
      this.path = path;
      this.parser = parser;
    }

    List<YamlDocument> documents() throws IOException {
      List<YamlDocument> documents = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        Mark start = mark();
        if (token == JsonToken.VALUE_NULL || isEmptyDocument(token)) {
          continue; // an empty document, such as a trailing "---"
        }
        if (token != JsonToken.START_OBJECT) {
          throw new ParseFailure(
              start, "a manifest document must be a mapping, not " + describe(token));
        }
        if (documents.size() >= limits.maxDocumentsPerFile()) {
          throw new ParseFailure(
              start, "more than " + limits.maxDocumentsPerFile() + " documents in one file");
        }
        sourceMap = new SourceMap();
        JsonNode root = value(token, 1);
        documents.add(new YamlDocument(path, start, root, sourceMap));
      }
      return documents;
    }

    /** Jackson reads an empty document as ""; a written empty string is a string, not nothing. */
    private boolean isEmptyDocument(JsonToken token) {
      return token == JsonToken.VALUE_STRING
          && parser instanceof EventAwareYamlFactory.Parser aware
          && aware.currentIsNothing();
    }

    private JsonNode value(JsonToken token, int depth) throws IOException {
      if (parser.isCurrentAlias()) {
        throw new ParseFailure(
            mark(), "YAML aliases (*" + parser.getText() + ") are not allowed in manifests");
      }
      return switch (token) {
        case START_OBJECT -> object(depth);
        case START_ARRAY -> array(depth);
        case VALUE_STRING -> NODES.textNode(parser.getText());
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(token);
        case VALUE_TRUE -> NODES.booleanNode(true);
        case VALUE_FALSE -> NODES.booleanNode(false);
        case VALUE_NULL -> NODES.nullNode();
        case VALUE_EMBEDDED_OBJECT -> NODES.textNode(parser.getText());
        default -> throw new ParseFailure(mark(), "unexpected " + describe(token));
      };
    }

    /** A number, or a located error for one that no manifest field can hold (.inf, 1000 digits). */
    private JsonNode number(JsonToken token) throws IOException {
      Mark at = mark();
      try {
        return token == JsonToken.VALUE_NUMBER_INT
            ? NODES.numberNode(parser.getBigIntegerValue())
            : NODES.numberNode(parser.getDecimalValue());
      } catch (JsonProcessingException | NumberFormatException e) {
        String text = parser.getText();
        String shown =
            text.length() > 40
                ? text.substring(0, 40) + "... (" + text.length() + " digits)"
                : text;
        throw new ParseFailure(
            at, "cannot read the number " + shown + "; quote it if it is meant as a string");
      }
    }

    private ObjectNode object(int depth) throws IOException {
      checkDepth(depth);
      ObjectNode object = NODES.objectNode();
      sourceMap.container(object, here());
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = canonical(parser.currentName());
        long key = here();
        if (object.has(name)) {
          throw new ParseFailure(SourceMap.unpack(key), "duplicate key \"" + name + "\"");
        }
        JsonToken valueToken = parser.nextToken();
        long valueMark = here();
        JsonNode value = value(valueToken, depth + 1);
        object.set(name, value);
        sourceMap.field(object, name, key, valueMark);
      }
      if (token != JsonToken.END_OBJECT) {
        throw new ParseFailure(mark(), "unexpected " + describe(token) + " in a mapping");
      }
      return object;
    }

    private ArrayNode array(int depth) throws IOException {
      checkDepth(depth);
      ArrayNode array = NODES.arrayNode();
      sourceMap.container(array, here());
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == null) {
          throw new ParseFailure(mark(), "unexpected end of input in a list");
        }
        long itemMark = here();
        array.add(value(token, depth + 1));
        sourceMap.item(array, itemMark);
      }
      return array;
    }

    private void checkDepth(int depth) {
      if (depth > limits.maxDepth()) {
        throw new ParseFailure(
            mark(), "nesting deeper than " + limits.maxDepth() + " levels is not allowed");
      }
    }

    private Mark mark() {
      return markOf(parser.currentTokenLocation());
    }

    /** {@link #mark()} packed for the source map, made without a Mark for every token. */
    private long here() {
      return parser instanceof EventAwareYamlFactory.Parser aware
          ? aware.currentTokenStart()
          : SourceMap.pack(mark());
    }

    private String describe(JsonToken token) {
      if (token == null) {
        return "the end of input";
      }
      return switch (token) {
        case START_ARRAY -> "a list";
        case VALUE_STRING -> "a string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        default -> token.asString() == null ? token.name() : token.asString();
      };
    }

    /**
     * The file's keys repeat in every document; its trees and source maps share one String each.
     */
    private final Map<String, String> keys = new HashMap<>();

    private String canonical(String key) {
      String known = keys.putIfAbsent(key, key);
      return known == null ? key : known;
    }
  }
}
