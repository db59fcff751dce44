package dev.gantry.monitor.client.proto;

/**
 * A message that is not valid Riemann protobuf; the message names what was wrong and at
 * which byte offset, e.g. {@code "Event.host: length 900 exceeds the 12 bytes left at offset 40"}.
 */
public final class MalformedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message) {
    super(message, null, false, false);
  }
}
