package dev.gantry.monitor.transport;

import java.net.SocketAddress;

/** What the transports report (wired to the meter registry and the log by the service). */
public interface Counters {
  /** Why input was turned away; the name is the {@code reason} tag of the refusal counter. */
  enum Refusal {
    /** A message that does not decode. */
    MALFORMED("malformed"),
    /** A TCP frame above the maximum, or a UDP datagram above 16 KiB. */
    OVERSIZED("oversized"),
    /** The engine's queue is full. */
    OVERLOADED("overloaded");

    private final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  void received(String transport, int events);

  /**
   * Input from {@code peer} was refused for {@code reason}; {@code detail} says what exactly
   * (the decoder's message, the size).
   */
  void refused(String transport, Refusal reason, SocketAddress peer, String detail);
}
