package dev.gantry.monitor.stream;

/**
 * A description of a stream that the engine turns into a running {@link Stream}. Built
 * with {@link Streams}: specs are plain values, so a reloaded rule set rebuilds its nodes
 * while their state (windows, partitions) stays in the engine, found again by position.
 *
 * <pre>{@code
 * StreamSpec s = Streams.where("service = \"api\"", Streams.rate(Duration.ofSeconds(10), Streams.index()));
 * }</pre>
 */
@FunctionalInterface
public interface StreamSpec {
  Stream build(StreamContext ctx);
}
