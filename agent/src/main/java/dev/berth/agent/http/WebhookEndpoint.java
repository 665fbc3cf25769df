package dev.berth.agent.http;

import dev.berth.agent.daemon.AgentControl;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/** {@code POST /hooks/ID}: a push from a Git server, verified, then a reconcile trigger. */
final class WebhookEndpoint {
  private static final System.Logger LOG = System.getLogger(WebhookEndpoint.class.getName());

  private final Webhook webhook;
  private final WebhookSecret secret;
  private final AgentControl control;
  private final TokenBucket limit;
  private final SeenDeliveries seen;

  /** {@code secret} null: webhooks are not configured and the endpoint answers 404. */
  WebhookEndpoint(
      Webhook webhook,
      WebhookSecret secret,
      AgentControl control,
      TokenBucket limit,
      SeenDeliveries seen) {
    this.webhook = webhook;
    this.secret = secret;
    this.control = control;
    this.limit = limit;
    this.seen = seen;
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
    // Only verified deliveries are remembered, so unsigned floods cannot push the real ones out.
    List<String> keys = webhook.deliveryKeys(request::header);
    if (!seen.firstTime(keys)) {
      LOG.log(Level.INFO, "webhook " + webhook.id() + ": duplicate delivery ignored");
      return Reply.text(200, "duplicate delivery ignored");
    }
    // Only new verified deliveries spend tokens, so unsigned floods cannot starve the real hooks.
    Duration wait = limit.tryTake();
    if (!wait.isZero()) {
      // Not triggered, so not seen: the Git server's retry after Retry-After must count.
      seen.forget(keys);
      return ApiEndpoints.tooManyRequests(wait);
    }
    control.triggerReconcile("webhook:" + webhook.id());
    return Reply.text(202, "reconcile triggered");
  }
}
