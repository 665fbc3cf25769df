package dev.berth.agent.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies OpenPGP commit signatures against one public keyring file ({@code gpg --export}, binary
 * or armored) with Bouncy Castle. JGit's own verifier only looks in the user's ~/.gnupg.
 */
final class OpenPgpCheck {

  private final Path keyring;
  private final AllowedKeys allowed;

  OpenPgpCheck(Path keyring, AllowedKeys allowed) {
    this.keyring = keyring;
    this.allowed = allowed;
  }

  /** Returns who signed {@code data}, or says why the signature is refused. */
  String verify(byte[] data, byte[] signatureBytes) throws SignatureRefusal {
    PGPSignature signature = parse(signatureBytes);
    PGPPublicKeyRingCollection rings = loadKeyring();
    PGPPublicKey key = rings.getPublicKey(signature.getKeyID());
    PGPPublicKeyRing ring = rings.getPublicKeyRing(signature.getKeyID());
    if (key == null || ring == null) {
      throw new SignatureRefusal(
          "signed by OpenPGP key "
              + String.format("%016X", signature.getKeyID())
              + ", which is not in the keyring "
              + keyring);
    }
    IssuerFingerprint issuer =
        signature.getHashedSubPackets() == null
            ? null
            : signature.getHashedSubPackets().getIssuerFingerprint();
    if (issuer != null && !Arrays.equals(issuer.getFingerprint(), key.getFingerprint())) {
      throw new SignatureRefusal("the signature's issuer fingerprint does not match its key id");
    }
    PGPPublicKey primary = ring.getPublicKey();
    String fingerprint = AllowedKeys.hex(primary.getFingerprint());
    if (!allowed.allowsOpenPgp(key.getFingerprint(), key.getKeyID())
        && !allowed.allowsOpenPgp(primary.getFingerprint(), primary.getKeyID())) {
      throw new SignatureRefusal(
          "signed by OpenPGP key "
              + fingerprint
              + " ("
              + userId(primary)
              + "), which is not in source.verify.allowedKeys");
    }
    checkUsable(primary, key, signature);
    try {
      signature.init(new BcPGPContentVerifierBuilderProvider(), key);
      signature.update(data);
      if (!signature.verify()) {
        throw new SignatureRefusal(
            "bad OpenPGP signature by "
                + fingerprint
                + ": the commit does not match what was signed");
      }
    } catch (PGPException e) {
      throw new SignatureRefusal("cannot verify the OpenPGP signature: " + Failures.describe(e));
    }
    return "OpenPGP " + fingerprint + " " + userId(primary);
  }

  private static PGPSignature parse(byte[] bytes) throws SignatureRefusal {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      Object object = new PGPObjectFactory(in, new BcKeyFingerprintCalculator()).nextObject();
      if (object instanceof PGPCompressedData compressed) {
        object =
            new PGPObjectFactory(compressed.getDataStream(), new BcKeyFingerprintCalculator())
                .nextObject();
      }
      if (object instanceof PGPSignatureList list && !list.isEmpty()) {
        PGPSignature signature = list.get(0);
        int type = signature.getSignatureType();
        if (type == PGPSignature.BINARY_DOCUMENT || type == PGPSignature.CANONICAL_TEXT_DOCUMENT) {
          return signature;
        }
      }
    } catch (IOException | PGPException e) {
      throw new SignatureRefusal("the OpenPGP signature cannot be read: " + Failures.describe(e));
    }
    throw new SignatureRefusal("the commit's gpgsig header is not an OpenPGP document signature");
  }

  // Read at every new commit, so that a changed keyring applies without a restart.
  private PGPPublicKeyRingCollection loadKeyring() throws SignatureRefusal {
    if (keyring == null) {
      throw new SignatureRefusal(
          "the commit has an OpenPGP signature, but source.verify.keyring is not set");
    }
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(keyring))) {
      PGPPublicKeyRingCollection rings =
          new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
      if (rings.size() == 0) {
        throw new SignatureRefusal(
            "the keyring " + keyring + " has no public keys (export them " + "with gpg --export)");
      }
      return rings;
    } catch (IOException | PGPException e) {
      throw new SignatureRefusal(
          "cannot read the keyring "
              + keyring
              + " (export it with gpg --export): "
              + Failures.describe(e));
    }
  }

  private static void checkUsable(PGPPublicKey primary, PGPPublicKey key, PGPSignature signature)
      throws SignatureRefusal {
    if (primary.hasRevocation() || key.hasRevocation()) {
      throw new SignatureRefusal(
          "the OpenPGP key "
              + AllowedKeys.hex(key.getFingerprint())
              + " is revoked in the keyring");
    }
    Instant signedAt = signature.getCreationTime().toInstant();
    boolean isPrimary = key.getKeyID() == primary.getKeyID();
    for (PGPPublicKey k : isPrimary ? List.of(key) : List.of(primary, key)) {
      long valid = k.getValidSeconds();
      if (valid > 0 && k.getCreationTime().toInstant().plusSeconds(valid).isBefore(signedAt)) {
        throw new SignatureRefusal(
            "the OpenPGP key "
                + AllowedKeys.hex(k.getFingerprint())
                + " had expired when the commit was signed");
      }
    }
    if (!isPrimary && !isBound(primary, key)) {
      throw new SignatureRefusal(
          "the OpenPGP subkey "
              + AllowedKeys.hex(key.getFingerprint())
              + " is not bound to its primary key by a valid signature");
    }
  }

  private static boolean isBound(PGPPublicKey primary, PGPPublicKey subkey) {
    Iterator<PGPSignature> bindings = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
    while (bindings.hasNext()) {
      PGPSignature binding = bindings.next();
      try {
        binding.init(new BcPGPContentVerifierBuilderProvider(), primary);
        if (binding.verifyCertification(primary, subkey)) {
          return true;
        }
      } catch (PGPException e) {
        // try the next binding signature
      }
    }
    return false;
  }

  private static String userId(PGPPublicKey key) {
    Iterator<String> ids = key.getUserIDs();
    return ids.hasNext() ? ids.next() : "no user id";
  }
}
