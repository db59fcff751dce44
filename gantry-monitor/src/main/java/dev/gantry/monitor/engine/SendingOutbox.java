package dev.gantry.monitor.engine;

import dev.gantry.monitor.alert.AlertMessage;
import dev.gantry.monitor.alert.Receiver;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each notification to its receivers (which deliver in the background) and logs failures. */
public final class SendingOutbox implements Outbox {
  private static final Logger log = LoggerFactory.getLogger(SendingOutbox.class);

  private final Consumer<String> onSent;
  private final Consumer<String> onFailure;

  /** {@code onFailure} is told the receiver's description when a delivery fails. */
  public SendingOutbox(Consumer<String> onFailure) {
    this(r -> {}, onFailure);
  }

  /** {@code onSent} and {@code onFailure} are told the receiver's description when a delivery ends. */
  public SendingOutbox(Consumer<String> onSent, Consumer<String> onFailure) {
    this.onSent = onSent;
    this.onFailure = onFailure;
  }

  @Override
  public void send(String route, List<Receiver> receivers, AlertMessage message) {
    if (receivers.isEmpty()) {
      log.info("alert without receivers (rule {}): {}", route, message.title());
      return;
    }
    for (Receiver r : receivers) {
      try {
        r.send(message).whenComplete((ok, err) -> {
          if (err != null) {
            log.warn("notification '{}' to {} failed: {}", message.title(), r.describe(), err.getMessage());
            onFailure.accept(r.describe());
          } else {
            onSent.accept(r.describe());
          }
        });
      } catch (RuntimeException e) {
        log.warn("notification '{}' to {} failed: {}", message.title(), r.describe(), e.getMessage());
        onFailure.accept(r.describe());
      }
    }
  }
}
