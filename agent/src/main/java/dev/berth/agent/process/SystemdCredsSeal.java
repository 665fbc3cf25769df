package dev.berth.agent.process;

import dev.berth.reconciler.host.CommandResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code systemd-creds encrypt --name=ID --with-key=host|tpm2 - FILE}: seals a secret to this
 * host's key (or its TPM2 chip), the secret given on the command's standard input, never on its
 * command line or in a file.
 */
public final class SystemdCredsSeal {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The key a secret is sealed with: systemd-creds {@code --with-key=}. */
  public enum Key {
    /** {@code /var/lib/systemd/credential.secret}, readable by root alone. */
    HOST("host"),
    /** The host's TPM2 chip: the blob cannot be decrypted without it. */
    TPM2("tpm2");

    private final String option;

    Key(String option) {
      this.option = option;
    }
  }

  /** A seal that did not happen, with a one-line reason for the user. */
  public static final class Failed extends Exception {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  /** The blob of {@code secret} sealed as credential {@code id}: Base64 text, ciphertext only. */
  public String seal(String id, byte[] secret, Key key) throws Failed, IOException {
    Path out = Files.createTempFile("berth-seal-", ".cred");
    try {
      CommandResult result =
          Subprocess.of(
                  "systemd-creds",
                  "encrypt",
                  "--name=" + id,
                  "--with-key=" + key.option,
                  "-",
                  out.toString())
              .input(secret)
              .timeout(TIMEOUT)
              .run();
      if (result instanceof CommandResult.CouldNotStart) {
        throw new Failed(
            "systemd-creds is not installed (it comes with systemd 250 and later): "
                + result.describe());
      }
      if (!result.succeeded()) {
        List<String> said =
            result instanceof CommandResult.Exited exited ? exited.output() : List.of();
        throw new Failed(
            "systemd-creds encrypt "
                + result.describe()
                + (said.isEmpty() ? "" : ": " + said.get(said.size() - 1).strip()));
      }
      return Files.readString(out, StandardCharsets.US_ASCII);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
