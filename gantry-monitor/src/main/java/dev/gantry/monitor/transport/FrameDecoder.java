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
 *
 * <p>One frame per call, passed on before the next is read: a frame up to
 * {@link #REUSED_BYTES} is copied into one array the connection reuses, so the next handler
 * must decode it before its {@code channelRead} returns (it does: it keeps events, not bytes).
 */
final class FrameDecoder extends ByteToMessageDecoder {
  /** Stands for a frame that was too large. */
  record Oversized(long length) {}

  /** A frame's bytes: the first {@code length} of {@code bytes}, valid until the next frame is read. */
  record Frame(byte[] bytes, int length) {}

  /** Frames up to this size share one array per connection; larger ones get their own. */
  static final int REUSED_BYTES = 64 * 1024;

  private final int maxFrameBytes;
  private long discarding;
  private byte[] reused = new byte[4096];

  FrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    // at most one frame per call: the caller passes it on before calling again
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
      out.add(new Frame(read(in, (int) len), (int) len));
      return;
    }
  }

  private byte[] read(ByteBuf in, int len) {
    byte[] into;
    if (len > REUSED_BYTES) {
      into = new byte[len];
    } else {
      if (reused.length < len) {
        reused = new byte[Math.min(REUSED_BYTES, Integer.highestOneBit(len - 1) << 1)];
      }
      into = reused;
    }
    in.readBytes(into, 0, len);
    return into;
  }
}
