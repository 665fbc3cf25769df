package dev.berth.agent.images;

/**
 * Which image each of a container's roots holds (the sha256 of its tarball, or {@link #UNKNOWN} for
 * a root berth unpacked before it kept these records), and the swap a killed pass left half done.
 * The record is the authority on what is staged: a {@code .NAME.berth-next} tree it does not name
 * is a leftover, never swapped in.
 */
record RootRecord(String root, String next, String previous, Move moving) {
  /** A root whose image is not known: from before the records, or of an unknown one. */
  static final String UNKNOWN = "unknown";

  static final RootRecord NONE = new RootRecord(null, null, null, null);

  /** The swap under way: saved before its first rename, cleared with its last. */
  enum Move {
    IN,
    BACK
  }

  RootRecord withRoot(String image) {
    return new RootRecord(image, next, previous, moving);
  }

  RootRecord withNext(String image) {
    return new RootRecord(root, image, previous, moving);
  }

  RootRecord withPrevious(String image) {
    return new RootRecord(root, next, image, moving);
  }

  RootRecord moving(Move move) {
    return new RootRecord(root, next, previous, move);
  }

  String text() {
    StringBuilder out = new StringBuilder();
    line(out, "root", root);
    line(out, "next", next);
    line(out, "previous", previous);
    line(out, "moving", moving == null ? null : moving.name());
    return out.toString();
  }

  private static void line(StringBuilder out, String key, String value) {
    if (value != null) {
      out.append(key).append('=').append(value).append('\n');
    }
  }

  static RootRecord parse(String text) {
    RootRecord record = NONE;
    for (String line : text.split("\n")) {
      int equals = line.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String value = line.substring(equals + 1).strip();
      record =
          switch (line.substring(0, equals).strip()) {
            case "root" -> record.withRoot(value);
            case "next" -> record.withNext(value);
            case "previous" -> record.withPrevious(value);
            case "moving" -> record.moving(Move.valueOf(value));
            default -> record;
          };
    }
    return record;
  }
}
