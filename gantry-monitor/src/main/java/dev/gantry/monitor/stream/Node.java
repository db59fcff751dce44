package dev.gantry.monitor.stream;

/** A node with children: ticks go down to them unless the node overrides {@link #tick}. */
abstract class Node implements Stream {
  protected final Children out;

  Node(StreamContext ctx, StreamSpec[] children) {
    this.out = Children.build(ctx, children);
  }

  @Override
  public void tick(long nowMicros) {
    out.tick(nowMicros);
  }
}
