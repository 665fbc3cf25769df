package dev.berth.agent.cli;

import dev.berth.agent.files.AtomicFiles;
import dev.berth.agent.process.SystemdCredsSeal;
import dev.berth.reconciler.model.Credential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth seal --id ID [--tpm2] [--out FILE]}: seals the secret on standard input to this host
 * with {@code systemd-creds encrypt}, for a manifest's {@code credentials[].encryptedFile}.
 */
@Command(
    name = "seal",
    description = {
      "Seal the secret on standard input to this host (systemd-creds encrypt --name=ID) and print"
          + " the blob to commit, for spec.credentials[].encryptedFile. Only this host (its"
          + " /var/lib/systemd/credential.secret, or its TPM2 chip with --tpm2) can decrypt it.",
      // picocli formats descriptions as String.format does: %% is a percent sign.
      "Example: printf %%s \"$PASSWORD\" | berth seal --id db-password --out"
          + " secrets/db-password.cred"
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:sealed", "2:usage or I/O error (not root, no systemd-creds, no secret)"})
final class SealCommand implements Callable<Integer> {
  /** The largest secret whose blob stays within the limit of an {@code encryptedFile}. */
  static final int MAX_SECRET_BYTES = 32 << 10;

  @Spec CommandSpec spec;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "The credential's id, as in the manifest; systemd-creds embeds it in the blob.")
  String id;

  @Option(
      names = "--tpm2",
      description = "Seal with this host's TPM2 chip instead of its host key.")
  boolean tpm2;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the blob to FILE instead of standard output.")
  Path out;

  @Override
  public Integer call() throws Exception {
    String refusal = Credential.idRefusal(id, true);
    if (refusal != null) {
      throw new UserError("--id \"" + id + "\": " + refusal);
    }
    if (uid() != 0) {
      throw new UserError(
          "berth seal needs root: systemd-creds seals with the host key"
              + " /var/lib/systemd/credential.secret (or the TPM2 chip), which only root may use");
    }
    byte[] secret = System.in.readNBytes(MAX_SECRET_BYTES + 1);
    try {
      if (secret.length == 0) {
        throw new UserError(
            "no secret on standard input: pipe it in, e.g. printf %s \"$SECRET\" | berth seal --id "
                + id);
      }
      if (secret.length > MAX_SECRET_BYTES) {
        throw new UserError(
            "the secret is larger than "
                + (MAX_SECRET_BYTES >> 10)
                + " KiB; its blob would pass the limit of an encryptedFile");
      }
      String blob;
      try {
        blob =
            new SystemdCredsSeal()
                .seal(id, secret, tpm2 ? SystemdCredsSeal.Key.TPM2 : SystemdCredsSeal.Key.HOST);
      } catch (SystemdCredsSeal.Failed e) {
        throw new UserError(e.getMessage());
      }
      if (out == null) {
        spec.commandLine().getOut().print(blob);
      } else {
        AtomicFiles.write(out.toAbsolutePath(), blob.getBytes(StandardCharsets.US_ASCII));
        spec.commandLine()
            .getErr()
            .println(
                "sealed "
                    + id
                    + " for this host into "
                    + out
                    + "; commit it and name it in spec.credentials[].encryptedFile");
      }
      return ExitCodes.OK;
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static int uid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }
}
