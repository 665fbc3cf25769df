package dev.berth.agent.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** The push webhooks berth accepts, each with its way of proving it knows the shared secret. */
enum Webhook {
  /** {@code X-Hub-Signature-256: sha256=HEX}, the HMAC-SHA256 of the body. */
  GITHUB("github", "X-Hub-Signature-256", "X-GitHub-Delivery") {
    @Override
    boolean verify(UnaryOperator<String> header, byte[] body, WebhookSecret secret) {
      return secret.signed(body, afterPrefix(header.apply("X-Hub-Signature-256")));
    }
  },
  /** {@code X-Gitea-Signature: HEX}, the HMAC-SHA256 of the body. */
  GITEA("gitea", "X-Gitea-Signature", "X-Gitea-Delivery") {
    @Override
    boolean verify(UnaryOperator<String> header, byte[] body, WebhookSecret secret) {
      return secret.signed(body, header.apply("X-Gitea-Signature"));
    }
  },
  /** {@code X-Gitlab-Token: SECRET}: GitLab sends the secret itself, not a signature. */
  GITLAB("gitlab", null, "X-Gitlab-Event-UUID") {
    @Override
    boolean verify(UnaryOperator<String> header, byte[] body, WebhookSecret secret) {
      return secret.isToken(header.apply("X-Gitlab-Token"));
    }
  },
  /** {@code X-Berth-Signature: sha256=HEX} or {@code Authorization: Bearer SECRET}, for scripts. */
  GENERIC("generic", "X-Berth-Signature", "X-Berth-Delivery") {
    @Override
    boolean verify(UnaryOperator<String> header, byte[] body, WebhookSecret secret) {
      String authorization = header.apply("Authorization");
      String bearer =
          authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
              ? authorization.substring(BEARER.length()).trim()
              : null;
      return secret.signed(body, afterPrefix(header.apply("X-Berth-Signature")))
          || secret.isToken(bearer);
    }
  };

  private static final String SHA256_PREFIX = "sha256=";
  private static final String BEARER = "Bearer ";
  private static final int MAX_KEY = 128;

  private final String id;
  private final String signatureHeader;
  private final String deliveryHeader;

  Webhook(String id, String signatureHeader, String deliveryHeader) {
    this.id = id;
    this.signatureHeader = signatureHeader;
    this.deliveryHeader = deliveryHeader;
  }

  /** The last path segment: {@code /hooks/ID}. */
  String id() {
    return id;
  }

  String path() {
    return "/hooks/" + id;
  }

  /**
   * What identifies a verified delivery, for the replay window: its signature (an HMAC of the body,
   * which a replay cannot change) and the Git server's delivery id (which a retry keeps). A token
   * alone identifies nothing: whoever can replay it holds the secret itself.
   */
  List<String> deliveryKeys(UnaryOperator<String> header) {
    List<String> keys = new ArrayList<>(2);
    String signature = signatureHeader == null ? null : header.apply(signatureHeader);
    if (signature != null && !signature.isBlank()) {
      keys.add(id + " signature " + bounded(signature.strip().toLowerCase(Locale.ROOT)));
    }
    String delivery = header.apply(deliveryHeader);
    if (delivery != null && !delivery.isBlank()) {
      keys.add(id + " delivery " + bounded(delivery.strip()));
    }
    return keys;
  }

  /** Whether the request proves knowledge of the secret; {@code header} looks a header up. */
  abstract boolean verify(UnaryOperator<String> header, byte[] body, WebhookSecret secret);

  // Ids are UUIDs and signatures 71 characters: a longer value is kept in part, memory bounded.
  private static String bounded(String value) {
    return value.length() > MAX_KEY ? value.substring(0, MAX_KEY) : value;
  }

  private static String afterPrefix(String value) {
    return value != null && value.startsWith(SHA256_PREFIX)
        ? value.substring(SHA256_PREFIX.length())
        : null;
  }
}
