package dev.berth.agent.source;

/** Why a commit's signature is not accepted; becomes a SIGNATURE_REFUSED failure. */
final class SignatureRefusal extends Exception {
  SignatureRefusal(String message) {
    super(message);
  }
}
