package dev.berth.agent.process;

import dev.berth.reconciler.host.CommandResult;
import dev.berth.reconciler.host.CredentialCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * berth's {@link CredentialCheck}: {@code systemd-creds decrypt --name=ID - -} with the blob on its
 * standard input and its standard output (the plaintext) sent to /dev/null unread; only its exit
 * status and its error message come back.
 */
public final class SystemdCredsCheck implements CredentialCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MESSAGE_CHARS = 300;

  @Override
  public Optional<String> refusal(String id, String ciphertext) {
    CommandResult result =
        Subprocess.of("systemd-creds", "decrypt", "--name=" + id, "-", "-")
            .input(ciphertext.getBytes(StandardCharsets.US_ASCII))
            .discardStandardOutput()
            .timeout(TIMEOUT)
            .run();
    if (result.succeeded()) {
      return Optional.empty();
    }
    String said = result instanceof CommandResult.Exited exited ? lastLine(exited.output()) : "";
    return Optional.of(
        "systemd-creds decrypt " + result.describe() + (said.isEmpty() ? "" : ": " + said));
  }

  private static String lastLine(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (!line.isEmpty()) {
        return line.length() > MESSAGE_CHARS ? line.substring(0, MESSAGE_CHARS) + "…" : line;
      }
    }
    return "";
  }
}
