package dev.gantry.monitor.transport;

import dev.gantry.core.UserError;
import dev.gantry.monitor.client.proto.MalformedMessageException;
import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import dev.gantry.monitor.engine.Engine;
import dev.gantry.monitor.engine.EngineCore;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Riemann listeners: TCP (plain and TLS) with length-prefixed frames and in-order
 * replies, and UDP with one message per datagram and no reply.
 *
 * <pre>{@code
 * Listeners l = Listeners.start(engine, clock, counters, "127.0.0.1", 5555, 5555, -1, null, 8 << 20);
 * int port = l.tcpPort();
 * }</pre>
 */
public final class Listeners implements AutoCloseable {
  /** The largest datagram read; bigger ones are dropped and counted. */
  public static final int MAX_DATAGRAM = 16 * 1024;

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final List<Channel> channels = new ArrayList<>();
  private int tcpPort = -1;
  private int udpPort = -1;
  private int tlsPort = -1;

  private Listeners(int workerThreads) {
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(workerThreads, NioIoHandler.newFactory());
  }

  /**
   * Binds the listeners; a port of 0 picks a free one, -1 disables that listener.
   */
  public static Listeners start(Engine engine, InstantSource clock, Counters counters, String bind, int tcpPort,
      int udpPort, int tlsPort, TlsConfig tls, int maxFrameBytes) {
    Listeners l = new Listeners(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    try {
      if (tcpPort >= 0) {
        l.tcpPort = l.bindTcp(engine, clock, counters, bind, tcpPort, null, maxFrameBytes, "tcp");
      }
      if (tlsPort >= 0) {
        if (tls == null) {
          throw new UserError("monitor: a TLS port is set but no certificate and key");
        }
        l.tlsPort = l.bindTcp(engine, clock, counters, bind, tlsPort, tls.context(), maxFrameBytes, "tls");
      }
      if (udpPort >= 0) {
        l.udpPort = l.bindUdp(engine, clock, counters, bind, udpPort);
      }
      return l;
    } catch (RuntimeException e) {
      l.close();
      throw e;
    }
  }

  private int bindTcp(Engine engine, InstantSource clock, Counters counters, String bind, int port, SslContext ssl,
      int maxFrameBytes, String name) {
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) {
              ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(new FlushConsolidationHandler(256, true));
            ch.pipeline().addLast(new FrameDecoder(maxFrameBytes));
            ch.pipeline().addLast(new RiemannHandler(engine, clock, counters, maxFrameBytes, name));
          }
        });
    Channel ch = bindOrFail(() -> b.bind(new InetSocketAddress(bind, port)).syncUninterruptibly().channel(), name, bind, port);
    channels.add(ch);
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  private int bindUdp(Engine engine, InstantSource clock, Counters counters, String bind, int port) {
    Bootstrap b = new Bootstrap()
        .group(workers)
        .channel(NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, 4 << 20)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM + 1))
        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int len = content.readableBytes();
            if (len > MAX_DATAGRAM) {
              // the buffer holds one byte more than the maximum, so a longer datagram shows as that
              counters.refused("udp", Counters.Refusal.OVERSIZED, packet.sender(),
                  "datagram larger than the maximum of " + MAX_DATAGRAM + " bytes");
              return;
            }
            byte[] bytes = new byte[len];
            content.readBytes(bytes);
            try {
              Msg m = MsgCodec.decode(bytes, 0, len, EngineCore.micros(clock.instant()));
              if (m.events().isEmpty()) {
                return;
              }
              if (engine.submitEvents(m.events(), null)) {
                counters.received("udp", m.events().size());
              } else {
                counters.refused("udp", Counters.Refusal.OVERLOADED, packet.sender(), m.events().size() + " events");
              }
            } catch (MalformedMessageException e) {
              counters.refused("udp", Counters.Refusal.MALFORMED, packet.sender(), e.getMessage());
            }
          }
        });
    Channel ch = bindOrFail(() -> b.bind(new InetSocketAddress(bind, port)).syncUninterruptibly().channel(), "udp", bind, port);
    channels.add(ch);
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  private static Channel bindOrFail(java.util.function.Supplier<Channel> bind, String name, String host, int port) {
    try {
      return bind.get();
    } catch (RuntimeException e) {
      throw new UserError("monitor: cannot listen for " + name + " on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** The bound TCP port, or -1 when disabled. */
  public int tcpPort() {
    return tcpPort;
  }

  public int udpPort() {
    return udpPort;
  }

  public int tlsPort() {
    return tlsPort;
  }

  @Override
  public void close() {
    for (Channel c : channels) {
      c.close().syncUninterruptibly();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
