package dev.gantry.monitor.transport;

import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * Keeps one connection's replies in request order: each request takes a slot, replies
 * fill slots from any thread, and filled slots at the head are written. Used only on
 * the channel's event loop. Reading pauses while too many requests are in flight, which
 * pushes back on a fast client through TCP.
 */
final class ReplyOrder {
  private static final byte[] ACK = MsgCodec.encodeFramed(Msg.acknowledged());

  static final class Slot {
    private Msg reply;
  }

  private final Channel channel;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private final int maxInFlight;

  ReplyOrder(Channel channel, int maxInFlight) {
    this.channel = channel;
    this.maxInFlight = maxInFlight;
  }

  /** A slot for the next request. */
  Slot open() {
    Slot s = new Slot();
    slots.addLast(s);
    if (slots.size() >= maxInFlight) {
      channel.config().setAutoRead(false);
    }
    return s;
  }

  /** Fills {@code slot}; safe from any thread. */
  void fill(Slot slot, Msg reply) {
    if (channel.eventLoop().inEventLoop()) {
      fillHere(slot, reply);
    } else {
      channel.eventLoop().execute(() -> fillHere(slot, reply));
    }
  }

  private void fillHere(Slot slot, Msg reply) {
    slot.reply = reply;
    boolean wrote = false;
    while (!slots.isEmpty() && slots.peekFirst().reply != null) {
      Msg m = slots.pollFirst().reply;
      channel.write(m == Msg.acknowledged() ? Unpooled.wrappedBuffer(ACK) : Unpooled.wrappedBuffer(MsgCodec.encodeFramed(m)));
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
    if (slots.size() < maxInFlight / 2 && !channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
  }
}
