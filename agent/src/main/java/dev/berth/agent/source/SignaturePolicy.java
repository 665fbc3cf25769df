package dev.berth.agent.source;

import dev.berth.agent.source.SourceFailure.Reason;
import java.nio.file.Path;
import org.eclipse.jgit.lib.GpgConfig.GpgFormat;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.util.RawParseUtils;

/** A commit is accepted only when it carries a valid signature by an allowed key: fail closed. */
final class SignaturePolicy {
  private static final byte[] GPGSIG = {'g', 'p', 'g', 's', 'i', 'g'};

  private final OpenPgpCheck openPgp;
  private final SshSignatureCheck ssh;

  SignaturePolicy(SourceSettings.Verify verify, Path workDirectory) {
    AllowedKeys allowed = new AllowedKeys(verify.allowedKeys());
    this.openPgp = new OpenPgpCheck(verify.keyring(), allowed);
    this.ssh = new SshSignatureCheck(allowed, workDirectory);
  }

  /** Returns who signed the commit, or refuses it. */
  String verify(Repository repository, RevCommit commit) throws SourceFailure {
    byte[] signature = commit.getRawGpgSignature();
    if (signature == null) {
      throw refused(
          commit,
          "commit "
              + commit.name()
              + " is not signed, and the source requires "
              + "a signature by one of source.verify.allowedKeys;"
              + " the last verified revision stays");
    }
    byte[] payload = signedPayload(commit.getRawBuffer());
    try {
      GpgFormat format = SignatureVerifiers.getFormat(signature);
      if (format == GpgFormat.OPENPGP) {
        return openPgp.verify(payload, signature);
      }
      if (format == GpgFormat.SSH) {
        return ssh.verify(repository, payload, signature);
      }
      throw new SignatureRefusal(
          "unsupported signature format "
              + (format == null ? "(unknown)" : format.name())
              + "; berth verifies OpenPGP and SSH");
    } catch (SignatureRefusal e) {
      throw refused(commit, "commit " + commit.name() + " refused: " + e.getMessage());
    }
  }

  // What was signed: the raw commit without its gpgsig header (and the header's continuation
  // lines).
  static byte[] signedPayload(byte[] raw) {
    int start = RawParseUtils.headerStart(GPGSIG, raw, 0);
    if (start < 0) {
      return raw;
    }
    int end = RawParseUtils.nextLfSkippingSplitLines(raw, start);
    start -= GPGSIG.length + 1;
    if (end < raw.length) {
      end++;
    }
    byte[] data = new byte[raw.length - (end - start)];
    System.arraycopy(raw, 0, data, 0, start);
    System.arraycopy(raw, end, data, start, raw.length - end);
    return data;
  }

  private static SourceFailure refused(RevCommit commit, String message) {
    return new SourceFailure(
        Reason.SIGNATURE_REFUSED, commit.name(), Failures.oneLine(message), null);
  }
}
