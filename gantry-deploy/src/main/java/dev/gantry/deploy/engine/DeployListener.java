package dev.gantry.deploy.engine;

import dev.gantry.deploy.ledger.ReleaseRecord;

/**
 * Hears what a deploy does: progress lines while it runs, and the ledger entry when it ends
 * (where notifications go out).
 *
 * <pre>{@code
 * DeployListener printing = DeployListener.printing(System.out::println);
 * }</pre>
 */
public interface DeployListener {

  /** One line of progress, e.g. {@code "backing up volume events"}. */
  void progress(String line);

  /** The change ended and was recorded; {@code summary} is one line for people. */
  default void finished(ReleaseRecord record, String summary) {}

  static DeployListener printing(java.util.function.Consumer<String> out) {
    return out::accept;
  }

  /** {@code listener} heard by one thread at a time. */
  static DeployListener serialized(DeployListener listener) {
    Object lock = new Object();
    return new DeployListener() {
      @Override
      public void progress(String line) {
        synchronized (lock) {
          listener.progress(line);
        }
      }

      @Override
      public void finished(ReleaseRecord record, String summary) {
        synchronized (lock) {
          listener.finished(record, summary);
        }
      }
    };
  }

  /** Sends progress nowhere. */
  static DeployListener quiet() {
    return line -> {};
  }
}
