package dev.berth.agent.http;

/** A failed call to the agent, with a one-line message fit for the CLI's stderr. */
public final class AgentClientException extends RuntimeException {
  AgentClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
