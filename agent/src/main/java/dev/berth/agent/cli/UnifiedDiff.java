package dev.berth.agent.cli;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.berth.reconciler.diff.CredentialMask;
import dev.berth.reconciler.diff.FileChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file change as a unified diff, as {@code git diff} and {@code patch} read one: {@code ---
 * host/PATH} and {@code +++ git/PATH} ({@code /dev/null} for the side where the file is absent),
 * hunks with three lines of context, {@code \ No newline at end of file} where a side lacks it.
 * Credential material is masked ({@link CredentialMask}); {@code colour} makes removed lines red
 * and added lines green.
 */
final class UnifiedDiff {
  static final String ABSENT = "/dev/null";
  private static final int CONTEXT = 3;
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+),(\\d+) \\+(\\d+),(\\d+) @@$");
  private static final String NO_NEWLINE = "\\ No newline at end of file";
  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String RESET = "\u001b[0m";

  // Marks the last line of a text that does not end in a newline; no rendered or read text holds
  // it.
  private static final char UNTERMINATED = '\u0000';

  private UnifiedDiff() {}

  static List<String> lines(FileChange change, boolean colour) {
    List<String> before = lines(change.path(), change.before());
    List<String> after = lines(change.path(), change.after());
    List<String> diff =
        UnifiedDiffUtils.generateUnifiedDiff(
            change.before().isPresent() ? "host/" + change.path() : ABSENT,
            change.after().isPresent() ? "git/" + change.path() : ABSENT,
            before,
            DiffUtils.diff(before, after),
            CONTEXT);
    List<String> shown = new ArrayList<>(diff.size());
    for (int i = 0; i < diff.size(); i++) {
      String line = diff.get(i);
      if (i < 2) {
        shown.add(line);
        continue;
      }
      if (line.startsWith("@@")) {
        shown.add(hunkHeader(line));
        continue;
      }
      boolean unterminated = !line.isEmpty() && line.charAt(line.length() - 1) == UNTERMINATED;
      String text = unterminated ? line.substring(0, line.length() - 1) : line;
      char kind = text.isEmpty() ? ' ' : text.charAt(0);
      String masked = kind + CredentialMask.line(text.isEmpty() ? "" : text.substring(1));
      shown.add(colour ? coloured(kind, masked) : masked);
      if (unterminated) {
        shown.add(NO_NEWLINE);
      }
    }
    return shown;
  }

  /**
   * A hunk's ranges as GNU diff and Git write them: an empty range starts at the line before it
   * ({@code -0,0} for a new file), where java-diff-utils names the line after.
   */
  static String hunkHeader(String header) {
    Matcher ranges = HUNK.matcher(header);
    if (!ranges.matches()) {
      return header;
    }
    return "@@ -"
        + range(ranges.group(1), ranges.group(2))
        + " +"
        + range(ranges.group(3), ranges.group(4))
        + " @@";
  }

  private static String range(String start, String count) {
    int first = Integer.parseInt(start);
    return (count.equals("0") ? Math.max(0, first - 1) : first) + "," + count;
  }

  /** The lines of one side as the diff compares them; none when the file is absent there. */
  private static List<String> lines(String path, Optional<String> content) {
    if (content.isEmpty() || content.get().isEmpty()) {
      return List.of();
    }
    String text = CredentialMask.text(path, content.get());
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (text.endsWith("\n")) {
      lines.remove(lines.size() - 1);
    } else {
      int last = lines.size() - 1;
      lines.set(last, lines.get(last) + UNTERMINATED);
    }
    return lines;
  }

  private static String coloured(char kind, String line) {
    return switch (kind) {
      case '-' -> RED + line + RESET;
      case '+' -> GREEN + line + RESET;
      default -> line;
    };
  }
}
