package dev.gantry.monitor.transport;

import dev.gantry.monitor.client.proto.MalformedMessageException;
import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import dev.gantry.monitor.engine.Engine;
import dev.gantry.monitor.engine.EngineCore;
import dev.gantry.monitor.transport.Counters.Refusal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection: decodes each frame, hands events and queries to the engine, and
 * answers every frame in order — ok after the rules ran, or an error naming what was wrong
 * (malformed message, oversized frame, overload).
 */
final class RiemannHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RiemannHandler.class);

  private final Engine engine;
  private final InstantSource clock;
  private final Counters counters;
  private final int maxFrameBytes;
  private final String transport;
  private ReplyOrder order;

  RiemannHandler(Engine engine, InstantSource clock, Counters counters, int maxFrameBytes, String transport) {
    this.engine = engine;
    this.clock = clock;
    this.counters = counters;
    this.maxFrameBytes = maxFrameBytes;
    this.transport = transport;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    order = new ReplyOrder(ctx.channel(), 128);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReplyOrder.Slot slot = order.open();
    if (msg instanceof FrameDecoder.Oversized o) {
      String why = "frame of " + o.length() + " bytes exceeds the maximum of " + maxFrameBytes + " bytes";
      counters.refused(transport, Refusal.OVERSIZED, ctx.channel().remoteAddress(), why);
      order.fill(slot, Msg.error(why));
      return;
    }
    FrameDecoder.Frame frame = (FrameDecoder.Frame) msg;
    Msg m;
    try {
      // decoded here and now: the frame's array is reused for the next frame
      m = MsgCodec.decode(frame.bytes(), 0, frame.length(), EngineCore.micros(clock.instant()));
    } catch (MalformedMessageException e) {
      counters.refused(transport, Refusal.MALFORMED, ctx.channel().remoteAddress(), e.getMessage());
      order.fill(slot, Msg.error("malformed message: " + e.getMessage()));
      return;
    }
    if (m.query() != null) {
      if (!engine.submitQuery(m.query(), reply -> order.fill(slot, reply))) {
        counters.refused(transport, Refusal.OVERLOADED, ctx.channel().remoteAddress(), "a query");
        order.fill(slot, Msg.error("server overloaded, query refused; retry later"));
      }
      return;
    }
    if (m.events().isEmpty()) {
      order.fill(slot, Msg.acknowledged());
      return;
    }
    int n = m.events().size();
    if (engine.submitEvents(m.events(), reply -> order.fill(slot, reply))) {
      counters.received(transport, n);
    } else {
      counters.refused(transport, Refusal.OVERLOADED, ctx.channel().remoteAddress(), n + " events");
      order.fill(slot, Msg.error("server overloaded, " + n + " events dropped; retry later"));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    log.debug("{} connection from {} closed", transport, ctx.channel().remoteAddress());
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      log.warn("closing {} connection from {}: {}", transport, ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
