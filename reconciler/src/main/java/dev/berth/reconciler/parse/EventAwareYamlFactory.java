package dev.berth.reconciler.parse;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.Reader;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * A YAMLFactory whose parsers can tell an empty document (an implicit, plain, empty scalar) from an
 * empty string that was written ({@code ""}, {@code |}, {@code !!str}, an anchored scalar): Jackson
 * reads both as "", but only the first is nothing.
 */
final class EventAwareYamlFactory extends YAMLFactory {
  EventAwareYamlFactory(YAMLFactoryBuilder builder) {
    super(builder);
  }

  @Override
  protected YAMLParser _createParser(Reader reader, IOContext context) {
    return new Parser(
        context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
  }

  @Override
  protected YAMLParser _createParser(
      char[] data, int offset, int length, IOContext context, boolean recyclable) {
    return _createParser(new CharArrayReader(data, offset, length), context);
  }

  /** A YAMLParser that says whether its current scalar is an empty document. */
  static final class Parser extends YAMLParser {
    Parser(
        IOContext context,
        int parserFeatures,
        int formatFeatures,
        org.yaml.snakeyaml.LoaderOptions options,
        com.fasterxml.jackson.core.ObjectCodec codec,
        Reader reader) {
      super(context, parserFeatures, formatFeatures, options, codec, reader);
    }

    /**
     * Where the current token starts, packed as {@link SourceMap#pack(int, int)} packs a mark: the
     * line and column of {@link #currentTokenLocation()}, without making a JsonLocation for every
     * token; line 1, column 1 when the parser knows no place, as {@code Mark.START}.
     */
    long currentTokenStart() {
      Mark start = _lastEvent == null ? null : _lastEvent.getStartMark();
      return start == null
          ? SourceMap.pack(1, 1)
          : SourceMap.pack(start.getLine() + 1, start.getColumn() + 1);
    }

    boolean currentIsNothing() {
      return _lastEvent instanceof ScalarEvent scalar
          && scalar.getScalarStyle() == ScalarStyle.PLAIN
          && scalar.getValue().isEmpty()
          && scalar.getAnchor() == null
          && scalar.getTag() == null;
    }
  }
}
