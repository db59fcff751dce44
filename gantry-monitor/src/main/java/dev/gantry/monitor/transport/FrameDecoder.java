package dev.gantry.monitor.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the TCP stream into messages by their 4-byte big-endian length. A frame above
 * the maximum is not buffered: its bytes are skipped as they arrive and an
 * {@link Oversized} marker takes its place, so the connection survives and the reply
 * order is kept.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  /** Stands for a frame that was too large. */
  record Oversized(long length) {}

  private final int maxFrameBytes;
  private long discarding;

  FrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (true) {
      if (discarding > 0) {
        int skip = (int) Math.min(discarding, in.readableBytes());
        in.skipBytes(skip);
        discarding -= skip;
        if (discarding > 0) {
          return;
        }
      }
      if (in.readableBytes() < 4) {
        return;
      }
      long len = in.getUnsignedInt(in.readerIndex());
      if (len > maxFrameBytes) {
        in.skipBytes(4);
        discarding = len;
        out.add(new Oversized(len));
        continue;
      }
      if (in.readableBytes() < 4 + len) {
        return;
      }
      in.skipBytes(4);
      byte[] frame = new byte[(int) len];
      in.readBytes(frame);
      out.add(frame);
    }
  }
}
