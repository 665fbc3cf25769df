package dev.berth.reconciler.validate;

import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.diag.Mark;
import dev.berth.reconciler.parse.FieldPath;
import dev.berth.reconciler.parse.YamlDocument;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Validates a document against its kind's CRD schema and reports each violation where it stands.
 */
public final class SchemaCheck {
  private final CrdSchemas schemas;

  public SchemaCheck(CrdSchemas schemas) {
    this.schemas = schemas;
  }

  /** Returns whether the document is valid; each violation goes to {@code diagnostics}. */
  public boolean check(YamlDocument document, String kind, Diagnostics diagnostics) {
    List<ValidationMessage> messages =
        new ArrayList<>(schemas.schemaOf(kind).validate(document.root()));
    if (messages.isEmpty()) {
      return true;
    }
    messages.sort(Comparator.comparing(message -> message.getInstanceLocation().toString()));
    for (ValidationMessage message : messages) {
      FieldPath path = path(message.getInstanceLocation());
      String where = path.toString();
      String keyword = message.getType();
      Object[] args = message.getArguments() == null ? new Object[0] : message.getArguments();
      String property = message.getProperty();
      Mark mark;
      String text;
      switch (keyword) {
        case "additionalProperties" -> {
          mark = document.keyMark(path.field(property));
          text = "unknown field \"" + property + "\"" + (where.isEmpty() ? "" : " in " + where);
        }
        case "required" -> {
          mark = document.mark(path);
          text =
              (where.isEmpty() ? "" : where + ": ") + "missing required field \"" + property + "\"";
        }
        case "type" -> {
          mark = document.mark(path);
          text = where + ": expected " + expectedType(args) + ", found " + found(args);
          if (found(args).equals("a boolean") && expectedType(args).contains("string")) {
            text += " (YAML reads yes, no, on and off as booleans: quote the value)";
          }
        }
        case "enum" -> {
          mark = document.mark(path);
          text = where + ": must be one of " + enumValues(args);
        }
        case "pattern" -> {
          mark = document.mark(path);
          text = where + ": " + patternHint(where, args);
        }
        case "minProperties", "maxProperties" -> {
          mark = document.mark(path);
          text =
              where.endsWith("image")
                  ? where + ": set exactly one image source: nixos, tarball or directory"
                  : where.endsWith("source.ref")
                      ? where + ": set one of branch, tag, semver or commit"
                      : where + ": " + message.getError();
        }
        default -> {
          mark = document.mark(path);
          text = where + ": " + message.getError();
        }
      }
      diagnostics.error(document.file(), mark, text);
    }
    return false;
  }

  private static FieldPath path(JsonNodePath location) {
    List<Object> segments = new ArrayList<>(location.getNameCount());
    for (int i = 0; i < location.getNameCount(); i++) {
      segments.add(location.getElement(i));
    }
    return FieldPath.of(segments);
  }

  private static String expectedType(Object[] args) {
    if (args.length < 2) {
      return "another type";
    }
    String expected = String.valueOf(args[1]).replace("[", "").replace("]", "").replace("\"", "");
    return Arrays.stream(expected.split(","))
        .map(String::strip)
        .map(SchemaCheck::article)
        .collect(Collectors.joining(" or "));
  }

  private static String found(Object[] args) {
    return args.length < 1 ? "another type" : article(String.valueOf(args[0]));
  }

  private static String article(String type) {
    return switch (type) {
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "integer" -> "an integer";
      case "null" -> "nothing (null)";
      default -> "a " + type;
    };
  }

  private static String enumValues(Object[] args) {
    return args.length < 1 ? "the allowed values" : String.valueOf(args[0]);
  }

  private static String patternHint(String where, Object[] args) {
    if (where.endsWith("sha256")) {
      return "must be 64 lowercase hexadecimal digits";
    }
    if (where.endsWith("url")) {
      return "must be an https:// or file:// URL";
    }
    if (where.endsWith("path")) {
      return "must be an absolute path";
    }
    if (where.contains("capabilities")) {
      return "must be a capability name such as CAP_NET_ADMIN";
    }
    return "does not match " + (args.length > 0 ? args[0] : "the expected pattern");
  }
}
