package dev.berth.agent.http;

import dev.berth.agent.daemon.AgentControl;
import java.lang.System.Logger.Level;
import java.time.Duration;

/** {@code POST /hooks/ID}: a push from a Git server, verified, then a reconcile trigger. */
final class WebhookEndpoint {
  private static final System.Logger LOG = System.getLogger(WebhookEndpoint.class.getName());

  private final Webhook webhook;
  private final WebhookSecret secret;
  private final AgentControl control;
  private final TokenBucket limit;

  /** {@code secret} null: webhooks are not configured and the endpoint answers 404. */
  WebhookEndpoint(Webhook webhook, WebhookSecret secret, AgentControl control, TokenBucket limit) {
    this.webhook = webhook;
    this.secret = secret;
    this.control = control;
    this.limit = limit;
  }

  Reply handle(Request request) {
    if (secret == null) {
      // Without a secret no request can be authenticated, so the hooks do not exist at all.
      return Reply.text(404, "webhooks are off: the agent has no http.webhookSecretFile");
    }
    if (!webhook.verify(request::header, request.body(), secret)) {
      LOG.log(Level.INFO, "webhook " + webhook.id() + " refused: missing or bad signature");
      return Reply.text(401, "missing or bad signature: nothing was triggered")
          .withHeader("WWW-Authenticate", "Bearer");
    }
    // Only verified requests spend tokens, so unsigned floods cannot starve the real hooks.
    Duration wait = limit.tryTake();
    if (!wait.isZero()) {
      return ApiEndpoints.tooManyRequests(wait);
    }
    control.triggerReconcile("webhook:" + webhook.id());
    return Reply.text(202, "reconcile triggered");
  }
}
