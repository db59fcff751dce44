package dev.gantry.monitor.client;

import java.io.IOException;

/** The server answered a request with {@code ok: false}; the message is the server's error. */
public final class MonitorException extends IOException {
  private static final long serialVersionUID = 1L;

  public MonitorException(String message) {
    super(message);
  }
}
