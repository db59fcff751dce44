package dev.gantry.monitor.stream;

import dev.gantry.monitor.client.Event;

/** The children of a node, built in order and fed together. */
final class Children implements Stream {
  private final Stream[] streams;

  private Children(Stream[] streams) {
    this.streams = streams;
  }

  static Children build(StreamContext ctx, StreamSpec[] specs) {
    Stream[] built = new Stream[specs.length];
    for (int i = 0; i < specs.length; i++) {
      built[i] = specs[i].build(ctx.child(Integer.toString(i)));
    }
    return new Children(built);
  }

  @Override
  public void accept(Event e) {
    for (Stream s : streams) {
      s.accept(e);
    }
  }

  @Override
  public void tick(long nowMicros) {
    for (Stream s : streams) {
      s.tick(nowMicros);
    }
  }
}
