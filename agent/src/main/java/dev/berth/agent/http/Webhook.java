package dev.berth.agent.http;

import java.util.function.UnaryOperator;

/** The push webhooks berth accepts, each with its way of proving it knows the shared secret. */
enum Webhook {
  /** {@code X-Hub-Signature-256: sha256=HEX}, the HMAC-SHA256 of the body. */
  GITHUB("github") {
    @Override
    boolean verify(UnaryOperator<String> header, byte[] body, WebhookSecret secret) {
      return secret.signed(body, afterPrefix(header.apply("X-Hub-Signature-256")));
    }
  },
  /** {@code X-Gitea-Signature: HEX}, the HMAC-SHA256 of the body. */
  GITEA("gitea") {
    @Override
    boolean verify(UnaryOperator<String> header, byte[] body, WebhookSecret secret) {
      return secret.signed(body, header.apply("X-Gitea-Signature"));
    }
  },
  /** {@code X-Gitlab-Token: SECRET}: GitLab sends the secret itself, not a signature. */
  GITLAB("gitlab") {
    @Override
    boolean verify(UnaryOperator<String> header, byte[] body, WebhookSecret secret) {
      return secret.isToken(header.apply("X-Gitlab-Token"));
    }
  },
  /** {@code X-Berth-Signature: sha256=HEX} or {@code Authorization: Bearer SECRET}, for scripts. */
  GENERIC("generic") {
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

  private final String id;

  Webhook(String id) {
    this.id = id;
  }

  /** The last path segment: {@code /hooks/ID}. */
  String id() {
    return id;
  }

  String path() {
    return "/hooks/" + id;
  }

  /** Whether the request proves knowledge of the secret; {@code header} looks a header up. */
  abstract boolean verify(UnaryOperator<String> header, byte[] body, WebhookSecret secret);

  private static String afterPrefix(String value) {
    return value != null && value.startsWith(SHA256_PREFIX)
        ? value.substring(SHA256_PREFIX.length())
        : null;
  }
}
