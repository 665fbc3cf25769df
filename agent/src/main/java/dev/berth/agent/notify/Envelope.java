package dev.berth.agent.notify;

import java.net.URI;

/** What is sent for one event to one receiver: where, and the JSON body. */
record Envelope(URI target, byte[] body) {}
