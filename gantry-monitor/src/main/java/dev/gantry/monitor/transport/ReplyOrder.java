package dev.gantry.monitor.transport;

import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps one connection's replies in request order: each request takes a slot, replies
 * fill slots from any thread, and filled slots at the head are written on the channel's
 * event loop, which alone opens slots and writes. Reading pauses while too many requests are in flight, which
 * pushes back on a fast client through TCP.
 */
final class ReplyOrder {
  private static final byte[] ACK = MsgCodec.encodeFramed(Msg.acknowledged());

  static final class Slot {
    private volatile Msg reply;
  }

  private final Channel channel;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private final int maxInFlight;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable scheduledWriteOut = () -> {
    scheduled.set(false); // before writing: a reply filled from now on schedules its own write-out
    writeOut();
  };

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

  /**
   * Fills {@code slot}; safe from any thread. Replies filled while a write-out is already
   * scheduled go with it: one task (and at most one wake-up of the event loop) for them all.
   */
  void fill(Slot slot, Msg reply) {
    slot.reply = reply;
    if (channel.eventLoop().inEventLoop()) {
      writeOut();
    } else if (scheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(scheduledWriteOut);
    }
  }

  private void writeOut() {
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
