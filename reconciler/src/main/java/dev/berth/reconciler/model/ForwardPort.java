package dev.berth.reconciler.model;

/** A port forwarded from the host to the container ({@code Port=proto:host:container}). */
public record ForwardPort(String protocol, Integer hostPort, Integer containerPort) {
  public ForwardPort {
    protocol = protocol == null ? "tcp" : protocol;
    containerPort = containerPort == null ? hostPort : containerPort;
  }
}
